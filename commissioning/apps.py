from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Collaborative Commissioning"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401  (registers the database connection checks)
        from .limits import check_text_lengths
        from .pagecache import install
        from .serializers import install as install_serializer_fields

        autodiscover_modules("events")  # each app's audit verbs and how they read
        install()  # the page cache watches every write
        # The API says the long-text limit in the forms' words (issue 14).
        install_serializer_fields()
        # Long text is refused at any save, whichever path wrote it (issue 14).
        pre_save.connect(check_text_lengths, dispatch_uid="commissioning.check_text_lengths")
