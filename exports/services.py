"""Asking for an export and making it. The PDF is made by a Celery task after commit."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from commissioning import audit
from commissioning.dates import nhs_date
from commissioning.errors import RuleError
from commissioning.limits import EARLIEST_DAY, EXPORT_YEARS_AHEAD, check_day, years_after
from commissioning.pdf import render_pdf
from commissioning.queueing import enqueue_on_commit

from . import events
from .models import Export
from .renderers import RENDERERS, ExportParamsError

logger = logging.getLogger(__name__)

# A render still "running" after this long is taken to have died with its worker.
STALE_AFTER = datetime.timedelta(minutes=10)
# A queued export not started after this long is queued again (its message may be lost).
REQUEUE_WAITING_AFTER = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 3
RETRY_AFTER_SECONDS = 30


def check_export_day(on: str | datetime.date | None) -> None:
    """An export "on" a date asks for a day between 1 April 2013 and a year from today
    (issue 14: an export "on 1 January 1" was accepted). Refused beside the `on` field."""
    if not on:
        return
    try:
        day = on if isinstance(on, datetime.date) else datetime.date.fromisoformat(on)
    except ValueError:
        raise RuleError("Enter a real date, for example 1 April 2015", field="on") from None
    latest = years_after(timezone.localdate(), EXPORT_YEARS_AHEAD)
    check_day(
        day,
        field="on",
        earliest=EARLIEST_DAY,
        latest=latest,
        too_early=f"Enter a date on or after {nhs_date(EARLIEST_DAY)}",
        too_late=f"Enter a date no more than a year ahead (on or before {nhs_date(latest)})",
    )


def _queue(export: Export, *, countdown: int = 0) -> None:
    from .tasks import export_render

    enqueue_on_commit(export_render, export.pk, countdown=countdown)


@transaction.atomic
def export_request(*, by, kind: str, params: dict, title: str) -> Export:
    """Record the request and queue the render; the export is ready once the worker is done."""
    check_export_day(params.get("on"))
    export = Export.objects.create(kind=kind, params=params, title=title, requested_by=by)
    audit.record(actor=by, verb=events.EXPORT_REQUESTED, target=export, kind=kind)
    _queue(export)
    return export


def export_render(*, export_id: int, task_id: str = "") -> Export | None:
    """Make the PDF for a queued export. Safe to run twice: only one run claims the row.

    `task_id` is the Celery task id of this run. Tasks are acknowledged late, so a worker killed
    mid-render (out of memory, say) has its message delivered again, with the same id, to a
    fresh worker process: that run takes the render back from the lost one (attempt 2), where
    any other run finds it taken. A render that has killed its worker MAX_ATTEMPTS times fails.
    """
    now = timezone.now()
    claimable = Q(status=Export.Status.QUEUED)
    if task_id:
        claimable |= Q(status=Export.Status.RUNNING, claim=task_id, attempts__lt=MAX_ATTEMPTS)
    claimed = Export.objects.filter(claimable, pk=export_id).update(
        status=Export.Status.RUNNING, claim=task_id, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return _give_up_if_worker_lost_too_often(export_id=export_id, task_id=task_id, now=now)
    export = Export.objects.get(pk=export_id)
    try:
        filename, template, context = RENDERERS[export.kind](export.params)
        context = {**context, "export": export, "generated_at": now}
        pdf = render_pdf(template, context)
    except Exception as error:
        logger.exception("Export %s failed (attempt %s)", export_id, export.attempts)
        export.error = f"{type(error).__name__}: {error}"[:2000]
        export.claim = ""
        # A record that no longer exists fails for good; anything else (a font, the disk, a
        # passing fault) is tried again, up to MAX_ATTEMPTS, then reported to the requester.
        if isinstance(error, ExportParamsError) or export.attempts >= MAX_ATTEMPTS:
            export.status = Export.Status.FAILED
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "claim", "error", "finished_at"])
            return export
        export.status = Export.Status.QUEUED
        export.save(update_fields=["status", "claim", "error"])
        _queue(export, countdown=RETRY_AFTER_SECONDS * export.attempts)
        return export
    export.file.save(filename, ContentFile(pdf), save=False)
    export.status = Export.Status.READY
    export.claim = ""
    export.finished_at = timezone.now()
    export.error = ""
    export.save(update_fields=["file", "status", "claim", "finished_at", "error"])
    return export


def _give_up_if_worker_lost_too_often(
    *, export_id: int, task_id: str, now: datetime.datetime
) -> Export | None:
    """The message delivered again after its worker was lost, with no attempts left: fail the
    export for the requester to see, rather than render (and perhaps kill a worker) again."""
    if not task_id:
        return None
    failed = Export.objects.filter(
        pk=export_id, status=Export.Status.RUNNING, claim=task_id, attempts__gte=MAX_ATTEMPTS
    ).update(
        status=Export.Status.FAILED,
        claim="",
        finished_at=now,
        error=f"Gave up after {MAX_ATTEMPTS} attempts: the worker making it stopped mid-way.",
    )
    if not failed:
        return None
    logger.error("Export %s gave up: its worker was lost on attempt %s", export_id, MAX_ATTEMPTS)
    return Export.objects.get(pk=export_id)


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
        export.claim = ""
        if export.attempts >= MAX_ATTEMPTS:
            export.status = Export.Status.FAILED
            export.error = f"Gave up after {export.attempts} attempts."
            export.finished_at = now
            export.save(update_fields=["status", "claim", "error", "finished_at"])
            continue
        export.status = Export.Status.QUEUED
        export.save(update_fields=["status", "claim"])
        _queue(export)
        requeued += 1
    return requeued
