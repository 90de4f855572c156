from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Collaborative Commissioning"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import checks  # noqa: F401  (registers the database connection checks)
        from .limits import check_text_lengths
        from .pagecache import install

        install()  # the page cache watches every write
        # Long text is refused at any save, whichever path wrote it (issue 14).
        pre_save.connect(check_text_lengths, dispatch_uid="commissioning.check_text_lengths")
