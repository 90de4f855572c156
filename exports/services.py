"""Asking for an export and making it. The PDF is made by a Celery task after commit."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commissioning import audit
from commissioning.pdf import render_pdf
from commissioning.queueing import enqueue_on_commit

from .models import Export
from .renderers import RENDERERS, ExportParamsError

logger = logging.getLogger(__name__)

# A render still "running" after this long is taken to have died with its worker.
STALE_AFTER = datetime.timedelta(minutes=10)
# A queued export not started after this long is queued again (its message may be lost).
REQUEUE_WAITING_AFTER = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 3
RETRY_AFTER_SECONDS = 30


def _queue(export: Export, *, countdown: int = 0) -> None:
    from .tasks import export_render

    enqueue_on_commit(export_render, export.pk, countdown=countdown)


@transaction.atomic
def export_request(*, by, kind: str, params: dict, title: str) -> Export:
    """Record the request and queue the render; the export is ready once the worker is done."""
    export = Export.objects.create(kind=kind, params=params, title=title, requested_by=by)
    audit.record(actor=by, verb="export.requested", target=export, kind=kind)
    _queue(export)
    return export


def export_render(*, export_id: int) -> Export | None:
    """Make the PDF for a queued export. Safe to run twice: only one run claims the row."""
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    export = Export.objects.get(pk=export_id)
    try:
        filename, template, context = RENDERERS[export.kind](export.params)
        context = {**context, "export": export, "generated_at": now}
        pdf = render_pdf(template, context)
    except Exception as error:
        logger.exception("Export %s failed (attempt %s)", export_id, export.attempts)
        export.error = f"{type(error).__name__}: {error}"[:2000]
        # A record that no longer exists fails for good; anything else (a font, the disk, a
        # passing fault) is tried again, up to MAX_ATTEMPTS, then reported to the requester.
        if isinstance(error, ExportParamsError) or export.attempts >= MAX_ATTEMPTS:
            export.status = Export.Status.FAILED
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return export
        export.status = Export.Status.QUEUED
        export.save(update_fields=["status", "error"])
        _queue(export, countdown=RETRY_AFTER_SECONDS * export.attempts)
        return export
    export.file.save(filename, ContentFile(pdf), save=False)
    export.status = Export.Status.READY
    export.finished_at = timezone.now()
    export.error = ""
    export.save(update_fields=["file", "status", "finished_at", "error"])
    return export


@transaction.atomic
def exports_requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Put back renders whose worker died mid-way; give up after MAX_ATTEMPTS. Returns count."""
    now = now or timezone.now()
    stale = Export.objects.select_for_update().filter(
        status=Export.Status.RUNNING, started_at__lt=now - STALE_AFTER
    )
    requeued = 0
    # Asked for, but never picked up: the broker was down when it was queued (or the message
    # was lost). Queue it again; the render's claim makes a second copy a no-op.
    waiting = Export.objects.filter(
        status=Export.Status.QUEUED, requested_at__lt=now - REQUEUE_WAITING_AFTER
    ).values_list("pk", flat=True)
    from .tasks import export_render

    for pk in waiting:
        enqueue_on_commit(export_render, pk)
        requeued += 1
    for export in stale:
        if export.attempts >= MAX_ATTEMPTS:
            export.status = Export.Status.FAILED
            export.error = f"Gave up after {export.attempts} attempts."
            export.finished_at = now
            export.save(update_fields=["status", "error", "finished_at"])
            continue
        export.status = Export.Status.QUEUED
        export.save(update_fields=["status"])
        _queue(export)
        requeued += 1
    return requeued
