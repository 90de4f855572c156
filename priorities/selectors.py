"""The reads priorities pages and API lists assemble, each with its preloading: the plan's
governance summary, the ranking, the delivery dashboard, and the lists views show. Access is
decided in permissions.py; these take what the user may see and read it efficiently."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from governance.selectors import agreed_versions
from hubs.models import OversightGroup
from hubs.services import group_coverage

from .models import Delivery, DeliveryUpdate, Milestone, PrioritiesPlan, Proposal, Score


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
