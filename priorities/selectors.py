"""The reads priorities pages and API lists assemble, each with its preloading: the plan's
governance summary, the ranking, the delivery dashboard, and the lists views show. Access is
decided in permissions.py; these take what the user may see and read it efficiently."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User
from governance.selectors import agreed_versions
from hubs.models import CCG, ProgrammeOfCare, commissioner_label
from oversight.models import OversightGroup, SubGroup
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
    Score,
)
from .permissions import (
    all_proposals_visible_to,
    plans_fully_visible_to,
    plans_visible_to,
    proposals_visible_to,
)

# --- plans ---------------------------------------------------------------------------------


def group_plans(user, group: OversightGroup):
    """The group's plans the user reads, each with its number of proposals."""
    return plans_visible_to(user).filter(group=group).annotate(proposal_count=Count("proposals"))


@dataclass(frozen=True)
class PlanProposals:
    proposals: list[Proposal]  # what the user sees of the plan, by status then title
    included: list[Proposal]  # the included priorities: every reader sees them all
    totals: dict  # QIPP savings and costs of the included priorities


def plan_proposals(user, plan: PrioritiesPlan) -> PlanProposals:
    """The plan page's proposals, its agreed priorities and their totals, all from the one
    answer to what the user may see of the plan (`proposals_visible_to`)."""
    # Not who proposed each: the page does not show it (a plan has a hundred proposals).
    proposals = list(
        proposals_visible_to(user, plan)
        .select_related(None)
        .select_related("ccg", "programme_of_care", "crg")
        .order_by("status", "title")
    )
    included = [p for p in proposals if p.status == Proposal.Status.INCLUDED]
    totals = {
        "qipp": sum((p.qipp_savings for p in included), Decimal(0)),
        "costs": sum((p.costs for p in included), Decimal(0)),
    }
    return PlanProposals(proposals=proposals, included=included, totals=totals)


@dataclass(frozen=True)
class PlanCheck:
    """What the check-your-answers page before submitting or publishing reads (issue 18,
    finding 1): every proposal of the plan, which of them nobody has scored, and the version
    number the step would freeze."""

    proposals: Sequence[Proposal]
    unscored: set[int]
    scoring: bool  # the plan has criteria to score against
    next_version: int


def plan_check(plan: PrioritiesPlan) -> PlanCheck:
    proposals = list(
        plan.proposals.select_related("ccg").annotate(score_count=Count("scores"))
        .order_by("status", "title")
    )  # fmt: skip
    return PlanCheck(
        proposals=proposals,
        unscored={p.pk for p in proposals if not p.score_count},
        scoring=plan.criteria.active().exists(),
        next_version=plan.versions.count() + 1,
    )


def last_frozen_at(plan: PrioritiesPlan, status: str) -> datetime.datetime | None:
    """When the plan's newest version of `status` (submitted, published) was frozen."""
    version = plan.versions.filter(status=status).order_by("-number").first()
    return version.frozen_at if version else None


def plan_versions(plan: PrioritiesPlan) -> list[PlanVersion]:
    return list(plan.versions.select_related("frozen_by"))


def plan_years() -> list[int]:
    """Every year some hub has a plan for, latest first."""
    return sorted(set(PrioritiesPlan.objects.values_list("year", flat=True)), reverse=True)


def cross_hub(year: int, hubs: list) -> tuple[dict, list]:
    """The year's plan of each hub (with its counts and included QIPP), and the included
    priorities by Programme of Care (name, proposals), sorted by name."""
    included = Q(proposals__status=Proposal.Status.INCLUDED)
    plans = {
        p.group.hub_id: p
        for p in PrioritiesPlan.objects.filter(year=year, group__hub__in=hubs)
        .select_related("group__hub")
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            included_count=Count("proposals", filter=included, distinct=True),
            qipp=Sum("proposals__qipp_savings", filter=included),
        )
    }
    themes: dict[str, list[Proposal]] = {}
    for proposal in (
        Proposal.objects.filter(plan__in=plans.values(), status=Proposal.Status.INCLUDED)
        .select_related("programme_of_care", "crg", "plan__group__hub", "ccg")
        .order_by("title")
    ):
        name = proposal.programme_of_care.name if proposal.programme_of_care else "Not given"
        themes.setdefault(name, []).append(proposal)
    return plans, sorted(themes.items())


# --- proposals and assessment --------------------------------------------------------------


def proposal_comments(proposal: Proposal) -> list:
    return list(proposal.comments.select_related("author"))


def active_user_by_email(email: str) -> User | None:
    """Someone with an account, by email address (any case)."""
    return User.objects.filter(email__iexact=email, is_active=True).first()


def scored_proposal_ids(plan: PrioritiesPlan, assessor) -> set[int]:
    """The plan's proposals `assessor` has scored."""
    return set(
        Score.objects.filter(proposal__plan=plan, assessor=assessor).values_list(
            "proposal_id", flat=True
        )
    )


def my_scores(proposal: Proposal, assessor) -> dict[int, Score]:
    """An assessor's own scores for a proposal, by criterion id."""
    return {s.criterion_id: s for s in Score.objects.filter(proposal=proposal, assessor=assessor)}


def scoring_started(plan: PrioritiesPlan) -> bool:
    return Score.objects.filter(proposal__plan=plan).exists()


def plan_assessors(plan: PrioritiesPlan) -> list[Assessor]:
    return list(plan.assessors.select_related("user"))


# --- delivery ------------------------------------------------------------------------------


def delivery_of(proposal: Proposal) -> Delivery | None:
    return Delivery.objects.filter(proposal=proposal).select_related("subgroup").first()


def has_delivery(proposal: Proposal) -> bool:
    return Delivery.objects.filter(proposal=proposal).exists()


def priority_milestones(proposal: Proposal, today: datetime.date) -> list[Milestone]:
    """The priority's milestones, each marked `overdue` as of `today`."""
    milestones = list(proposal.milestones.all())
    for m in milestones:
        m.overdue = m.is_overdue(today)  # type: ignore[attr-defined]  # read by the page
    return milestones


def priority_updates(proposal: Proposal) -> list[DeliveryUpdate]:
    return list(proposal.updates.select_related("author"))


# --- API lists (None: the schema generator's fake request, which lists nothing) ------------


def api_plans(user):
    if user is None:
        return PrioritiesPlan.objects.none()
    return plans_visible_to(user).select_related("assured_by").order_by("-year", "group_id")


def api_proposals(user):
    if user is None:
        return Proposal.objects.none()
    return (
        all_proposals_visible_to(user)
        .select_related("ccg", "programme_of_care")
        .order_by("plan_id", "title")
    )


def api_milestones(user):
    if user is None:
        return Milestone.objects.none()
    return (
        Milestone.objects.filter(proposal__plan__in=plans_visible_to(user))
        .select_related("proposal__plan__group")
        .order_by("due_date", "pk")
    )


def api_delivery_updates(user):
    if user is None:
        return DeliveryUpdate.objects.none()
    return DeliveryUpdate.objects.filter(proposal__plan__in=plans_visible_to(user)).order_by(
        "-reported_on", "-pk"
    )


def api_criteria(user):
    if user is None:
        return Criterion.objects.none()
    return Criterion.objects.filter(plan__in=plans_fully_visible_to(user)).order_by(
        "plan_id", "order", "pk"
    )


def api_assessors(user):
    if user is None:
        return Assessor.objects.none()
    return (
        Assessor.objects.filter(plan__in=plans_fully_visible_to(user))
        .select_related("user")
        .order_by("plan_id", "user__full_name", "pk")
    )


def api_deliveries(user):
    if user is None:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(proposal__in=all_proposals_visible_to(user))
        .select_related("proposal__plan__group")
        .order_by("proposal_id")
    )


# The choices API bodies name (serializer fields' querysets, read when a request is checked).
def all_ccgs():
    return CCG.objects.all()


def all_programmes_of_care():
    return ProgrammeOfCare.objects.all()


def all_crgs():
    """Every Clinical Reference Group a proposal may name (issue 17)."""
    from national.models import ClinicalReferenceGroup

    return ClinicalReferenceGroup.objects.select_related("programme")


def all_subgroups():
    return SubGroup.objects.all()


# --- reads services share: governance, ranking, delivery dashboard -------------------------


def governance_summary(group: OversightGroup) -> dict:
    """The group's governance as it is now: members, CCG coverage, agreed documents."""
    today = timezone.localdate()
    coverage = group_coverage(group, list(group.ccgs.all()), group.footprint_day)
    docs = agreed_versions([group]).get(group.pk, {})
    terms, agreement = docs.get("terms_of_reference"), docs.get("collaboration_agreement")
    return {
        "members": sum(1 for m in group.members.all() if m.is_current_on(today)),
        "covered": coverage.covered_count,
        "footprint": len(coverage.footprint),
        "coverage_percent": coverage.percent,
        "not_covered": [c.name for c in coverage.not_covered],
        # "CCG" or "ICB": what the footprint's organisations were on the group's date (issue 13).
        "commissioner": commissioner_label(group.footprint_day),
        "terms_agreed": terms.agreed_on.isoformat() if terms and terms.agreed_on else None,
        "agreement_agreed": (
            agreement.agreed_on.isoformat() if agreement and agreement.agreed_on else None
        ),
    }


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
    ids = [p.pk for p in priorities]
    deliveries = {
        d.proposal_id: d
        for d in Delivery.objects.filter(proposal_id__in=ids).select_related("subgroup")
    }
    # The updates and milestones as values, not model instances: a national plan has hundreds.
    latest: dict[int, tuple[str, Decimal]] = {}
    for proposal_id, rag, realised in (
        DeliveryUpdate.objects.filter(proposal_id__in=ids)
        .order_by("proposal_id", "-reported_on", "-pk")
        .values_list("proposal_id", "rag", "qipp_realised")
    ):
        latest.setdefault(proposal_id, (rag, realised))
    milestones: dict[int, list[tuple[str, datetime.date]]] = {}
    for proposal_id, status, due_date in Milestone.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "status", "due_date"
    ):
        milestones.setdefault(proposal_id, []).append((status, due_date))
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_ = (Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS)
    done, missed, overdue = (
        Milestone.Status.DONE,
        Milestone.Status.MISSED,
        Milestone.counts_as_overdue,
    )
    rows = []
    for p in priorities:
        ms = milestones.get(p.pk, [])
        update = latest.get(p.pk)
        delivery = deliveries.get(p.pk)
        late = sum(1 for status, due in ms if overdue(status, due, today))
        finished = sum(1 for status, _ in ms if status == done)
        rows.append(
            PriorityProgress(
                proposal=p,
                delivery=delivery,
                target=delivery.qipp_target if delivery else p.qipp_savings,
                realised=update[1] if update else Decimal(0),
                rag=update[0] if update else None,
                milestones_done=finished,
                milestones_due=len(ms) - finished - late,
                milestones_overdue=late,
                milestones_soon=sum(
                    1 for status, due in ms if status in open_ and today <= due <= soon
                ),
                milestones_missed=sum(1 for status, _ in ms if status == missed),
                milestones_total=len(ms),
            )
        )
    return rows
