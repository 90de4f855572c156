from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Collaborative Commissioning"

    def ready(self) -> None:
        from .pagecache import install

        install()  # the page cache watches every write
