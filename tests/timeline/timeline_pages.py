"""What the timeline page tests share: the personas' ladder, small helpers and two fixtures
(the frozen day and the seed's whole calendar; each page module imports them, overriding the
reminder tests' cut-down `calendar` of conftest.py)."""

import datetime
import html
import zoneinfo

import pytest
from django.urls import reverse

from hubs.models import Hub
from oversight import services as group_services
from priorities import services as plan_services
from timeline import notifications, services
from timeline.models import (
    CalendarMilestone,
    Notification,
    ReminderClaim,
)
from timeline.reminders import ensure_default_rules

NEC = "north-east-and-cumbria"
NEC_NAME = "North East and Cumbria"
# Two milestones of the seed's 2015/16 calendar (timeline.services.SEED_2015).
PLAN = "Draft governance proposal and priorities plan"  # hub staff, plan submitted, due 8 May
CONTRACTING = "Planning and contracting for next year"  # hub staff, marked done by hand
PERSONAS = [
    "roleless_user",
    "london_hub_officer",
    "sunderland_lead",
    "nec_hub_officer",
    "north_reviewer",
    "national_admin",
]


def nec_plan(officer, year: int = 2015):
    group = group_services.group_create(
        by=officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC Oversight Group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    return plan_services.plan_create(by=officer, group=group, year=year)


def notify(user, title: str, link: str = "/", n: int = 1) -> list[Notification]:
    notifications.notify(user_ids=[user.pk] * n, title=title, link=link)
    return list(Notification.objects.filter(user=user, title=title).order_by("pk"))


def claim(recipient, status=ReminderClaim.Status.SENT) -> ReminderClaim:
    return ReminderClaim.objects.create(
        rule=ensure_default_rules()[0],
        item_key="milestone:1:hub:1",
        recipient=recipient,
        occurrence=datetime.date(2015, 5, 8),
        due_on=datetime.date(2015, 5, 8),
        subject=f"Due 8 May 2015: {PLAN} ({NEC_NAME})",
        link="/timeline/",
        status=status,
        sweep="test",
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _pages(calendar) -> dict[str, str]:
    return {
        "grid": reverse("timeline:grid") + "?year=2015",
        "hub": reverse("timeline:hub", args=[NEC]) + "?year=2015",
        "calendar": reverse("timeline:calendar", args=[2015]),
        "add": reverse("timeline:milestone-add", args=[2015]),
        "edit": reverse("timeline:milestone-edit", args=[calendar[CONTRACTING].pk]),
        "inbox": reverse("timeline:inbox"),
        "preferences": reverse("timeline:preferences"),
        "reminders": reverse("timeline:reminders-admin"),
        "delivery": reverse("timeline:delivery-log"),
    }


# Who gets what on each page (200 sees it, 403 may not use it, 404 may not know it exists). The
# London hub officer follows only London: North East and Cumbria's timeline is 404 to them.
READER = {"grid": 200, "hub": 200, "calendar": 200, "inbox": 200, "preferences": 200}
NOT_ADMIN = {"add": 403, "edit": 403, "reminders": 403, "delivery": 403}
PAGE_LADDER = {
    "roleless_user": {
        "grid": 403,
        "hub": 404,
        "calendar": 403,
        "inbox": 200,
        "preferences": 200,
        **NOT_ADMIN,
    },
    "london_hub_officer": {**READER, "hub": 404, **NOT_ADMIN},
    "sunderland_lead": {**READER, **NOT_ADMIN},
    "nec_hub_officer": {**READER, **NOT_ADMIN},
    "north_reviewer": {**READER, **NOT_ADMIN},
    "national_admin": {**READER, "add": 200, "edit": 200, "reminders": 200, "delivery": 200},
}


@pytest.fixture(name="page_day")
def page_day(time_machine):
    """Monday 15 June 2015: the draft plan (due 8 May) is overdue, the rest still to come."""
    time_machine.move_to(
        datetime.datetime(2015, 6, 15, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    )
    return datetime.date(2015, 6, 15)


@pytest.fixture(name="calendar")
def seeded_calendar(national_admin) -> dict[str, CalendarMilestone]:
    """The seed's 2015/16 calendar (made by the migration; seeded again after a flush)."""
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    return {m.title: m for m in CalendarMilestone.objects.filter(year=2015, archived=False)}
