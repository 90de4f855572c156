from celery import shared_task

from . import services


@shared_task(bind=True)
def export_render(self, export_id: int) -> bool:
    """Render one export; returns False if it was already taken or no longer exists. The task id
    lets this message, delivered again after its worker was lost, take the render back."""
    return services.export_render(export_id=export_id, task_id=self.request.id or "") is not None


@shared_task
def exports_requeue_stale() -> int:
    """Periodic (beat): requeue renders whose worker died."""
    return services.exports_requeue_stale()
