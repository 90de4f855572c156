"""What the timeline page tests share: the seeded milestones they use, the personas of the
ladder, the pages' addresses, and quick ways to make a plan, a notification or a claim."""

import datetime
import html
import zoneinfo

from django.urls import reverse

from priorities import services as plan_services
from tests.factories import make_group
from timeline import notifications
from timeline.models import Notification, ReminderClaim
from timeline.reminders import ensure_default_rules

LONDON_TZ = zoneinfo.ZoneInfo("Europe/London")
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
    group = make_group(by=officer)
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
    }
