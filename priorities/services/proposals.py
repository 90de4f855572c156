"""CCG proposals: drafted, submitted, asked about, decided by the group, commented on."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError, raise_all
from hubs.models import CCG, financial_year_day

from .. import events
from ..errors import PlanError
from ..models import PrioritiesPlan, Proposal, ProposalComment
from ..selectors import last_frozen_at

# Above this a saving or cost is almost certainly a typing slip (the whole specialised budget
# was about £14bn a year).
MONEY_LIMIT = Decimal("1000000000")

PROPOSAL_FIELDS = [
    "title",
    "programme_of_care",
    "crg",
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
    """Every refusal at once, each beside its field (issue 18, finding 8: the money check
    reported one error per submission)."""
    errors: list[RuleError] = []
    for name, label in (("qipp_savings", "QIPP savings"), ("costs", "Costs")):
        value = fields.get(name) or Decimal(0)
        if value < 0:
            errors.append(PlanError(f"{label} cannot be negative.", field=name))
        elif value > MONEY_LIMIT:
            errors.append(
                PlanError(f"{label} of more than £1bn looks like a typing slip.", field=name)
            )
    crg, programme = fields.get("crg"), fields.get("programme_of_care")
    if crg is not None and programme is not None and crg.programme_id != programme.pk:
        errors.append(
            PlanError(
                f"{crg.name} is in {crg.programme.name}: choose a CRG of {programme.name}.",
                field="crg",
            )
        )
    subgroup = fields.get("suggested_subgroup")
    if subgroup is not None and subgroup.group_id != plan.group_id:
        errors.append(
            PlanError("Choose one of the group's delivery sub-groups.", field="suggested_subgroup")
        )
    if any(c.hub_id != plan.group.hub_id for c in ccgs_affected):
        errors.append(PlanError("Choose CCGs in the hub's footprint.", field="ccgs_affected"))
    raise_all(errors)


def _check_open_in_plan_year(plan: PrioritiesPlan, ccg: CCG) -> None:
    """A proposal is for a commissioner of the plan's own year (issue 13, parts 2 and 3): the
    register on the plan's financial-year day, so a CCG that closed on 30 June 2022 does not
    propose into a 2026/27 plan, nor an ICB (open from 1 July 2022) into a 2015/16 one."""
    day = financial_year_day(plan.year, timezone.localdate())
    if ccg.is_valid_on(day):
        return
    year = plan.year_label
    if ccg.valid_to is not None and ccg.valid_to < day:
        when = f"closed on {nhs_date(ccg.valid_to)}"
    else:
        when = f"opened on {nhs_date(ccg.valid_from)}"
    raise PlanError(
        f"{ccg.name} {when}: it is not in the {year} footprint. Propose for an organisation "
        f"open in {year}.",
        field="ccg",
    )


def closed_to_proposals(plan: PrioritiesPlan) -> str:
    """Why the plan takes no new proposal now, or "" while it is a draft (issue 18, finding 1:
    a plan submitted for peer review is frozen; a product rule, the seeds are silent)."""
    S = PrioritiesPlan.Status
    again = "Ask your hub to return it to draft if you need to add a proposal."
    if plan.status == S.SUBMITTED:
        when = last_frozen_at(plan, S.SUBMITTED)
        return f"The plan was submitted for peer review{_on(when)}. {again}"
    if plan.status == S.ASSURED:
        return f"The plan was assured by its regional team{_on(plan.assured_at)}. {again}"
    if plan.status == S.PUBLISHED:
        when = last_frozen_at(plan, S.PUBLISHED)
        return (
            f"The plan was published{_on(when)}: propose for next year's plan, or ask your hub "
            "to return this one to draft."
        )
    return ""


def _on(when) -> str:
    return f" on {nhs_date(when)}" if when else ""


@transaction.atomic
def proposal_create(
    *, by, plan: PrioritiesPlan, ccg: CCG | None, ccgs_affected=(), **fields
) -> Proposal:
    # Read (and hold) the plan's status as it is now: a submit in flight waits for this.
    closed = closed_to_proposals(PrioritiesPlan.objects.select_for_update().get(pk=plan.pk))
    if closed:
        raise PlanError(closed)
    if ccg is not None and ccg.hub_id != plan.group.hub_id:
        raise PlanError("Propose for your own hub's plan.", field="ccg")
    if ccg is not None:
        _check_open_in_plan_year(plan, ccg)
    _check_proposal(plan, fields, ccgs_affected)
    proposal = create_recorded(Proposal, by=by, plan=plan, ccg=ccg, proposed_by=by, **fields)
    proposal.ccgs_affected.set(ccgs_affected)
    audit.record(actor=by, verb=events.PROPOSAL_CREATED, target=proposal)
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
    save_versioned(current, by=by, fields=changed)
    current.ccgs_affected.set(ccgs_affected)
    audit.record(actor=by, verb=events.PROPOSAL_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def proposal_submit(*, by, proposal: Proposal, version: int) -> Proposal:
    current = lock_version(Proposal, proposal.pk, version, ["status"])
    if not current.is_editable:
        raise PlanError("Only a draft, or a proposal asked for more information, is submitted.")
    if not current.problem.strip():
        raise PlanError("Describe the problem and its evidence before submitting.", field="problem")
    current.status = Proposal.Status.SUBMITTED
    save_versioned(current, by=by, fields=["status"])
    audit.record(actor=by, verb=events.PROPOSAL_SUBMITTED, target=current)
    return current


@transaction.atomic
def proposal_request_info(*, by, proposal: Proposal, version: int, message: str) -> Proposal:
    current = lock_version(Proposal, proposal.pk, version, ["status"])
    if current.status != Proposal.Status.SUBMITTED:
        raise PlanError("More information can be asked for only on a submitted proposal.")
    if not message.strip():
        raise PlanError("Say what more information is needed.", field="message")
    current.status = Proposal.Status.INFO_REQUESTED
    save_versioned(current, by=by, fields=["status"])
    ProposalComment.objects.create(proposal=current, author=by, body=message.strip())
    audit.record(actor=by, verb=events.PROPOSAL_INFO_REQUESTED, target=current)
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
    save_versioned(current, by=by, fields=["status", "rationale"])
    audit.record(actor=by, verb=events.PROPOSAL_DECIDED, target=current, status=status)
    return current


@transaction.atomic
def comment_add(*, by, proposal: Proposal, body: str) -> ProposalComment:
    if not body.strip():
        raise PlanError("Write a comment.", field="body")
    comment = ProposalComment.objects.create(proposal=proposal, author=by, body=body.strip())
    audit.record(actor=by, verb=events.PROPOSAL_COMMENTED, target=proposal)
    return comment
