from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and recommendations"

    def ready(self) -> None:
        from exports.models import Export
        from exports.renderers import register

        from .renderers import meeting_pack

        register(Export.Kind.MEETING_PACK, meeting_pack)
