from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from exports.models import Export
        from exports.renderers import register

        from .renderers import review_report

        register(Export.Kind.REVIEW_REPORT, review_report)
