from celery import shared_task

from . import services


@shared_task
def export_render(export_id: int) -> bool:
    """Render one export; returns False if it was already taken or no longer exists."""
    return services.export_render(export_id=export_id) is not None


@shared_task
def exports_requeue_stale() -> int:
    """Periodic (beat): requeue renders whose worker died."""
    return services.exports_requeue_stale()
