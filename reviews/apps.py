from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from exports.models import Export
        from exports.renderers import register
        from priorities import assurance

        from .assurance import first_report_on
        from .renderers import review_report

        register(Export.Kind.REVIEW_REPORT, review_report)
        # Assurance follows the peer review (issue 13 part 6): reviews answers priorities.
        assurance.register(first_report_on)
