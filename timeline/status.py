"""Which milestones each hub has done, and which are due or overdue: read from the records that
satisfy them, for many hubs and milestones in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commissioning.dates import nhs_date
from hubs.models import CCG, Hub, Region
from oversight.models import OversightGroup
from reviews.models import ReviewCycle

from .cocommissioning import window_deadlines
from .models import CalendarMilestone, Satisfier
from .record_rows import record_rows

DUE_SOON_DAYS = 30
# A meeting in the month before a milestone with no start date counts for it (a workshop).
MEETING_WINDOW = datetime.timedelta(days=45)


class State:
    DONE = "done"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    AWAITED = "awaited"  # past its date, not done, but nobody is overdue for it

    LABELS = {
        DONE: "Done",
        OVERDUE: "Overdue",
        DUE: "Due soon",
        UPCOMING: "Upcoming",
        AWAITED: "Not marked done yet",
    }
    TAGS = {DONE: "green", OVERDUE: "red", DUE: "yellow", UPCOMING: "grey", AWAITED: "grey"}


def _day(moment: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if moment is None or not isinstance(moment, datetime.datetime):
        return moment
    return timezone.localtime(moment).date()


def _earliest(store: dict, key, moment) -> None:
    day = _day(moment)
    if day is not None and (key not in store or day < store[key]):
        store[key] = day


@dataclass
class Records:
    """What satisfies milestones, for a set of hubs and years: for each, the day it was met."""

    plans: dict[tuple[int, int], int] = field(default_factory=dict)  # (hub, year) → plan id
    plan_started: dict[tuple[int, int], datetime.date] = field(default_factory=dict)
    submitted: dict[tuple[int, int], datetime.date] = field(default_factory=dict)  # (hub, year)
    groups: dict[int, int] = field(default_factory=dict)  # hub → open group id
    group_spans: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    meetings: dict[int, list[datetime.date]] = field(default_factory=lambda: defaultdict(list))
    engagements: dict[int, list[datetime.date]] = field(default_factory=lambda: defaultdict(list))
    governance: dict[int, datetime.date] = field(default_factory=dict)  # hub → first draft
    proposals: dict[tuple[int, int], datetime.date] = field(default_factory=dict)  # (ccg, year)
    hub_proposals: dict[tuple[int, int], datetime.date] = field(default_factory=dict)
    declared: dict[tuple[int, int], datetime.date] = field(default_factory=dict)
    invited: dict[tuple[int, int, str], datetime.date] = field(default_factory=dict)
    reports: dict[tuple[int, int, str], datetime.date] = field(default_factory=dict)
    reviews: dict[tuple[int, int, str], int] = field(default_factory=dict)
    cycles: dict[tuple[int, str], int] = field(default_factory=dict)
    completions: dict[tuple[int, int], datetime.date] = field(default_factory=dict)
    national: dict[int, datetime.date] = field(default_factory=dict)  # milestone → day
    # hub → [(ccg, valid_from, valid_to)]: the CCGs open on some milestone's date
    ccgs: dict[int, list] = field(default_factory=lambda: defaultdict(list))

    def footprint(self, milestone: CalendarMilestone, hub_id: int) -> list[int]:
        """The hub's CCGs open on the milestone's own date (its due date), never today's."""
        day = milestone.due_on
        return [
            ccg_id
            for ccg_id, valid_from, valid_to in self.ccgs.get(hub_id, [])
            if valid_from <= day and (valid_to is None or valid_to >= day)
        ]

    def met_on(self, milestone: CalendarMilestone, hub_id: int) -> datetime.date | None:
        """The day the hub met the milestone (for one every CCG must meet: the day the last
        of its footprint did), or None."""
        if milestone.satisfied_by == Satisfier.NATIONAL_DONE:
            return self.national.get(milestone.pk)
        if (milestone.pk, hub_id) in self.completions:
            return self.completions[(milestone.pk, hub_id)]
        if milestone.every_ccg:
            met, total, last = self.progress(milestone, hub_id)
            return last if total and met == total else None
        return self._record_day(milestone, hub_id)

    def _record_day(self, milestone: CalendarMilestone, hub_id: int) -> datetime.date | None:
        year, kind = milestone.year, milestone.satisfied_by
        if kind == Satisfier.PLAN_SUBMITTED:
            return self.submitted.get((hub_id, year))
        if kind == Satisfier.NEXT_PLAN_STARTED:
            return self.plan_started.get((hub_id, year + 1))
        if kind == Satisfier.PROPOSAL_SUBMITTED:
            return self.hub_proposals.get((hub_id, year))
        if kind == Satisfier.READINESS_DECLARED:
            return self.declared.get((hub_id, year))
        if kind == Satisfier.FIRST_REPORT_ISSUED:
            return self.reports.get((hub_id, year, ReviewCycle.Kind.FIRST))
        if kind == Satisfier.SECOND_REPORT_ISSUED:
            return self.reports.get((hub_id, year, ReviewCycle.Kind.SECOND))
        if kind == Satisfier.FIRST_REVIEW_INVITED:
            return self.invited.get((hub_id, year, ReviewCycle.Kind.FIRST))
        if kind == Satisfier.SECOND_REVIEW_INVITED:
            return self.invited.get((hub_id, year, ReviewCycle.Kind.SECOND))
        if kind == Satisfier.GOVERNANCE_DRAFTED:
            return self.governance.get(hub_id)
        if kind == Satisfier.GROUP_STARTED:
            # The hub's group that had not closed by the milestone's date: met when it started.
            starts = [
                start
                for start, closed in self.group_spans.get(hub_id, [])
                if closed is None or closed >= milestone.due_on
            ]
            return min(starts) if starts else None
        if kind == Satisfier.ENGAGEMENT_HELD:
            # The first engagement meeting from the window's start (a later one: done late).
            start = milestone.starts_on or milestone.due_on - MEETING_WINDOW
            held = [d for d in self.engagements.get(hub_id, []) if d >= start]
            return min(held) if held else None
        if kind == Satisfier.MEETING_HELD:
            start = milestone.starts_on or milestone.due_on - MEETING_WINDOW
            held = [d for d in self.meetings.get(hub_id, []) if start <= d <= milestone.due_on]
            return min(held) if held else None
        return None

    def ccg_met_on(
        self, milestone: CalendarMilestone, ccg_id: int, hub_id: int
    ) -> datetime.date | None:
        if (milestone.pk, hub_id) in self.completions:
            return self.completions[(milestone.pk, hub_id)]
        if milestone.satisfied_by == Satisfier.PROPOSAL_SUBMITTED:
            return self.proposals.get((ccg_id, milestone.year))
        return self._record_day(milestone, hub_id) if not milestone.every_ccg else None

    def progress(
        self, milestone: CalendarMilestone, hub_id: int
    ) -> tuple[int, int, datetime.date | None]:
        """(how many footprint CCGs have met it, how many there are, the last day one did)."""
        days = [self.ccg_met_on(milestone, c, hub_id) for c in self.footprint(milestone, hub_id)]
        met = [d for d in days if d is not None]
        return len(met), len(days), max(met) if met else None

    def hub_done(self, milestone: CalendarMilestone, hub_id: int) -> bool:
        return self.met_on(milestone, hub_id) is not None

    def ccg_done(self, milestone: CalendarMilestone, ccg_id: int, hub_id: int) -> bool:
        """For CCG leads: a proposal milestone is theirs to meet; any other is the hub's."""
        if milestone.satisfied_by == Satisfier.PROPOSAL_SUBMITTED:
            return self.ccg_met_on(milestone, ccg_id, hub_id) is not None
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
        if kind == Satisfier.GOVERNANCE_DRAFTED and group:
            return reverse("governance:documents", args=[group])
        if kind == Satisfier.GROUP_STARTED:
            if group:
                return reverse("workspace:group-detail", args=[group])
            return reverse("oversight:group-create", args=[hub.slug])
        review_kind = {
            Satisfier.READINESS_DECLARED: ReviewCycle.Kind.FIRST,
            Satisfier.FIRST_REPORT_ISSUED: ReviewCycle.Kind.FIRST,
            Satisfier.SECOND_REPORT_ISSUED: ReviewCycle.Kind.SECOND,
            Satisfier.FIRST_REVIEW_INVITED: ReviewCycle.Kind.FIRST,
            Satisfier.SECOND_REVIEW_INVITED: ReviewCycle.Kind.SECOND,
        }.get(kind)
        if review_kind:
            review = self.reviews.get((hub.pk, year, review_kind))
            if review and kind != Satisfier.READINESS_DECLARED:
                return reverse("reviews:review-detail", args=[review])
            cycle = self.cycles.get((year, review_kind))
            if cycle:
                return reverse("reviews:readiness", args=[cycle, hub.slug])
        anchor = "engagement" if kind == Satisfier.ENGAGEMENT_HELD else f"milestone-{milestone.pk}"
        return reverse("timeline:hub", args=[hub.slug]) + f"?year={year}#{anchor}"


def records_for(hub_ids, years, days=(), kinds=None) -> Records:
    """Everything that satisfies milestones for these hubs and years, and the hubs' CCGs open
    on any of `days` (the milestones' own dates): one query (issue 20), leaving out meetings
    and governance drafts when `kinds` (the satisfiers of the milestones in question) needs
    none."""
    wanted = set(Satisfier.values if kinds is None else kinds)
    r = Records()
    rows = record_rows(list(hub_ids), set(years), set(days), wanted)
    by_source = defaultdict(list)
    for row in rows:
        by_source[row[0]].append(row[1:])
    # Which of a hub's plans for a year (or open groups) the links name: as the models' own
    # order used to decide it, the last read (plans by pk; groups latest started first).
    for pk, hub_id, _, year, _, _, created, *_ in sorted(by_source["plan"]):
        r.plans[(hub_id, year)] = pk
        _earliest(r.plan_started, (hub_id, year), created)
    for _, hub_id, _, year, _, _, frozen, *_ in by_source["version"]:
        _earliest(r.submitted, (hub_id, year), frozen)
    groups = sorted(by_source["group"], key=lambda g: (g[9], -g[0]), reverse=True)
    for pk, hub_id, _, _, _, status, _, _, _, start, closed in groups:
        if status != OversightGroup.Status.CLOSED:
            r.groups[hub_id] = pk
        if start <= timezone.localdate():
            r.group_spans[hub_id].append((start, closed))
    for _, hub_id, _, _, _, _, starts_at, *_ in by_source["meeting"]:
        r.meetings[hub_id].append(_day(starts_at))
    for row in by_source["engagement"]:
        r.engagements[row[1]].append(row[9])
    for _, hub_id, _, _, _, _, created, *_ in by_source["draft"]:
        _earliest(r.governance, hub_id, created)
    for _, hub_id, ccg_id, year, _, _, created, *_ in by_source["proposal"]:
        _earliest(r.hub_proposals, (hub_id, year), created)
        if ccg_id is not None:
            _earliest(r.proposals, (ccg_id, year), created)
    for pk, hub_id, _, year, kind, _, declared, invited, issued, *_ in by_source["review"]:
        r.reviews[(hub_id, year, kind)] = pk
        if kind == ReviewCycle.Kind.FIRST:
            _earliest(r.declared, (hub_id, year), declared)
        _earliest(r.invited, (hub_id, year, kind), invited)
        _earliest(r.reports, (hub_id, year, kind), issued)
    r.cycles = {(row[3], row[4]): row[0] for row in by_source["cycle"]}
    for milestone_id, hub_id, _, _, _, _, completed, *_ in by_source["completion"]:
        if hub_id is None:
            r.national[milestone_id] = _day(completed)
        else:
            r.completions[(milestone_id, hub_id)] = _day(completed)
    for ccg_id, hub_id, *_, valid_from, valid_to in by_source["ccg"]:
        r.ccgs[hub_id].append((ccg_id, valid_from, valid_to))
    return r


def state_of(milestone: CalendarMilestone, done: bool, today: datetime.date) -> str:
    if done:
        return State.DONE
    if milestone.due_on < today:
        return State.AWAITED if milestone.never_overdue else State.OVERDUE
    if (milestone.due_on - today).days <= DUE_SOON_DAYS:
        return State.DUE
    return State.UPCOMING


@dataclass(frozen=True)
class Cell:
    """One milestone for one hub: its state, the day it was met (if it was) and, for a milestone
    every CCG must meet, how many of the footprint have."""

    milestone: CalendarMilestone
    hub: Hub
    state: str
    link: str
    met_on: datetime.date | None = None
    met: int | None = None
    total: int | None = None

    @property
    def is_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.milestone.due_on

    @property
    def label(self) -> str:
        if self.state == State.DONE and self.is_late and self.met_on:
            return f"Done late ({nhs_date(self.met_on)})"
        return State.LABELS[self.state]

    @property
    def progress(self) -> str:
        """'4 of 11' for a milestone every CCG of the footprint must meet, else ''."""
        return f"{self.met} of {self.total}" if self.total is not None else ""

    @property
    def tag(self) -> str:
        return State.TAGS[self.state]

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE


def assess(milestone: CalendarMilestone, hub: Hub, records: Records, today: datetime.date) -> Cell:
    met_on = records.met_on(milestone, hub.pk)
    done = met_on is not None
    link = records.link(milestone, hub)
    if milestone.every_ccg:
        met, total, _ = records.progress(milestone, hub.pk)
        return Cell(milestone, hub, state_of(milestone, done, today), link, met_on, met, total)
    return Cell(milestone, hub, state_of(milestone, done, today), link, met_on)


def grid(hubs: list[Hub], year: int, today: datetime.date) -> tuple[list, dict]:
    """(milestones, {hub id: [Cell per milestone]}) for a year."""
    milestones = list(CalendarMilestone.objects.filter(year=year, archived=False))
    records = records_for(
        [h.pk for h in hubs], [year], _ccg_days(milestones), {m.satisfied_by for m in milestones}
    )
    cells = {hub.pk: [assess(m, hub, records, today) for m in milestones] for hub in hubs}
    return milestones, cells


def _ccg_days(milestones) -> set[datetime.date]:
    """The dates on which footprints are needed: those of milestones every CCG must meet."""
    return {m.due_on for m in milestones if m.every_ccg}


@dataclass(frozen=True)
class Deadline:
    """A milestone (or a co-commissioning window's date, shaped like one: issue 15) for a hub,
    a CCG, a region, or England (the Commissioning Committee's)."""

    milestone: CalendarMilestone
    hub: Hub | None
    state: str
    link: str
    ccg: CCG | None = None
    region: Region | None = None

    @property
    def concerns(self) -> str:
        """Whom it is for, as lists name it."""
        place = self.ccg or self.hub or self.region
        return place.name if place else "England"

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
    # Co-commissioning's application windows (issue 15): their dates for the people they concern.
    windows = window_deadlines(
        s,
        today,
        today - datetime.timedelta(days=overdue_days),
        today + datetime.timedelta(days=ahead_days),
    )
    windows = [d for d in windows if d.state not in (State.DONE, State.AWAITED)]
    if not (s.hub_ids or s.ccg_ids or s.region_ids):
        return sorted(windows, key=lambda d: (d.milestone.due_on, d.concerns))
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
        return sorted(windows, key=lambda d: (d.milestone.due_on, d.concerns))
    # The CCGs and hubs the person holds a role for came with their roles (issue 20); only a
    # region's hubs are read here.
    ccgs = sorted(
        {a.ccg.pk: a.ccg for a in s.assignments if a.ccg_id in s.ccg_ids}.values(),
        key=lambda c: (c.name, c.pk),
    )
    if s.region_ids:
        hubs = {
            h.pk: h
            for h in Hub.objects.filter(
                Q(pk__in=s.hub_ids)
                | Q(region_id__in=s.region_ids)
                | Q(pk__in=[c.hub_id for c in ccgs])
            )
        }
    else:
        held = [a.hub for a in s.assignments if a.hub_id in s.hub_ids] + [c.hub for c in ccgs]
        hubs = {h.pk: h for h in sorted(held, key=lambda h: (h.name, h.pk))}
    records = records_for(
        hubs,
        {m.year for m in milestones},
        _ccg_days(milestones),
        {m.satisfied_by for m in milestones},
    )
    result = []
    for m in milestones:
        if m.for_hub_staff:
            for hub_id in s.hub_ids:
                hub = hubs[hub_id]
                done = records.hub_done(m, hub_id)
                result.append(Deadline(m, hub, state_of(m, done, today), records.link(m, hub)))
        if m.for_ccg_leads:
            for ccg in ccgs:
                if not ccg.is_valid_on(m.due_on):
                    continue  # a CCG closed (or not yet formed) by then: not its deadline
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
    result = [d for d in result if d.state not in (State.DONE, State.AWAITED)] + windows
    result.sort(key=lambda d: (d.milestone.due_on, d.concerns))
    return result
