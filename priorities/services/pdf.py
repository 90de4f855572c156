"""The published version's PDF: queued after commit, rendered once, retried with back-off."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from commissioning import audit
from commissioning.pdf import render_pdf
from commissioning.queueing import enqueue_on_commit

from .. import events
from ..errors import PlanError
from ..models import PlanVersion, PrioritiesPlan

logger = logging.getLogger(__name__)

# One counter bounds the renders: PlanVersion.pdf_attempts, raised by every claim. A render
# that raises records its error and is queued again with back-off (PDF_RETRY_AFTER_SECONDS times
# the attempts so far); one whose worker is killed is taken back at once by the same message,
# delivered again (tasks are acknowledged late), or by another run once its claim is stale.
# Either way, after PDF_MAX_ATTEMPTS renders started the version records why and waits for a
# person: version_pdf_retry starts the count again.

# A render still claimed after this long is taken to have died with its worker.
PDF_STALE_AFTER = datetime.timedelta(minutes=10)
# A published version whose PDF has not been started this long after publishing is owed one.
PDF_WAIT = datetime.timedelta(minutes=2)
PDF_MAX_ATTEMPTS = PlanVersion.PDF_MAX_ATTEMPTS
PDF_RETRY_AFTER_SECONDS = 30
PDF_WORKER_LOST = (
    f"Gave up after {PDF_MAX_ATTEMPTS} attempts: the worker making it stopped mid-way."
)


def version_pdf_queue(version: PlanVersion, *, countdown: int = 0) -> None:
    """Queue the render of a published version's PDF once the transaction commits."""
    from ..tasks import plan_version_render_pdf

    enqueue_on_commit(plan_version_render_pdf, version.pk, countdown=countdown)


def version_pdfs_requeue(*, now: datetime.datetime | None = None) -> int:
    """Published versions still owed their PDF are queued again: never started (the broker was
    down when they were queued), or claimed by a worker that died mid-render and never came
    back. A dead claim with no attempts left is given up instead, its error recorded. Versions
    whose render failed wait for their back-off retry, or for a person's. Returns how many
    were queued."""
    from ..tasks import plan_version_render_pdf

    now = now or timezone.now()
    owed = PlanVersion.objects.filter(status=PrioritiesPlan.Status.PUBLISHED, pdf="")
    lost = owed.filter(pdf_started_at__lt=now - PDF_STALE_AFTER)
    _version_pdfs_give_up(lost.filter(pdf_attempts__gte=PDF_MAX_ATTEMPTS))
    never_started = Q(pdf_started_at__isnull=True, pdf_error="", frozen_at__lt=now - PDF_WAIT)
    dead = Q(pdf_started_at__lt=now - PDF_STALE_AFTER, pdf_attempts__lt=PDF_MAX_ATTEMPTS)
    ids = list(owed.filter(never_started | dead).values_list("pk", flat=True))
    for pk in ids:
        enqueue_on_commit(plan_version_render_pdf, pk)
    return len(ids)


@transaction.atomic
def version_pdf_retry(*, by, version: PlanVersion) -> None:
    """A person asks again for a published version's PDF: the count of attempts starts again
    and the recorded error is cleared, so the page says it is being made until the render
    ends. Refused if the PDF is stored (never replaced) or a render holds a live claim."""
    if version.status != PrioritiesPlan.Status.PUBLISHED:
        raise PlanError("Only a published version has a stored PDF.")
    if version.pdf:
        raise PlanError("The PDF of this version is already made; it is never replaced.")
    now = timezone.now()
    free = Q(pdf_started_at__isnull=True) | Q(pdf_started_at__lt=now - PDF_STALE_AFTER)
    reset = PlanVersion.objects.filter(free, pk=version.pk, pdf="").update(
        pdf_started_at=None, pdf_claim="", pdf_attempts=0, pdf_error=""
    )
    if not reset:
        version.refresh_from_db(fields=["pdf"])
        if version.pdf:
            raise PlanError("The PDF of this version is already made; it is never replaced.")
        raise PlanError("The PDF is being made now. Refresh this page in a minute.")
    audit.record(actor=by, verb=events.PLAN_VERSION_PDF_REQUESTED, target=version)
    version_pdf_queue(version)


def version_pdf_context(version: PlanVersion) -> dict:
    """What the PDF template needs, all from the frozen content (the plan only names it)."""
    return {
        "content": version.content,
        "plan": version.plan,
        "plan_version": version.number,
        "frozen": True,  # "Version N", as the app numbers it (issue 18, finding 10)
        "status_label": version.get_status_display(),
        "generated_at": version.frozen_at,
    }


def version_pdf_render(*, version_id: int, task_id: str = "") -> PlanVersion | None:
    """Make and store the PDF of a published version, exactly as frozen. Safe to run twice:
    a conditional update claims the render, and a stored PDF is never replaced. Returns the
    version if this run stored its PDF, None otherwise (nothing to do, or it failed).

    Each claim counts one attempt (pdf_attempts). A render is claimable when nobody holds it,
    when its claim is stale (PDF_STALE_AFTER), or, given `task_id` (this run's Celery task id),
    when this very task holds it: the message delivered again after its worker was killed
    mid-render takes the render back at once, where any other run finds it taken. A render
    that raises records its error, releases its claim and is queued again with back-off. With
    PDF_MAX_ATTEMPTS used up nothing renders again: the error stays recorded (for a lost
    worker, PDF_WORKER_LOST) until a person asks again (version_pdf_retry)."""
    now = timezone.now()
    claimable = Q(pdf_started_at__isnull=True) | Q(pdf_started_at__lt=now - PDF_STALE_AFTER)
    if task_id:
        claimable |= Q(pdf_claim=task_id)
    claimed = PlanVersion.objects.filter(
        claimable,
        pk=version_id,
        pdf="",
        status=PrioritiesPlan.Status.PUBLISHED,
        pdf_attempts__lt=PDF_MAX_ATTEMPTS,
    ).update(pdf_started_at=now, pdf_claim=task_id, pdf_attempts=F("pdf_attempts") + 1)
    if not claimed:
        _version_pdf_give_up_if_lost(version_id=version_id, task_id=task_id, now=now)
        return None
    version = PlanVersion.objects.select_related("plan__group__hub").get(pk=version_id)
    try:
        pdf = render_pdf("pdf/priorities_plan.html", version_pdf_context(version))
    except Exception as error:
        _version_pdf_failed(version, error=error, claimed_at=now, task_id=task_id)
        return None
    plan = version.plan
    name = f"{slugify(plan.group.hub.name)}-priorities-plan-{plan.year}-v{version.number}.pdf"
    version.pdf.save(name, ContentFile(pdf), save=False)
    stored = PlanVersion.objects.filter(pk=version_id, pdf="").update(
        pdf=version.pdf.name, pdf_rendered_at=timezone.now(), pdf_error="", pdf_claim=""
    )
    if not stored:  # another run stored it first (after a stale claim): keep theirs
        version.pdf.storage.delete(version.pdf.name)
        return None
    audit.record(actor=None, verb=events.PLAN_VERSION_PDF_MADE, target=version)
    return version


def _version_pdf_failed(
    version: PlanVersion, *, error: Exception, claimed_at: datetime.datetime, task_id: str
) -> None:
    """This run's render raised: record why and release the claim (if still this run's), then
    queue it again with back-off while attempts are left."""
    attempts = version.pdf_attempts
    logger.exception(
        "PDF of plan version %s failed (attempt %s of %s)", version.pk, attempts, PDF_MAX_ATTEMPTS
    )
    reason = f"{type(error).__name__}: {error}"
    if attempts >= PDF_MAX_ATTEMPTS:
        reason = f"Gave up after {attempts} attempts: {reason}"
    released = PlanVersion.objects.filter(
        pk=version.pk, pdf="", pdf_started_at=claimed_at, pdf_claim=task_id
    ).update(pdf_started_at=None, pdf_claim="", pdf_error=reason[:2000])
    if released and attempts < PDF_MAX_ATTEMPTS:
        version_pdf_queue(version, countdown=PDF_RETRY_AFTER_SECONDS * attempts)


def _version_pdf_give_up_if_lost(*, version_id: int, task_id: str, now: datetime.datetime) -> None:
    """Not claimed: if that is because the render was lost with its worker (this message,
    delivered again, or a stale claim) with no attempts left, record so, rather than render
    (and perhaps kill a worker) again."""
    lost = Q(pdf_started_at__lt=now - PDF_STALE_AFTER)
    if task_id:
        lost |= Q(pdf_claim=task_id, pdf_started_at__isnull=False)
    _version_pdfs_give_up(
        PlanVersion.objects.filter(
            lost,
            pk=version_id,
            pdf="",
            status=PrioritiesPlan.Status.PUBLISHED,
            pdf_attempts__gte=PDF_MAX_ATTEMPTS,
        )
    )


def _version_pdfs_give_up(lost) -> None:
    """Record on each of these versions (renders lost with their worker, no attempts left)
    that its PDF was given up on; the page then says so and offers hub staff a retry."""
    ids = list(lost.values_list("pk", flat=True))
    if not ids:
        return
    gave_up = lost.filter(pk__in=ids).update(
        pdf_started_at=None, pdf_claim="", pdf_error=PDF_WORKER_LOST
    )
    if gave_up:
        logger.error("PDF of plan versions %s given up: its worker was lost each time", ids)
