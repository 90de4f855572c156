"""Reads the timeline's pages and API lists assemble, with their preloading."""

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from commissioning import outbox
from commissioning.models import OutboxItem
from hubs.models import Hub

from .models import (
    CalendarMilestone,
    EngagementMeeting,
    MilestoneCompletion,
    Notification,
    NotificationPreference,
    ReminderClaim,
)


def calendar_years() -> list[int]:
    """The financial years that have a planning calendar, earliest first."""
    return list(
        CalendarMilestone.objects.order_by("year").values_list("year", flat=True).distinct()
    )


def milestones() -> QuerySet[CalendarMilestone]:
    """Every milestone, in calendar order (the API's list)."""
    return CalendarMilestone.objects.order_by("year", "due_on", "pk")


def calendar_for_year(year: int) -> dict:
    """The year's live milestones, how many are archived, and whether the next year has any."""
    in_year = CalendarMilestone.objects.filter(year=year)
    national = MilestoneCompletion.objects.filter(
        milestone__year=year, hub__isnull=True
    ).select_related("completed_by")
    return {
        "milestones": list(in_year.filter(archived=False)),
        "national_done": {c.milestone_id: c for c in national},
        "archived": in_year.filter(archived=True).count(),
        "next_exists": CalendarMilestone.objects.filter(year=year + 1).exists(),
    }


def hub_completions(hub: Hub, year: int) -> QuerySet[MilestoneCompletion]:
    """The milestones the hub marked done by hand in `year`, with who did it."""
    return MilestoneCompletion.objects.filter(hub=hub, milestone__year=year).select_related(
        "completed_by"
    )


def engagement_meetings(hub: Hub, year: int) -> QuerySet[EngagementMeeting]:
    """The hub's meetings with its CCGs from January of `year` to the end of its financial
    year (the March workshops come before 1 April), newest first."""
    return EngagementMeeting.objects.filter(
        hub=hub,
        held_on__gte=datetime.date(year, 1, 1),
        held_on__lte=datetime.date(year + 1, 3, 31),
    ).select_related("recorded_by")


def completion_times(hub: Hub, year: int) -> dict:
    """{milestone id: when the hub marked it done} for `year`."""
    return dict(
        MilestoneCompletion.objects.filter(hub=hub, milestone__year=year).values_list(
            "milestone_id", "completed_at"
        )
    )


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def preference_for(user) -> NotificationPreference | None:
    return NotificationPreference.objects.filter(user=user).first()


def reminder_claims(status: str = "") -> QuerySet[ReminderClaim]:
    """The reminders log, newest first, optionally of one status."""
    claims = ReminderClaim.objects.select_related("recipient", "rule").order_by(
        "-claimed_at", "-pk"
    )
    if status in ReminderClaim.Status.values:
        claims = claims.filter(status=status)
    return claims


def reminder_claim_counts() -> dict[str, int]:
    """{status: how many claims}."""
    return dict(ReminderClaim.objects.values_list("status").annotate(n=Count("pk")))


def outbox_items(state: str = "", *, stuck: bool = False) -> QuerySet[OutboxItem]:
    """The delivery log's other work (welcome emails, invitations, ...), newest first: of one
    state, or only what is stuck (failed, or waiting longer than the relay takes)."""
    items = OutboxItem.objects.order_by("-created_at", "-pk")
    if stuck:
        return items.filter(outbox.stuck_since(timezone.now()))
    if state in OutboxItem.State.values:
        items = items.filter(state=state)
    return items


def outbox_counts() -> dict[str, int]:
    """{state: how many items}, and "stuck": how many need a look."""
    counts = dict(OutboxItem.objects.values_list("state").annotate(n=Count("pk")))
    counts["stuck"] = OutboxItem.objects.filter(outbox.stuck_since(timezone.now())).count()
    return counts
