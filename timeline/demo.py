"""Demo timeline for local use: the 2015/16 calendar rolled forward to this financial year, a
regional milestone and a meeting action due within days, and a first reminder sweep, so that
every role sees deadlines and notifications (and beat keeps sweeping every 15 minutes)."""

import datetime

from django.utils import timezone

from accounts.models import User
from hubs.models import Hub
from oversight.models import OversightGroup

from . import reminders, services
from .cycle import GUIDANCE
from .models import CalendarMilestone, EngagementMeeting, MilestoneCompletion, Satisfier
from .workdays import WorkingDays


def demo_timeline_load(people: dict[str, User]) -> None:
    """Idempotent: does nothing once this year's calendar exists."""
    admin = people["national.admin@example.nhs.uk"]
    today = timezone.localdate()
    this_year = today.year if today.month >= 4 else today.year - 1
    if CalendarMilestone.objects.filter(year=this_year).exists():
        return
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=admin, year=2015)
    _story_2015(people)
    year = max(CalendarMilestone.objects.values_list("year", flat=True))
    while year < this_year:
        services.calendar_roll_forward(by=admin, year=year)
        year += 1
    soon = WorkingDays(today, today + datetime.timedelta(days=30)).after(today, 3)
    services.milestone_add(
        by=admin,
        year=this_year,
        title="Mid-year assurance of hubs' delivery",
        description="Regional teams review each hub's delivery dashboard and open "
        "recommendations before the second peer review.",
        starts_on=None,
        due_on=soon,
        for_hub_staff=False,
        for_ccg_leads=False,
        for_regional_teams=True,
        satisfied_by=Satisfier.MANUAL,
    )
    group = OversightGroup.objects.filter(
        hub__slug="north-east-and-cumbria", kind=OversightGroup.Kind.OVERSIGHT_GROUP
    ).first()
    meeting = group.meetings.filter(status="held").first() if group else None
    if meeting is not None:
        from meetings import services as meetings

        meetings.action_add(
            by=people["nec.hub@example.nhs.uk"],
            meeting=meeting,
            owner="Helen Carter",
            description="Circulate the mid-year delivery dashboard to members",
            due_date=soon,
        )
    reminders.reminders_sweep()


def _story_2015(people: dict[str, User]) -> None:
    """The guidance published on 4 March 2015 (seed 000 §4.1.1) and North East and Cumbria's
    March workshop with its CCGs, before its group started: both dated as they happened."""
    guidance = CalendarMilestone.objects.filter(year=2015, title=GUIDANCE, archived=False).first()
    if guidance is not None and not guidance.completions.exists():
        done = services.milestone_complete_nationally(
            by=people["national.admin@example.nhs.uk"], milestone=guidance
        )
        MilestoneCompletion.objects.filter(pk=done.pk).update(
            completed_at=datetime.datetime(2015, 3, 4, 10, tzinfo=datetime.UTC)
        )
    hub = Hub.objects.filter(slug="north-east-and-cumbria").first()
    if hub is not None and not EngagementMeeting.objects.filter(hub=hub).exists():
        services.engagement_meeting_record(
            by=people["nec.hub@example.nhs.uk"],
            hub=hub,
            held_on=datetime.date(2015, 3, 18),
            title="Workshop with the hub's CCGs",
            note="Governance reviewed; access, quality and equity issues shared; emerging "
            "priorities agreed.",
        )
