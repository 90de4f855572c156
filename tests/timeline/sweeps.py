"""What the reminder tests share: two milestones of the seeded 2015/16 calendar, the people
they concern, the working days of those years, and readers of the emails the sweep sends."""

import datetime
import zoneinfo
from collections import Counter

from django.core import mail

from hubs.models import Hub
from priorities import services as plan_services
from tests.factories import make_group
from timeline.models import ReminderRule
from timeline.workdays import WorkingDays

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
NEC = "north-east-and-cumbria"
NEC_NAME, LONDON_NAME = "North East and Cumbria", "London"
HELEN, DAVID, ROBERT = "helen@example.nhs.uk", "david@example.nhs.uk", "robert@example.nhs.uk"
SAM, LARA = "sam@example.nhs.uk", "lara@example.nhs.uk"

# A milestone of the seed's 2015/16 calendar (timeline.cycle.SEED_2015).
PLAN = "Draft governance proposal and priorities plan"  # hub staff, due Friday 8 May 2015
# Added by the tests: CCG leads, each to propose, due Friday 24 April 2015.
PROPOSALS = "CCG priority proposals submitted"
# Added by the tests: due Tuesday 5 January 2016, just after Christmas and New Year.
CONTRACTS = "Heads of terms agreed for next year's contracts"


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def on(*days: str) -> list[datetime.date]:
    """'23 Apr 2015' → date."""
    return [datetime.datetime.strptime(day, "%d %b %Y").date() for day in days]  # noqa: DTZ007


def parse(subject: str) -> tuple[str, str, str]:
    """'Due 8 May 2015: Title (Hub)' → ('Due 8 May 2015', 'Title', 'Hub')."""
    prefix, rest = subject.split(": ", 1)
    title, hub = rest.rsplit(" (", 1)
    return prefix, title, hub.removesuffix(")")


def sent_about(sent, title: str) -> set[tuple]:
    """(recipient, subject prefix, hub, day emailed) for every email about one milestone."""
    result = set()
    for to, subject, day in sent:
        prefix, about, hub = parse(subject)
        if about == title:
            result.add((to, prefix, hub, day))
    return result


def expect(to: str, prefix: str, hub: str, *days: str) -> set[tuple]:
    return {(to, prefix, hub, day) for day in on(*days)}


def outbox_counts() -> Counter:
    """How many times each person was emailed each subject."""
    return Counter((message.to[0], message.subject) for message in mail.outbox)


def rule(kind: str, days: int = 0) -> ReminderRule:
    return ReminderRule(name=f"{kind} {days}", kind=kind, working_days=days)


def submit_plan(by, hub: Hub) -> None:
    """The hub's oversight group submits its 2015/16 plan: what satisfies PLAN."""
    group = make_group(by=by, hub=hub, name=f"{hub.name} group")
    plan = plan_services.plan_create(by=by, group=group, year=2015)
    plan = plan_services.plan_update(by=by, plan=plan, version=plan.version, context="2015/16")
    plan_services.plan_submit(by=by, plan=plan, version=plan.version)


WD = WorkingDays(D(2015, 1, 1), D(2016, 12, 31))
DUE = D(2015, 5, 8)  # Friday; Monday 4 May and Monday 25 May are bank holidays
