"""The joint programme of work (issue 17, "What to build" 4; seed 000 §3.6, "National service
reviews": "the priorities identified in the specialised collaborative commissioning oversight
groups, together with the national review of priorities, will be jointly assessed from April
2015 onwards to agree a collective programme of work").

For a financial year, every hub's included priorities (the proposals its oversight group
included in its plan of that year) are set beside that year's national service reviews (not
archived), and each overlap is flagged:

    a local included priority overlaps a national review when both name the same Clinical
    Reference Group, or, when either names none, they are in the same Programme of Care.

A priority's Programme of Care is the one it names or, naming none, its CRG's. National admins
record the agreed way forward for each overlap (`OverlapDecision`, services.programme).

The reads here are bounded: a handful of queries whatever the number of hubs, plans,
priorities and reviews (matching is done in memory, through indexes by CRG and PoC).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from commissioning.dates import financial_year_label
from hubs.models import Hub
from national.models import ServiceReview

from .models import OverlapDecision, PrioritiesPlan, Proposal
from .permissions import plans_visible_to

FIRST_YEAR, LAST_YEAR = 2013, 2100  # the financial years a plan or a review may have
SAME_CRG = "Same Clinical Reference Group"
SAME_PROGRAMME = "Same Programme of Care"


def priority_programme_id(proposal: Proposal) -> int | None:
    """The Programme of Care a priority is in: its own, or its CRG's (crg preloaded)."""
    if proposal.programme_of_care_id is not None:
        return proposal.programme_of_care_id
    crg = proposal.crg if proposal.crg_id is not None else None
    return crg.programme_id if crg is not None else None


def overlap_reason(proposal: Proposal, review: ServiceReview) -> str | None:
    """Why a priority overlaps a review (SAME_CRG, SAME_PROGRAMME), or None if it does not."""
    if proposal.crg_id is not None and review.crg_id is not None:
        return SAME_CRG if proposal.crg_id == review.crg_id else None
    programme = priority_programme_id(proposal)
    if programme is not None and programme == review.programme_id:
        return SAME_PROGRAMME
    return None


def is_overlap(proposal: Proposal, review: ServiceReview) -> bool:
    """The pair the agreed way forward is recorded for: an included priority and a national
    review (not archived) of the same financial year, overlapping by the rule above."""
    return (
        proposal.status == Proposal.Status.INCLUDED
        and not review.archived
        and proposal.plan.year == review.year
        and overlap_reason(proposal, review) is not None
    )


@dataclass(frozen=True)
class Overlap:
    proposal: Proposal
    review: ServiceReview
    reason: str
    decision: OverlapDecision | None

    @property
    def agreed(self) -> bool:
        return self.decision is not None

    @property
    def basis(self) -> str:
        """What they share: the CRG's name or the Programme of Care's."""
        if self.reason == SAME_CRG and self.review.crg is not None:
            return self.review.crg.name
        return self.review.programme.name


class _ReviewIndex:
    """The year's reviews by CRG and by Programme of Care, to match priorities in memory."""

    def __init__(self, reviews: Iterable[ServiceReview]):
        self.reviews = list(reviews)
        self.by_crg: dict[int, list[ServiceReview]] = defaultdict(list)
        self.by_programme: dict[int, list[ServiceReview]] = defaultdict(list)
        for review in self.reviews:
            if review.crg_id is not None:
                self.by_crg[review.crg_id].append(review)
            self.by_programme[review.programme_id].append(review)

    def matches(self, proposal: Proposal) -> list[tuple[ServiceReview, str]]:
        found: dict[int, tuple[ServiceReview, str]] = {}
        if proposal.crg_id is not None:
            for review in self.by_crg.get(proposal.crg_id, []):
                found[review.pk] = (review, SAME_CRG)
        programme = priority_programme_id(proposal)
        for review in self.by_programme.get(programme, []) if programme is not None else []:
            reason = overlap_reason(proposal, review)
            if reason is not None:
                found.setdefault(review.pk, (review, reason))
        return sorted(found.values(), key=lambda pair: (pair[0].title, pair[0].pk))


def _reviews(year: int, condition: Q | None = None):
    rows = ServiceReview.objects.filter(year=year, archived=False)
    if condition is not None:
        rows = rows.filter(condition)
    return rows.select_related("programme", "crg").order_by("programme__name", "title", "pk")


def _decisions(proposal_ids: list[int]) -> dict[tuple[int, int], OverlapDecision]:
    if not proposal_ids:
        return {}
    rows = OverlapDecision.objects.filter(proposal_id__in=proposal_ids).select_related("decided_by")
    return {(d.proposal_id, d.review_id): d for d in rows}


def _overlaps(priorities: list[Proposal], index: _ReviewIndex) -> list[Overlap]:
    pairs = [(p, r, why) for p in priorities for r, why in index.matches(p)]
    decisions = _decisions(sorted({p.pk for p, _, _ in pairs}))
    overlaps = []
    for p, r, why in pairs:
        decision = decisions.get((p.pk, r.pk))
        if decision is not None:  # the pair already loaded, with what it preloads
            decision.proposal, decision.review = p, r
        overlaps.append(Overlap(p, r, why, decision))
    return overlaps


# --- the plan page --------------------------------------------------------------------------


def plan_overlaps(plan: PrioritiesPlan, included: list[Proposal]) -> list[Overlap]:
    """The plan's included priorities (`included`, their CRG preloaded) that overlap a
    national review of the plan's year, each with its agreed way forward: at most two
    queries, none when no priority names a Programme of Care or a CRG."""
    programmes = {p for p in map(priority_programme_id, included) if p is not None}
    crgs = {p.crg_id for p in included if p.crg_id is not None}
    if not programmes and not crgs:
        return []
    index = _ReviewIndex(_reviews(plan.year, Q(programme_id__in=programmes) | Q(crg_id__in=crgs)))
    return _overlaps(included, index)


# --- the joint programme page ---------------------------------------------------------------


@dataclass
class PriorityRow:
    proposal: Proposal
    overlaps: list[Overlap] = field(default_factory=list)
    readable: bool = False  # the viewer may open the priority's page


@dataclass
class HubRow:
    hub: Hub
    plans: list[PrioritiesPlan]
    priorities: list[PriorityRow]
    own: bool  # the viewer's hub, or a hub of the viewer's region


@dataclass
class ReviewRow:
    review: ServiceReview
    overlaps: list[Overlap]


@dataclass
class JointProgramme:
    year: int
    reviews: list[ReviewRow]
    hubs: list[HubRow]
    overlaps: list[Overlap]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def priority_count(self) -> int:
        return sum(len(h.priorities) for h in self.hubs)

    @property
    def hubs_without(self) -> list[HubRow]:
        """The hubs with no included priority this year."""
        return [h for h in self.hubs if not h.priorities]

    @property
    def agreed_count(self) -> int:
        return sum(1 for o in self.overlaps if o.agreed)


def _hubs(year: int, plan_hub_ids: set[int]) -> list[Hub]:
    """The hubs open during the year, and any other with a plan for it."""
    first, last = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    open_then = Q(valid_from__lte=last) & (Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    return list(
        Hub.objects.filter(open_then | Q(pk__in=plan_hub_ids))
        .select_related("region")
        .order_by("region__name", "name")
    )


def joint_programme(user, year: int, *, own_hub_ids: frozenset[int]) -> JointProgramme:
    """Every hub's included priorities of `year` beside the year's national reviews, with the
    overlaps and their agreed way forward. `own_hub_ids` are the hubs to mark as the viewer's
    (and list first). Seven queries whatever the size."""
    plans = list(
        PrioritiesPlan.objects.filter(year=year)
        .select_related("group__hub")
        .order_by("group__hub__name", "group__name")
    )
    readable = set(plans_visible_to(user).filter(year=year).values_list("pk", flat=True))
    priorities = list(
        Proposal.objects.filter(plan__year=year, status=Proposal.Status.INCLUDED)
        .select_related("plan__group__hub", "programme_of_care", "crg", "ccg")
        .order_by("title", "pk")
    )
    index = _ReviewIndex(_reviews(year))
    overlaps = _overlaps(priorities, index)
    by_proposal: dict[int, list[Overlap]] = defaultdict(list)
    by_review: dict[int, list[Overlap]] = defaultdict(list)
    for overlap in overlaps:
        by_proposal[overlap.proposal.pk].append(overlap)
        by_review[overlap.review.pk].append(overlap)
    plans_by_hub: dict[int, list[PrioritiesPlan]] = defaultdict(list)
    for plan in plans:
        plans_by_hub[plan.group.hub_id].append(plan)
    rows_by_hub: dict[int, list[PriorityRow]] = defaultdict(list)
    for p in priorities:
        row = PriorityRow(p, by_proposal.get(p.pk, []), p.plan_id in readable)
        rows_by_hub[p.plan.group.hub_id].append(row)
    hubs = [
        HubRow(h, plans_by_hub.get(h.pk, []), rows_by_hub.get(h.pk, []), h.pk in own_hub_ids)
        for h in _hubs(year, set(plans_by_hub))
    ]
    hubs.sort(key=lambda row: not row.own)  # stable: the viewer's own first, then as listed
    overlaps.sort(
        key=lambda o: (o.agreed, o.proposal.plan.group.hub.name, o.proposal.title, o.review.title)
    )
    return JointProgramme(
        year=year,
        reviews=[ReviewRow(r, by_review.get(r.pk, [])) for r in index.reviews],
        hubs=hubs,
        overlaps=overlaps,
    )


def programme_years(today: datetime.date) -> list[int]:
    """The years with a plan or a national review, and this financial year, latest first."""
    years = set(PrioritiesPlan.objects.values_list("year", flat=True).distinct())
    years |= set(ServiceReview.objects.values_list("year", flat=True).distinct())
    years.add(today.year if today.month >= 4 else today.year - 1)
    return sorted(years, reverse=True)


def overlap_decisions_for_api(year: int | None = None):
    rows = OverlapDecision.objects.select_related(
        "proposal__plan__group__hub", "review", "decided_by"
    ).order_by("review__year", "proposal_id", "review_id")
    return rows.filter(review__year=year) if year is not None else rows


def overlap_pair(proposal_id: int, review_id: int) -> tuple[Proposal | None, ServiceReview | None]:
    """The priority and the review a decision names (None for one that does not exist)."""
    proposal = (
        Proposal.objects.select_related("plan__group__hub", "programme_of_care", "crg")
        .filter(pk=proposal_id)
        .first()
    )
    review = ServiceReview.objects.select_related("programme", "crg").filter(pk=review_id).first()
    return proposal, review


def decision_of(proposal: Proposal, review: ServiceReview) -> OverlapDecision | None:
    return OverlapDecision.objects.filter(proposal=proposal, review=review).first()
