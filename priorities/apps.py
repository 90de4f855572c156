from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"

    def ready(self) -> None:
        from exports.models import Export
        from exports.renderers import register

        from .renderers import priorities_plan, priorities_plan_is_stale

        register(Export.Kind.PRIORITIES_PLAN, priorities_plan, is_stale=priorities_plan_is_stale)
