"""Every change to priorities plans and proposals: named, atomic, audited, version-locked."""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from commissioning import audit, pagecache
from commissioning.concurrency import lock_version
from commissioning.errors import RuleError
from commissioning.pdf import render_pdf
from commissioning.queueing import enqueue_on_commit
from governance.selectors import agreed_versions
from hubs.models import CCG
from oversight.models import OversightGroup
from oversight.services import group_coverage

from .models import (
    Assessor,
    Criterion,
    Delivery,
    DeliveryUpdate,
    Milestone,
    PlanVersion,
    PrioritiesPlan,
    Proposal,
    ProposalComment,
    Score,
)

# Above this a saving or cost is almost certainly a typing slip (the whole specialised budget
# was about £14bn a year).
MONEY_LIMIT = Decimal("1000000000")

logger = logging.getLogger(__name__)


class PlanError(RuleError):
    """A change to a plan or proposal that breaks a rule (see RuleError)."""


def _save(obj, by, fields: list[str]) -> None:
    obj.version += 1
    obj._history_user = by
    obj.save(update_fields=[*fields, "version"])


# --- plans ----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, by, group: OversightGroup, year: int, seed_criteria: bool = True
) -> PrioritiesPlan:
    """Start the group's plan for a year, with the seed's default criteria unless the caller
    brings its own (next year's plan carries this year's)."""
    if group.status == OversightGroup.Status.CLOSED:
        raise PlanError("A closed group cannot start a plan.")
    plan = PrioritiesPlan(group=group, year=year)
    plan._history_user = by
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as clash:
        raise PlanError(
            f"The group already has a plan for {plan.year_label}.", field="year"
        ) from clash
    audit.record(actor=by, verb="plan.created", target=plan)
    if seed_criteria:
        criteria_seed(by=by, plan=plan)
    return plan


SECTION_FIELDS = ["context", "delivery_arrangements", "finance", "risks"]


@transaction.atomic
def plan_update(*, by, plan: PrioritiesPlan, version: int, **sections) -> PrioritiesPlan:
    """Change the plan's sections; only a draft changes (reopen a submitted plan first)."""
    current = lock_version(PrioritiesPlan, plan.pk, version, SECTION_FIELDS)
    if not current.is_editable:
        raise PlanError(
            f"The plan is {current.get_status_display().lower()}; reopen it to change it."
        )
    changed = [f for f in SECTION_FIELDS if f in sections and getattr(current, f) != sections[f]]
    for name in changed:
        setattr(current, name, sections[name])
    _save(current, by, changed)
    audit.record(actor=by, verb="plan.updated", target=current, fields=changed)
    return current


def governance_summary(group: OversightGroup) -> dict:
    """The group's governance as it is now: members, CCG coverage, agreed documents."""
    today = timezone.localdate()
    coverage = group_coverage(group, list(group.ccgs.all()), today)
    docs = agreed_versions([group]).get(group.pk, {})
    terms, agreement = docs.get("terms_of_reference"), docs.get("collaboration_agreement")
    return {
        "members": sum(1 for m in group.members.all() if m.is_current_on(today)),
        "covered": coverage.covered_count,
        "footprint": len(coverage.footprint),
        "coverage_percent": coverage.percent,
        "not_covered": [c.name for c in coverage.not_covered],
        "terms_agreed": terms.agreed_on.isoformat() if terms else None,
        "agreement_agreed": agreement.agreed_on.isoformat() if agreement else None,
    }


def snapshot(plan: PrioritiesPlan) -> dict:
    """The plan's content as it stands: what a frozen version keeps and the PDF shows."""
    included = plan.proposals.filter(status=Proposal.Status.INCLUDED).select_related(
        "ccg", "programme_of_care"
    )
    today = timezone.localdate()
    progress = dashboard(plan, today)
    milestones = Milestone.objects.filter(
        proposal__plan=plan, proposal__status=Proposal.Status.INCLUDED
    ).select_related("proposal")
    return {
        "title": str(plan),
        "hub": plan.group.hub.name,
        "group": plan.group.name,
        "year": plan.year_label,
        "status": plan.get_status_display(),
        "taken_on": today.isoformat(),
        "sections": {f: getattr(plan, f) for f in SECTION_FIELDS},
        "governance": governance_summary(plan.group),
        "priorities": [
            {
                "title": p.title,
                "ccg": p.ccg.name if p.ccg else "Hub staff",
                "programme_of_care": p.programme_of_care.name if p.programme_of_care else "",
                "benefits": p.benefits,
                "qipp_savings": str(p.qipp_savings),
                "costs": str(p.costs),
            }
            for p in included
        ],
        "delivery": [
            {
                "title": r.proposal.title,
                "rag": r.rag or "",
                "target": str(r.target),
                "realised": str(r.realised),
                "milestones_done": r.milestones_done,
                "milestones_due": r.milestones_due,
                "milestones_overdue": r.milestones_overdue,
            }
            for r in progress
        ],
        "milestones": [
            {
                "due_date": m.due_date.isoformat(),
                "priority": m.proposal.title,
                "title": m.title,
                "status": m.get_status_display(),
            }
            for m in milestones
        ],
    }


def _move(*, by, plan, version, allowed: tuple, to: str, verb: str, freeze: bool, **data):
    current = lock_version(PrioritiesPlan, plan.pk, version, ["status"])
    if current.status not in allowed:
        raise PlanError(
            f"The plan is {current.get_status_display().lower()}, so it cannot be {verb}."
        )
    current.status = to
    _save(current, by, ["status"])
    if freeze:
        number = current.versions.count() + 1
        PlanVersion.objects.create(
            plan=current, number=number, status=to, frozen_by=by, content=snapshot(current)
        )
    audit.record(actor=by, verb=f"plan.{verb}", target=current, **data)
    return current


@transaction.atomic
def plan_submit(*, by, plan: PrioritiesPlan, version: int) -> PrioritiesPlan:
    """Submit for peer review: the plan as it stands is frozen as a version."""
    S = PrioritiesPlan.Status
    return _move(
        by=by,
        plan=plan,
        version=version,
        allowed=(S.DRAFT,),
        to=S.SUBMITTED,
        verb="submitted",
        freeze=True,
    )


@transaction.atomic
def plan_assure(*, by, plan: PrioritiesPlan, version: int) -> PrioritiesPlan:
    S = PrioritiesPlan.Status
    return _move(
        by=by,
        plan=plan,
        version=version,
        allowed=(S.SUBMITTED,),
        to=S.ASSURED,
        verb="assured",
        freeze=False,
    )


@transaction.atomic
def plan_publish(*, by, plan: PrioritiesPlan, version: int) -> PrioritiesPlan:
    """Publish: the plan is frozen as a version whose PDF is made once, after commit."""
    S = PrioritiesPlan.Status
    published = _move(
        by=by,
        plan=plan,
        version=version,
        allowed=(S.ASSURED,),
        to=S.PUBLISHED,
        verb="published",
        freeze=True,
    )
    version_pdf_queue(published.versions.first())
    return published


# --- the published version's PDF ----------------------------------------------------------------
#
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
    from .tasks import plan_version_render_pdf

    enqueue_on_commit(plan_version_render_pdf, version.pk, countdown=countdown)


def version_pdfs_requeue(*, now: datetime.datetime | None = None) -> int:
    """Published versions still owed their PDF are queued again: never started (the broker was
    down when they were queued), or claimed by a worker that died mid-render and never came
    back. A dead claim with no attempts left is given up instead, its error recorded. Versions
    whose render failed wait for their back-off retry, or for a person's. Returns how many
    were queued."""
    from .tasks import plan_version_render_pdf

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
    audit.record(actor=by, verb="plan.version_pdf_requested", target=version)
    version_pdf_queue(version)


def version_pdf_context(version: PlanVersion) -> dict:
    """What the PDF template needs, all from the frozen content (the plan only names it)."""
    return {
        "content": version.content,
        "plan": version.plan,
        "plan_version": version.number,
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
    audit.record(actor=None, verb="plan.version_pdf_made", target=version)
    pagecache.bump()  # the stored PDF was written with .update(), which sends no signal
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


@transaction.atomic
def plan_reopen(*, by, plan: PrioritiesPlan, version: int, reason: str) -> PrioritiesPlan:
    """Back to draft, with a reason; frozen versions stay as they were."""
    if not reason.strip():
        raise PlanError("Give the reason for reopening the plan.", field="reason")
    S = PrioritiesPlan.Status
    return _move(
        by=by,
        plan=plan,
        version=version,
        allowed=(S.SUBMITTED, S.ASSURED, S.PUBLISHED),
        to=S.DRAFT,
        verb="reopened",
        freeze=False,
        reason=reason.strip(),
    )


# --- proposals ------------------------------------------------------------------------------

PROPOSAL_FIELDS = [
    "title",
    "programme_of_care",
    "service",
    "problem",
    "issues",
    "population",
    "benefits",
    "qipp_savings",
    "costs",
    "risks",
    "suggested_subgroup",
]


def _check_proposal(plan: PrioritiesPlan, fields: dict, ccgs_affected) -> None:
    for name, label in (("qipp_savings", "QIPP savings"), ("costs", "Costs")):
        value = fields.get(name) or Decimal(0)
        if value < 0:
            raise PlanError(f"{label} cannot be negative.", field=name)
        if value > MONEY_LIMIT:
            raise PlanError(f"{label} of more than £1bn looks like a typing slip.", field=name)
    subgroup = fields.get("suggested_subgroup")
    if subgroup is not None and subgroup.group_id != plan.group_id:
        raise PlanError(
            "Choose one of the group's delivery sub-groups.", field="suggested_subgroup"
        )
    if any(c.hub_id != plan.group.hub_id for c in ccgs_affected):
        raise PlanError("Choose CCGs in the hub's footprint.", field="ccgs_affected")


@transaction.atomic
def proposal_create(
    *, by, plan: PrioritiesPlan, ccg: CCG | None, ccgs_affected=(), **fields
) -> Proposal:
    if plan.status == PrioritiesPlan.Status.PUBLISHED:
        raise PlanError("The plan has been published; propose for next year's plan.")
    if ccg is not None and ccg.hub_id != plan.group.hub_id:
        raise PlanError("Propose for your own hub's plan.", field="ccg")
    _check_proposal(plan, fields, ccgs_affected)
    proposal = Proposal(plan=plan, ccg=ccg, proposed_by=by, **fields)
    proposal._history_user = by
    proposal.save()
    proposal.ccgs_affected.set(ccgs_affected)
    audit.record(actor=by, verb="proposal.created", target=proposal)
    return proposal


@transaction.atomic
def proposal_update(
    *, by, proposal: Proposal, version: int, ccgs_affected=(), **fields
) -> Proposal:
    current = lock_version(Proposal, proposal.pk, version, PROPOSAL_FIELDS)
    if not current.is_editable:
        raise PlanError(
            f"The proposal is {current.get_status_display().lower()} and cannot be changed."
        )
    _check_proposal(current.plan, fields, ccgs_affected)
    changed = [f for f in PROPOSAL_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    _save(current, by, changed)
    current.ccgs_affected.set(ccgs_affected)
    audit.record(actor=by, verb="proposal.updated", target=current, fields=changed)
    return current


@transaction.atomic
def proposal_submit(*, by, proposal: Proposal, version: int) -> Proposal:
    current = lock_version(Proposal, proposal.pk, version, ["status"])
    if not current.is_editable:
        raise PlanError("Only a draft, or a proposal asked for more information, is submitted.")
    if not current.problem.strip():
        raise PlanError("Describe the problem and its evidence before submitting.", field="problem")
    current.status = Proposal.Status.SUBMITTED
    _save(current, by, ["status"])
    audit.record(actor=by, verb="proposal.submitted", target=current)
    return current


@transaction.atomic
def proposal_request_info(*, by, proposal: Proposal, version: int, message: str) -> Proposal:
    current = lock_version(Proposal, proposal.pk, version, ["status"])
    if current.status != Proposal.Status.SUBMITTED:
        raise PlanError("More information can be asked for only on a submitted proposal.")
    if not message.strip():
        raise PlanError("Say what more information is needed.", field="message")
    current.status = Proposal.Status.INFO_REQUESTED
    _save(current, by, ["status"])
    ProposalComment.objects.create(proposal=current, author=by, body=message.strip())
    audit.record(actor=by, verb="proposal.info_requested", target=current)
    return current


@transaction.atomic
def proposal_decide(
    *, by, proposal: Proposal, version: int, status: str, rationale: str
) -> Proposal:
    """The group's decision, with the rationale the proposer sees."""
    current = lock_version(Proposal, proposal.pk, version, ["status", "rationale"])
    if status not in Proposal.DECISIONS:
        raise PlanError("Choose included, deferred or not included.", field="status")
    if current.status not in (Proposal.Status.SUBMITTED, *Proposal.DECISIONS):
        raise PlanError("Only a submitted proposal is decided.")
    if not rationale.strip():
        raise PlanError("Give the group's rationale; the proposer sees it.", field="rationale")
    if current.plan.status != PrioritiesPlan.Status.DRAFT:
        raise PlanError("The plan is not a draft; reopen it to change its priorities.")
    current.status, current.rationale = status, rationale.strip()
    _save(current, by, ["status", "rationale"])
    audit.record(actor=by, verb="proposal.decided", target=current, status=status)
    return current


@transaction.atomic
def comment_add(*, by, proposal: Proposal, body: str) -> ProposalComment:
    if not body.strip():
        raise PlanError("Write a comment.", field="body")
    comment = ProposalComment.objects.create(proposal=proposal, author=by, body=body.strip())
    audit.record(actor=by, verb="proposal.commented", target=proposal)
    return comment


# --- assessment -----------------------------------------------------------------------------

# Seed 000: priorities should reduce inequalities and improve quality, value and sustainability.
DEFAULT_CRITERIA = [
    ("Reducing inequalities", 3),
    ("Quality and outcomes", 3),
    ("Patient experience", 2),
    ("Value and QIPP", 2),
    ("Sustainability", 1),
    ("Deliverability", 1),
]


@transaction.atomic
def criteria_seed(*, by, plan: PrioritiesPlan) -> list[Criterion]:
    """The default criteria, once; does nothing if the plan has criteria."""
    if plan.criteria.exists():
        return list(plan.criteria.all())
    made = [
        Criterion.objects.create(plan=plan, name=name, weight=weight, order=i)
        for i, (name, weight) in enumerate(DEFAULT_CRITERIA)
    ]
    audit.record(actor=by, verb="criteria.seeded", target=plan)
    return made


CRITERION_FIELDS = ["name", "weight"]


def _criteria_open(plan_id: int, field: str | None) -> None:
    """Criteria change only until the first score: later, scores would mean different things."""
    if Score.objects.filter(criterion__plan=plan_id).exists():
        raise PlanError("Scoring has started; the criteria can no longer change.", field=field)


def _check_criterion(plan_id: int, *, name: str | None, weight: int | None, pk=None) -> None:
    if name is not None:
        if not name.strip():
            raise PlanError("Enter the criterion's name.", field="name")
        if len(name.strip()) > 120:
            raise PlanError("Keep the name to 120 characters or fewer.", field="name")
        clash = Criterion.objects.active().filter(plan=plan_id, name__iexact=name.strip())
        if clash.exclude(pk=pk).exists():
            raise PlanError(
                f"The plan already has a criterion called “{name.strip()}”.", field="name"
            )
    if weight is not None and not 1 <= weight <= 10:
        raise PlanError("Enter a weight from 1 to 10.", field="weight")


@transaction.atomic
def criterion_add(*, by, plan: PrioritiesPlan, name: str, weight: int) -> Criterion:
    """A new criterion, last in order; refused once scoring has started."""
    PrioritiesPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one add at a time
    _criteria_open(plan.pk, "name")
    _check_criterion(plan.pk, name=name, weight=weight)
    order = (plan.criteria.aggregate(n=Max("order"))["n"] or 0) + 1
    criterion = Criterion(plan=plan, name=name.strip(), weight=weight, order=order)
    criterion._history_user = by
    criterion.save()
    audit.record(actor=by, verb="criteria.added", target=criterion, weight=weight)
    return criterion


@transaction.atomic
def criterion_update(*, by, criterion: Criterion, version: int, **changes) -> Criterion:
    """Rename and/or reweight (1-10) a criterion, from the version the change was made on."""
    current = lock_version(Criterion, criterion.pk, version, CRITERION_FIELDS)
    field = "weight" if "name" not in changes else "name"
    if current.archived:
        raise PlanError("The criterion is archived.", field=field)
    _criteria_open(current.plan_id, field)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    _check_criterion(
        current.plan_id, name=changes.get("name"), weight=changes.get("weight"), pk=current.pk
    )
    changed = [f for f in CRITERION_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    if changed:
        _save(current, by, changed)
        audit.record(
            actor=by,
            verb="criteria.weighted" if changed == ["weight"] else "criteria.changed",
            target=current,
            **{f: getattr(current, f) for f in changed},
        )
    return current


@transaction.atomic
def criteria_set_weights(
    *, by, plan: PrioritiesPlan, weights: dict[int, tuple[int, int]]
) -> list[Criterion]:
    """Set several weights at once ({criterion id: (version, weight)}); all or none. A refusal
    names the field `weight-<id>` it belongs beside."""
    criteria = {c.pk: c for c in plan.criteria.active()}
    saved = []
    for pk, (version, weight) in weights.items():
        if pk not in criteria:
            raise PlanError("No such criterion in this plan.")
        try:
            saved.append(
                criterion_update(by=by, criterion=criteria[pk], version=version, weight=weight)
            )
        except PlanError as error:
            raise PlanError(str(error), field=f"weight-{pk}") from error
    return saved


@transaction.atomic
def criterion_archive(*, by, criterion: Criterion, version: int) -> Criterion:
    """Take a criterion out of the assessment before scoring starts; it stays on record."""
    current = lock_version(Criterion, criterion.pk, version, ["archived"])
    if current.archived:
        raise PlanError("The criterion is already archived.")
    _criteria_open(current.plan_id, None)
    if not Criterion.objects.active().filter(plan=current.plan_id).exclude(pk=current.pk).exists():
        raise PlanError("Keep at least one criterion to assess against.")
    current.archived = True
    _save(current, by, ["archived"])
    audit.record(actor=by, verb="criteria.archived", target=current)
    return current


@transaction.atomic
def assessor_add(*, by, plan: PrioritiesPlan, user) -> Assessor:
    assessor, created = Assessor.objects.get_or_create(plan=plan, user=user)
    if created:
        audit.record(actor=by, verb="assessor.added", target=plan, assessor=user.email)
    return assessor


@transaction.atomic
def scores_record(*, by, proposal: Proposal, scores: dict[int, tuple[int, str]]) -> list[Score]:
    """An assessor's own scores for one proposal ({criterion id: (0-5, note)}), independent of
    other assessors'. Re-scoring replaces only this assessor's scores."""
    if not Assessor.objects.filter(plan=proposal.plan_id, user=by).exists():
        raise PlanError("Only the plan's assessors score proposals.")
    if proposal.status != Proposal.Status.SUBMITTED:
        raise PlanError("Only submitted proposals are scored.")
    criteria = {c.pk: c for c in proposal.plan.criteria.active()}
    if set(scores) != set(criteria):
        raise PlanError("Score every criterion.", field="scores")
    for value, _note in scores.values():
        if not 0 <= value <= 5:
            raise PlanError("Scores run from 0 to 5.", field="scores")
    saved = []
    for criterion_id, (value, note) in scores.items():
        score, _ = Score.objects.update_or_create(
            proposal=proposal,
            criterion=criteria[criterion_id],
            assessor=by,
            defaults={"value": value, "note": note.strip()},
        )
        saved.append(score)
    audit.record(actor=by, verb="proposal.scored", target=proposal)
    return saved


@dataclass(frozen=True)
class Ranked:
    proposal: Proposal
    weighted: float | None  # mean over assessors of the weighted score, as a % of the maximum
    spread: float | None  # highest minus lowest assessor's weighted %
    assessors: int


def ranking(plan: PrioritiesPlan) -> list[Ranked]:
    """Submitted and decided proposals, best weighted score first (two queries)."""
    criteria = {c.pk: c.weight for c in plan.criteria.active()}
    maximum = 5 * sum(criteria.values()) or 1
    totals: dict[tuple[int, int], int] = {}
    for proposal_id, assessor_id, criterion_id, value in Score.objects.filter(
        proposal__plan=plan
    ).values_list("proposal_id", "assessor_id", "criterion_id", "value"):
        key = (proposal_id, assessor_id)
        if criterion_id in criteria:  # archived criteria have no say in the ranking
            totals[key] = totals.get(key, 0) + value * criteria[criterion_id]
    rows = []
    proposals = plan.proposals.exclude(status__in=Proposal.EDITABLE).select_related("ccg")
    by_proposal: dict[int, list[float]] = {}
    for (proposal_id, _), total in totals.items():
        by_proposal.setdefault(proposal_id, []).append(100 * total / maximum)
    for proposal in proposals:
        per_assessor = by_proposal.get(proposal.pk, [])
        rows.append(
            Ranked(
                proposal=proposal,
                weighted=round(sum(per_assessor) / len(per_assessor), 1) if per_assessor else None,
                spread=round(max(per_assessor) - min(per_assessor), 1) if per_assessor else None,
                assessors=len(per_assessor),
            )
        )
    rows.sort(key=lambda r: (r.weighted is None, -(r.weighted or 0), r.proposal.title))
    return rows


@transaction.atomic
def plan_roll_forward(*, by, plan: PrioritiesPlan) -> PrioritiesPlan:
    """Next year's plan from this one (October in the cycle): the sections, the criteria and
    every included priority carried forward as a draft proposal for the new year. The old
    plan is untouched."""
    new = plan_create(by=by, group=plan.group, year=plan.year + 1, seed_criteria=False)
    new.context, new.delivery_arrangements = plan.context, plan.delivery_arrangements
    new.finance, new.risks = plan.finance, plan.risks
    _save(new, by, SECTION_FIELDS)
    for criterion in plan.criteria.active():
        Criterion.objects.create(
            plan=new, name=criterion.name, weight=criterion.weight, order=criterion.order
        )
    for old in plan.proposals.filter(status=Proposal.Status.INCLUDED).prefetch_related(
        "ccgs_affected"
    ):
        carried = Proposal(
            plan=new,
            ccg=old.ccg,
            proposed_by=by,
            status=Proposal.Status.DRAFT,
            **{f: getattr(old, f) for f in PROPOSAL_FIELDS if f != "suggested_subgroup"},
            suggested_subgroup=old.suggested_subgroup,
        )
        carried.benefits = (
            f"{old.benefits}\n\nCarried forward from {plan.year_label}: full-year benefits to "
            "capture in this year's plan."
        ).strip()
        carried._history_user = by
        carried.save()
        carried.ccgs_affected.set(old.ccgs_affected.all())
    audit.record(actor=by, verb="plan.rolled_forward", target=new, source=plan.pk)
    return new


# --- delivery monitoring ----------------------------------------------------------------------


def _financial_year(plan: PrioritiesPlan) -> tuple[datetime.date, datetime.date]:
    return datetime.date(plan.year, 4, 1), datetime.date(plan.year + 1, 3, 31)


def _included(proposal: Proposal) -> None:
    if proposal.status != Proposal.Status.INCLUDED:
        raise PlanError("Only priorities included in the plan are delivered and monitored.")


def _money(value: Decimal, field: str, label: str) -> None:
    if value < 0:
        raise PlanError(f"{label} cannot be negative.", field=field)
    if value > MONEY_LIMIT:
        raise PlanError(f"{label} of more than £1bn looks like a typing slip.", field=field)


@transaction.atomic
def delivery_set(*, by, proposal: Proposal, version: int | None = None, **fields) -> Delivery:
    """Set the priority's lead, sub-group, KPIs and QIPP target (version-locked once set)."""
    _included(proposal)
    _money(fields.get("qipp_target") or Decimal(0), "qipp_target", "The QIPP target")
    subgroup = fields.get("subgroup")
    if subgroup is not None and subgroup.group_id != proposal.plan.group_id:
        raise PlanError("Choose one of the group's delivery sub-groups.", field="subgroup")
    delivery = Delivery.objects.filter(proposal=proposal).first()
    names = ["lead", "subgroup", "kpis", "qipp_target"]
    if delivery is None:
        delivery = Delivery(proposal=proposal, **fields)
        delivery._history_user = by
        delivery.save()
    else:
        delivery = lock_version(Delivery, delivery.pk, version or 0, names)
        for name in names:
            setattr(delivery, name, fields[name])
        _save(delivery, by, names)
    audit.record(actor=by, verb="delivery.set", target=proposal)
    return delivery


@transaction.atomic
def milestone_add(*, by, proposal: Proposal, title: str, due_date: datetime.date) -> Milestone:
    _included(proposal)
    start, end = _financial_year(proposal.plan)
    if not start <= due_date <= end:
        raise PlanError(
            f"The due date must fall in {proposal.plan.year_label} "
            f"({start:%-d %B %Y} to {end:%-d %B %Y}).",
            field="due_date",
        )
    milestone = Milestone(proposal=proposal, title=title, due_date=due_date)
    milestone._history_user = by
    milestone.save()
    audit.record(actor=by, verb="milestone.added", target=milestone)
    return milestone


@transaction.atomic
def milestone_set_status(*, by, milestone: Milestone, version: int, status: str) -> Milestone:
    current = lock_version(Milestone, milestone.pk, version, ["status"])
    if status not in Milestone.Status.values:
        raise PlanError("Choose a status.", field="status")
    current.status = status
    _save(current, by, ["status"])
    audit.record(actor=by, verb="milestone.updated", target=current, status=status)
    return current


@transaction.atomic
def update_add(
    *,
    by,
    proposal: Proposal,
    rag: str,
    commentary: str,
    qipp_realised: Decimal,
    reported_on: datetime.date,
) -> DeliveryUpdate:
    _included(proposal)
    _money(qipp_realised, "qipp_realised", "QIPP realised")
    if not commentary.strip():
        raise PlanError("Write the commentary.", field="commentary")
    start, end = _financial_year(proposal.plan)
    if not start <= reported_on <= end + datetime.timedelta(days=92):
        raise PlanError(
            f"Report on a date in {proposal.plan.year_label} (or its first quarter after).",
            field="reported_on",
        )
    update = DeliveryUpdate.objects.create(
        proposal=proposal,
        rag=rag,
        commentary=commentary.strip(),
        qipp_realised=qipp_realised,
        reported_on=reported_on,
        author=by,
    )
    audit.record(actor=by, verb="delivery.updated", target=proposal, rag=rag)
    return update


# Milestones falling due within this many days count as "due soon" on the dashboard.
DUE_SOON_DAYS = 30


@dataclass
class PriorityProgress:
    proposal: Proposal
    delivery: Delivery | None
    target: Decimal
    realised: Decimal
    rag: str | None
    milestones_done: int
    milestones_due: int
    milestones_overdue: int
    milestones_soon: int  # planned or in progress, due in the next DUE_SOON_DAYS
    milestones_missed: int
    milestones_total: int


def dashboard(
    plan: PrioritiesPlan, today: datetime.date, *, proposals=None
) -> list[PriorityProgress]:
    """One row per included priority (of `proposals`, default all the plan's), in four
    queries whatever the size of the plan."""
    chosen = plan.proposals.all() if proposals is None else proposals
    priorities = list(
        chosen.filter(status=Proposal.Status.INCLUDED)
        .select_related("ccg", "programme_of_care")
        .order_by("title")
    )
    deliveries = {
        d.proposal_id: d
        for d in Delivery.objects.filter(proposal__in=priorities).select_related("subgroup")
    }
    latest: dict[int, DeliveryUpdate] = {}
    for update in DeliveryUpdate.objects.filter(proposal__in=priorities).order_by(
        "proposal_id", "-reported_on", "-pk"
    ):
        latest.setdefault(update.proposal_id, update)
    milestones: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(proposal__in=priorities):
        milestones.setdefault(milestone.proposal_id, []).append(milestone)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_ = (Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS)
    rows = []
    for p in priorities:
        ms = milestones.get(p.pk, [])
        update = latest.get(p.pk)
        delivery = deliveries.get(p.pk)
        rows.append(
            PriorityProgress(
                proposal=p,
                delivery=delivery,
                target=delivery.qipp_target if delivery else p.qipp_savings,
                realised=update.qipp_realised if update else Decimal(0),
                rag=update.rag if update else None,
                milestones_done=sum(1 for m in ms if m.status == Milestone.Status.DONE),
                milestones_due=sum(
                    1 for m in ms if m.status != Milestone.Status.DONE and not m.is_overdue(today)
                ),
                milestones_overdue=sum(1 for m in ms if m.is_overdue(today)),
                milestones_soon=sum(
                    1 for m in ms if m.status in open_ and today <= m.due_date <= soon
                ),
                milestones_missed=sum(1 for m in ms if m.status == Milestone.Status.MISSED),
                milestones_total=len(ms),
            )
        )
    return rows
