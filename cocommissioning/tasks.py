from celery import shared_task


@shared_task
def applications_go_live() -> int:
    """Daily, just after midnight: approved applications whose go-live date has come go live,
    each once (seed 002, "Implementation timetable": go-live 1 April)."""
    from django.utils import timezone

    from .services import applications_go_live as go_live

    return go_live(day=timezone.localdate())
