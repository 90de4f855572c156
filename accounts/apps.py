from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import (
            otp,
            permissions,  # noqa: F401  (registers the rules permissions)
            signins,
            sso,  # noqa: F401  (registers the single sign-on settings check)
        )

        user_logged_in.connect(otp.on_signed_in, dispatch_uid="accounts.otp.on_signed_in")
        signins.connect()  # sign-in records from Django's and django-axes' signals (issue 19)
