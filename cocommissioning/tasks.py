from celery import shared_task


@shared_task
def applications_go_live() -> int:
    """Daily, just after midnight: approved applications whose go-live date has come go live,
    each once (seed 002, "Implementation timetable": go-live 1 April)."""
    from django.utils import timezone

    from .services import applications_go_live as go_live

    return go_live(day=timezone.localdate())


@shared_task
def application_email_send(application_id: int, event: str, version: int) -> int:
    """Email those an application's change concerns (cocommissioning/emails.py); returns how
    many went. Safe to run twice: nothing is sent once the application has moved on."""
    from . import emails

    return emails.application_email_send(
        application_id=application_id, event=event, version=version
    )


@shared_task
def message_email_send(message_id: int) -> int:
    """Email a region's question to the CCGs' leads, or a CCG's answer to the region; nothing
    once the application is closed."""
    from . import emails

    return emails.message_email_send(message_id=message_id)
