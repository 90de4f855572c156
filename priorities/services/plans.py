"""Plans: start, change, move through the workflow (frozen versions), roll forward."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from oversight.models import OversightGroup

from .. import events
from ..assurance import NO_REASON, NO_REPORT, assurance_basis
from ..errors import PlanError
from ..models import Criterion, Milestone, PlanVersion, PrioritiesPlan, Proposal
from ..selectors import dashboard, governance_summary
from .assessment import criteria_seed
from .pdf import version_pdf_queue
from .proposals import PROPOSAL_FIELDS


@transaction.atomic
def plan_create(
    *, by, group: OversightGroup, year: int, seed_criteria: bool = True
) -> PrioritiesPlan:
    """Start the group's plan for a year, with the seed's default criteria unless the caller
    brings its own (next year's plan carries this year's)."""
    if group.status == OversightGroup.Status.CLOSED:
        raise PlanError("A closed group cannot start a plan.")
    plan = PrioritiesPlan(group=group, year=year)
    attribute_to(plan, by)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as clash:
        raise PlanError(
            f"The group already has a plan for {plan.year_label}.", field="year"
        ) from clash
    audit.record(actor=by, verb=events.PLAN_CREATED, target=plan)
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
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.PLAN_UPDATED, target=current, fields=changed)
    return current


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


def _current(plan, version: int, allowed: tuple, done: str) -> PrioritiesPlan:
    """The plan locked at `version`, in one of the `allowed` statuses; a refusal says the plan
    "cannot be `done`"."""
    current = lock_version(PrioritiesPlan, plan.pk, version, ["status"])
    if current.status not in allowed:
        raise PlanError(
            f"The plan is {current.get_status_display().lower()}, so it cannot be {done}."
        )
    return current


def _move(
    *,
    by,
    plan,
    version,
    allowed: tuple,
    to: str,
    event: str,
    done: str,
    freeze: bool,
    current: PrioritiesPlan | None = None,
    also: dict | None = None,
    **data,
):
    """Move the plan to `to` from one of `allowed`, recording `event` (and setting the fields
    in `also` in the same versioned save)."""
    current = current or _current(plan, version, allowed, done)
    current.status = to
    for name, value in (also or {}).items():
        setattr(current, name, value)
    save_versioned(current, by=by, fields=["status", *(also or {})])
    if freeze:
        number = current.versions.count() + 1
        PlanVersion.objects.create(
            plan=current, number=number, status=to, frozen_by=by, content=snapshot(current)
        )
    audit.record(actor=by, verb=event, target=current, **data)
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
        event=events.PLAN_SUBMITTED,
        done="submitted",
        freeze=True,
    )


@transaction.atomic
def plan_assure(
    *, by, plan: PrioritiesPlan, version: int, override: bool = False, reason: str = ""
) -> PrioritiesPlan:
    """The region assures the plan once the hub's first peer review report has been issued on
    its submitted version (seed 000 §4.1.1; see priorities.assurance), or, with `override`,
    without one: the reason is recorded on the plan and in its history."""
    S = PrioritiesPlan.Status
    current = _current(plan, version, (S.SUBMITTED,), "assured")
    basis = assurance_basis(current)
    reason = (reason or "").strip()
    if basis.report is None and not override:
        raise PlanError(NO_REPORT, field="override")
    if basis.report is None and not reason:
        raise PlanError(NO_REASON, field="reason")
    overridden = basis.report is None
    also = {
        "assured_at": timezone.now(),
        "assured_by": by,
        "assured_with_override": overridden,
        "assurance_override_reason": reason if overridden else "",
    }
    number = basis.version.number if basis.version else None
    details: dict[str, Any] = (
        {"reason": reason, "plan_version": number}
        if basis.report is None
        else {"plan_version": number, "report": basis.report.number}
    )
    return _move(
        by=by,
        plan=plan,
        version=version,
        allowed=(S.SUBMITTED,),
        to=S.ASSURED,
        event=events.PLAN_ASSURED_WITH_OVERRIDE if overridden else events.PLAN_ASSURED,
        done="assured",
        freeze=False,
        current=current,
        also=also,
        **details,
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
        event=events.PLAN_PUBLISHED,
        done="published",
        freeze=True,
    )
    version_pdf_queue(published.versions.first())
    return published


@transaction.atomic
def plan_reopen(*, by, plan: PrioritiesPlan, version: int, reason: str) -> PrioritiesPlan:
    """Back to draft, with a reason; frozen versions stay as they were. The last assurance is
    cleared (its history stays): a resubmitted plan is assured afresh."""
    if not reason.strip():
        raise PlanError("Give the reason for reopening the plan.", field="reason")
    S = PrioritiesPlan.Status
    return _move(
        also={
            "assured_at": None,
            "assured_by": None,
            "assured_with_override": False,
            "assurance_override_reason": "",
        },
        by=by,
        plan=plan,
        version=version,
        allowed=(S.SUBMITTED, S.ASSURED, S.PUBLISHED),
        to=S.DRAFT,
        event=events.PLAN_REOPENED,
        done="reopened",
        freeze=False,
        reason=reason.strip(),
    )


@transaction.atomic
def plan_roll_forward(*, by, plan: PrioritiesPlan) -> PrioritiesPlan:
    """Next year's plan from this one (October in the cycle): the sections, the criteria and
    every included priority carried forward as a draft proposal for the new year. The old
    plan is untouched."""
    new = plan_create(by=by, group=plan.group, year=plan.year + 1, seed_criteria=False)
    new.context, new.delivery_arrangements = plan.context, plan.delivery_arrangements
    new.finance, new.risks = plan.finance, plan.risks
    save_versioned(new, by=by, fields=SECTION_FIELDS)
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
        attribute_to(carried, by)
        carried.save()
        carried.ccgs_affected.set(old.ccgs_affected.all())
    audit.record(actor=by, verb=events.PLAN_ROLLED_FORWARD, target=new, source=plan.pk)
    return new
