from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Planning timeline and reminders"

    def ready(self) -> None:
        from commissioning import notices

        from .reminders.notices import deliver_notice

        notices.register(deliver_notice)  # apps below deliver notices through the inbox
