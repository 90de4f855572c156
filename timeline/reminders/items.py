"""What people are reminded of: open milestones, meeting actions and peer review
recommendations falling due, each with the people it goes to."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Role, RoleAssignment
from hubs.models import Hub
from meetings.models import Action
from reviews.issued import as_read
from reviews.models import ReviewRecommendation

from ..models import CalendarMilestone
from ..status import records_for
from ..workdays import WorkingDays

# Reminders stop this many calendar days after the due date: an item overdue that long is a
# matter for the regional team's oversight, not a nag every week for ever.
OVERDUE_HORIZON_DAYS = 120


@dataclass(frozen=True)
class Item:
    """Something with a due date that people are reminded of."""

    key: str
    title: str
    due_on: datetime.date
    link: str
    hub_id: int
    region_id: int
    recipients: tuple[int, ...]
    escalate_to: tuple[int, ...]


class Recipients:
    """Who holds which role where, loaded once per sweep (3 queries)."""

    def __init__(self, today: datetime.date):
        self.hub_staff: dict[int, set[int]] = defaultdict(set)
        self.ccg_leads: dict[int, set[int]] = defaultdict(set)  # ccg → users
        self.regional: dict[int, set[int]] = defaultdict(set)
        self.national: set[int] = set()
        self.committee: set[int] = set()  # Commissioning Committee members (issue 15)
        for user_id, role, hub_id, ccg_id, region_id in (
            RoleAssignment.objects.active()
            .filter(user__is_active=True)
            .values_list("user_id", "role", "hub_id", "ccg_id", "region_id")
        ):
            if role == Role.HUB_STAFF:
                self.hub_staff[hub_id].add(user_id)
            elif role == Role.CCG_LEAD:
                self.ccg_leads[ccg_id].add(user_id)
            elif role == Role.REGIONAL_TEAM:
                self.regional[region_id].add(user_id)
            elif role == Role.NATIONAL_ADMIN:
                self.national.add(user_id)
            elif role == Role.COMMISSIONING_COMMITTEE:
                self.committee.add(user_id)


def items_due(
    today: datetime.date, wd: WorkingDays, people: Recipients, *, ahead_working_days: int = 0
) -> list[Item]:
    """Every open item whose reminders could fall due around today, with its recipients:
    due up to a month ahead, or further if a rule reminds `ahead_working_days` before."""
    from django.urls import reverse

    window_start = today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS)
    window_end = max(today + datetime.timedelta(days=31), wd.after(today, ahead_working_days))
    hubs = {h.pk: h for h in Hub.objects.all()}
    items: list[Item] = []
    milestones = [
        m
        for m in CalendarMilestone.objects.filter(
            archived=False, due_on__gte=window_start, due_on__lte=window_end
        )
        if not m.never_overdue  # national admins' own (the guidance): nobody is chased for it
    ]
    if milestones:
        # CCG leads are those of the hub's CCGs open on the milestone's own date.
        days = {m.due_on for m in milestones if m.for_ccg_leads}
        kinds = {m.satisfied_by for m in milestones}
        records = records_for(hubs, {m.year for m in milestones}, days, kinds)
        for m in milestones:
            for hub in hubs.values():
                if records.hub_done(m, hub.pk) and not m.for_ccg_leads:
                    continue
                recipients: set[int] = set()
                hub_done = records.hub_done(m, hub.pk)
                if m.for_hub_staff and not hub_done:
                    recipients |= people.hub_staff[hub.pk]
                if m.for_regional_teams and not hub_done:
                    recipients |= people.regional[hub.region_id]
                if m.for_ccg_leads:
                    for ccg_id in records.footprint(m, hub.pk):
                        if not records.ccg_done(m, ccg_id, hub.pk):
                            recipients |= people.ccg_leads[ccg_id]
                if not recipients:
                    continue
                concerns_only_region = m.for_regional_teams and not (
                    m.for_hub_staff or m.for_ccg_leads
                )
                escalate = (
                    people.national if concerns_only_region else people.regional[hub.region_id]
                )
                items.append(
                    Item(
                        key=f"milestone:{m.pk}:hub:{hub.pk}",
                        title=f"{m.title} ({hub.name})",
                        due_on=m.due_on,
                        link=records.link(m, hub),
                        hub_id=hub.pk,
                        region_id=hub.region_id,
                        recipients=tuple(sorted(recipients)),
                        escalate_to=tuple(sorted(escalate)),
                    )
                )
    for action in Action.objects.filter(
        status=Action.Status.OPEN, due_date__gte=window_start, due_date__lte=window_end
    ).select_related("meeting__group__hub"):
        hub = action.meeting.group.hub
        items.append(
            Item(
                key=f"action:{action.pk}",
                title=f"Action: {action.description} ({hub.name})",
                due_on=action.due_date,
                link=reverse("meetings:meeting-detail", args=[action.meeting_id])
                + f"#action-{action.pk}",
                hub_id=hub.pk,
                region_id=hub.region_id,
                recipients=tuple(sorted(people.hub_staff[hub.pk])),
                escalate_to=tuple(sorted(people.regional[hub.region_id])),
            )
        )
    # A report being corrected is reminded of as issued (issue 14): its draft's rows and dates
    # are the panel's alone until the corrected version is issued.
    recommendations = (
        ReviewRecommendation.objects.filter(
            Q(archived=False, due_date__gte=window_start, due_date__lte=window_end)
            | Q(review__correcting=True),
            review__reports__isnull=False,
        )
        .exclude(status=ReviewRecommendation.Status.CLOSED)
        .select_related("review__hub")
        .distinct()
    )
    for rec in as_read(None, recommendations):
        if not window_start <= rec.due_date <= window_end:
            continue
        hub = rec.review.hub
        items.append(
            Item(
                key=f"recommendation:{rec.pk}",
                title=f"Peer review recommendation: {rec.title} ({hub.name})",
                due_on=rec.due_date,
                link=reverse("reviews:review-detail", args=[rec.review_id])
                + "#recommendations-heading",
                hub_id=hub.pk,
                region_id=hub.region_id,
                recipients=tuple(sorted(people.hub_staff[hub.pk])),
                escalate_to=tuple(sorted(people.regional[hub.region_id])),
            )
        )
    # Co-commissioning's application windows (issue 15).
    from .windows import window_items

    items.extend(window_items(window_start, window_end, people))
    return items
