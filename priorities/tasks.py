"""Celery tasks for priorities plans: take ids, call a service, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(bind=True)
def plan_version_render_pdf(self, version_id: int) -> bool:
    """Render a published version's PDF once. Returns False if there was nothing to do (made,
    being made, or gone) or the render failed. The task id lets this message, delivered again
    after its worker was lost, take the render back. Attempts are counted on the version (see
    services.version_pdf_render)."""
    task_id = self.request.id or ""
    return services.version_pdf_render(version_id=version_id, task_id=task_id) is not None


@shared_task
def plan_version_pdfs_requeue() -> int:
    """Beat: queue again the published PDFs still owed (see services.version_pdfs_requeue)."""
    return services.version_pdfs_requeue()
