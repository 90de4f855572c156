"""Celery tasks for priorities plans: take ids, call a service, safe to run twice."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)

ATTEMPTS = 3
RETRY_AFTER_SECONDS = 30


@shared_task
def plan_version_render_pdf(version_id: int, attempt: int = 1) -> bool:
    """Render a published version's PDF once. Returns False if there was nothing to do (made,
    being made, or gone) or the render failed; a failure is tried again with back-off, up to
    ATTEMPTS, and stays recorded on the version for its page to report."""
    try:
        return services.version_pdf_render(version_id=version_id) is not None
    except Exception:
        logger.exception("PDF of plan version %s failed (attempt %s)", version_id, attempt)
        if attempt < ATTEMPTS:
            plan_version_render_pdf.apply_async(
                args=[version_id, attempt + 1], countdown=RETRY_AFTER_SECONDS * attempt
            )
        return False


@shared_task
def plan_version_pdfs_requeue() -> int:
    """Beat: queue again the published PDFs still owed (see services.version_pdfs_requeue)."""
    return services.version_pdfs_requeue()
