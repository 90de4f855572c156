"""Which milestones each hub has done, and which are due or overdue: read from the records that
satisfy them, for many hubs and milestones in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from hubs.models import CCG, Hub
from meetings.models import Meeting
from oversight.models import OversightGroup
from priorities.models import PlanVersion, PrioritiesPlan, Proposal
from reviews.models import PeerReview, ReviewCycle

from .models import CalendarMilestone, MilestoneCompletion, Satisfier

DUE_SOON_DAYS = 30
# A meeting in the month before a milestone with no start date counts for it (a workshop).
MEETING_WINDOW = datetime.timedelta(days=45)


class State:
    DONE = "done"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"

    LABELS = {DONE: "Done", OVERDUE: "Overdue", DUE: "Due soon", UPCOMING: "Upcoming"}
    TAGS = {DONE: "green", OVERDUE: "red", DUE: "yellow", UPCOMING: "grey"}


@dataclass
class Records:
    """What satisfies milestones, for a set of hubs and years."""

    plans: dict[tuple[int, int], int] = field(default_factory=dict)  # (hub, year) → plan id
    submitted: set[tuple[int, int]] = field(default_factory=set)  # (hub, year)
    groups: dict[int, int] = field(default_factory=dict)  # hub → open group id
    meetings: dict[int, list[datetime.date]] = field(default_factory=lambda: defaultdict(list))
    proposals: set[tuple[int, int]] = field(default_factory=set)  # (ccg, year) submitted
    hub_proposals: set[tuple[int, int]] = field(default_factory=set)  # (hub, year)
    declared: set[tuple[int, int]] = field(default_factory=set)  # (hub, year)
    reports: set[tuple[int, int, str]] = field(default_factory=set)  # (hub, year, kind)
    reviews: dict[tuple[int, int, str], int] = field(default_factory=dict)
    cycles: dict[tuple[int, str], int] = field(default_factory=dict)
    completions: set[tuple[int, int]] = field(default_factory=set)  # (milestone, hub)

    def hub_done(self, milestone: CalendarMilestone, hub_id: int) -> bool:
        year, kind = milestone.year, milestone.satisfied_by
        if (milestone.pk, hub_id) in self.completions:
            return True
        if kind == Satisfier.PLAN_SUBMITTED:
            return (hub_id, year) in self.submitted
        if kind == Satisfier.NEXT_PLAN_STARTED:
            return (hub_id, year + 1) in self.plans
        if kind == Satisfier.PROPOSAL_SUBMITTED:
            return (hub_id, year) in self.hub_proposals
        if kind == Satisfier.READINESS_DECLARED:
            return (hub_id, year) in self.declared
        if kind == Satisfier.FIRST_REPORT_ISSUED:
            return (hub_id, year, ReviewCycle.Kind.FIRST) in self.reports
        if kind == Satisfier.SECOND_REPORT_ISSUED:
            return (hub_id, year, ReviewCycle.Kind.SECOND) in self.reports
        if kind == Satisfier.MEETING_HELD:
            start = milestone.starts_on or milestone.due_on - MEETING_WINDOW
            return any(start <= d <= milestone.due_on for d in self.meetings.get(hub_id, []))
        return False

    def ccg_done(self, milestone: CalendarMilestone, ccg_id: int, hub_id: int) -> bool:
        """For CCG leads: a proposal milestone is theirs to meet; any other is the hub's."""
        if milestone.satisfied_by == Satisfier.PROPOSAL_SUBMITTED:
            return (ccg_id, milestone.year) in self.proposals or (
                milestone.pk,
                hub_id,
            ) in self.completions
        return self.hub_done(milestone, hub_id)

    def link(self, milestone: CalendarMilestone, hub: Hub) -> str:
        """The exact page where the record that satisfies the milestone is made."""
        year, kind = milestone.year, milestone.satisfied_by
        group = self.groups.get(hub.pk)
        plan = self.plans.get((hub.pk, year))
        if kind in (Satisfier.PLAN_SUBMITTED, Satisfier.PROPOSAL_SUBMITTED) and plan:
            return reverse("priorities:plan-detail", args=[plan])
        if (
            kind
            in (
                Satisfier.PLAN_SUBMITTED,
                Satisfier.PROPOSAL_SUBMITTED,
                Satisfier.NEXT_PLAN_STARTED,
            )
            and group
        ):
            if kind == Satisfier.NEXT_PLAN_STARTED and plan:
                return reverse("priorities:plan-detail", args=[plan])
            return reverse("priorities:plan-list", args=[group])
        if kind == Satisfier.MEETING_HELD and group:
            return reverse("meetings:meeting-list", args=[group])
        review_kind = {
            Satisfier.READINESS_DECLARED: ReviewCycle.Kind.FIRST,
            Satisfier.FIRST_REPORT_ISSUED: ReviewCycle.Kind.FIRST,
            Satisfier.SECOND_REPORT_ISSUED: ReviewCycle.Kind.SECOND,
        }.get(kind)
        if review_kind:
            review = self.reviews.get((hub.pk, year, review_kind))
            if review and kind != Satisfier.READINESS_DECLARED:
                return reverse("reviews:review-detail", args=[review])
            cycle = self.cycles.get((year, review_kind))
            if cycle:
                return reverse("reviews:readiness", args=[cycle, hub.slug])
        return reverse("timeline:hub", args=[hub.slug]) + f"?year={year}#milestone-{milestone.pk}"


def records_for(hub_ids, years) -> Records:
    """Everything that satisfies milestones for these hubs and years: 8 queries."""
    years = set(years)
    hub_ids = list(hub_ids)
    spread = years | {y + 1 for y in years}
    r = Records()
    for pk, hub_id, year in PrioritiesPlan.objects.filter(
        group__hub_id__in=hub_ids, year__in=spread
    ).values_list("pk", "group__hub_id", "year"):
        r.plans[(hub_id, year)] = pk
    r.submitted = set(
        PlanVersion.objects.filter(plan__group__hub_id__in=hub_ids, plan__year__in=years)
        .values_list("plan__group__hub_id", "plan__year")
        .distinct()
    )
    r.groups = dict(
        OversightGroup.objects.filter(hub_id__in=hub_ids)
        .exclude(status=OversightGroup.Status.CLOSED)
        .values_list("hub_id", "pk")
    )
    first, last = min(years), max(years)
    for hub_id, starts_at in Meeting.objects.filter(
        group__hub_id__in=hub_ids,
        status=Meeting.Status.HELD,
        starts_at__date__gte=datetime.date(first, 1, 1),
        starts_at__date__lte=datetime.date(last + 1, 3, 31),
    ).values_list("group__hub_id", "starts_at"):
        r.meetings[hub_id].append(starts_at.date())
    submitted = Proposal.objects.filter(
        plan__group__hub_id__in=hub_ids, plan__year__in=years
    ).exclude(status=Proposal.Status.DRAFT)
    for ccg_id, hub_id, year in submitted.values_list(
        "ccg_id", "plan__group__hub_id", "plan__year"
    ):
        r.hub_proposals.add((hub_id, year))
        if ccg_id is not None:
            r.proposals.add((ccg_id, year))
    for pk, hub_id, year, kind, declared, issued in PeerReview.objects.filter(
        hub_id__in=hub_ids, cycle__year__in=years
    ).values_list("pk", "hub_id", "cycle__year", "cycle__kind", "declared_at", "reports__number"):
        r.reviews[(hub_id, year, kind)] = pk
        if declared and kind == ReviewCycle.Kind.FIRST:
            r.declared.add((hub_id, year))
        if issued:
            r.reports.add((hub_id, year, kind))
    r.cycles = {
        (year, kind): pk
        for pk, year, kind in ReviewCycle.objects.filter(year__in=years).values_list(
            "pk", "year", "kind"
        )
    }
    r.completions = set(
        MilestoneCompletion.objects.filter(
            hub_id__in=hub_ids, milestone__year__in=years
        ).values_list("milestone_id", "hub_id")
    )
    return r


def state_of(milestone: CalendarMilestone, done: bool, today: datetime.date) -> str:
    if done:
        return State.DONE
    if milestone.due_on < today:
        return State.OVERDUE
    if (milestone.due_on - today).days <= DUE_SOON_DAYS:
        return State.DUE
    return State.UPCOMING


@dataclass(frozen=True)
class Cell:
    milestone: CalendarMilestone
    hub: Hub
    state: str
    link: str

    @property
    def label(self) -> str:
        return State.LABELS[self.state]

    @property
    def tag(self) -> str:
        return State.TAGS[self.state]

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE


def grid(hubs: list[Hub], year: int, today: datetime.date) -> tuple[list, dict]:
    """(milestones, {hub id: [Cell per milestone]}) for a year."""
    milestones = list(CalendarMilestone.objects.filter(year=year, archived=False))
    records = records_for([h.pk for h in hubs], [year])
    cells = {
        hub.pk: [
            Cell(m, hub, state_of(m, records.hub_done(m, hub.pk), today), records.link(m, hub))
            for m in milestones
        ]
        for hub in hubs
    }
    return milestones, cells


@dataclass(frozen=True)
class Deadline:
    milestone: CalendarMilestone
    hub: Hub
    state: str
    link: str
    ccg: CCG | None = None

    @property
    def label(self) -> str:
        return State.LABELS[self.state]

    @property
    def tag(self) -> str:
        return State.TAGS[self.state]


def deadlines_for(user, today: datetime.date, *, ahead_days: int = 60, overdue_days: int = 90):
    """The user's open milestones: overdue in the last `overdue_days`, or due within
    `ahead_days`, for each hub, CCG or region they hold a role for. A fixed number of queries."""
    from accounts.permissions import scopes

    s = scopes(user)
    if not (s.hub_ids or s.ccg_ids or s.region_ids):
        return []
    audience = Q(pk__in=[])
    if s.hub_ids:
        audience |= Q(for_hub_staff=True)
    if s.ccg_ids:
        audience |= Q(for_ccg_leads=True)
    if s.region_ids:
        audience |= Q(for_regional_teams=True)
    milestones = list(
        CalendarMilestone.objects.filter(
            audience,
            archived=False,
            due_on__gte=today - datetime.timedelta(days=overdue_days),
            due_on__lte=today + datetime.timedelta(days=ahead_days),
        )
    )
    if not milestones:
        return []
    ccgs = list(CCG.objects.filter(pk__in=s.ccg_ids).select_related("hub"))
    hubs = {
        h.pk: h
        for h in Hub.objects.filter(
            Q(pk__in=s.hub_ids) | Q(region_id__in=s.region_ids) | Q(pk__in=[c.hub_id for c in ccgs])
        )
    }
    records = records_for(hubs, {m.year for m in milestones})
    result = []
    for m in milestones:
        if m.for_hub_staff:
            for hub_id in s.hub_ids:
                hub = hubs[hub_id]
                done = records.hub_done(m, hub_id)
                result.append(Deadline(m, hub, state_of(m, done, today), records.link(m, hub)))
        if m.for_ccg_leads:
            for ccg in ccgs:
                hub = hubs[ccg.hub_id]
                done = records.ccg_done(m, ccg.pk, ccg.hub_id)
                result.append(
                    Deadline(m, hub, state_of(m, done, today), records.link(m, hub), ccg=ccg)
                )
        if m.for_regional_teams:
            for hub in hubs.values():
                if hub.region_id in s.region_ids:
                    done = records.hub_done(m, hub.pk)
                    result.append(Deadline(m, hub, state_of(m, done, today), records.link(m, hub)))
    result = [d for d in result if d.state != State.DONE]
    result.sort(key=lambda d: (d.milestone.due_on, d.hub.name))
    return result
