from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Collaborative Commissioning"

    def ready(self) -> None:
        from .pagecache import connect_signals

        connect_signals()
