"""Fixtures of the reminder tests: more people, the calendar cut down to what a test keeps or
adds, and the sweep run at a moment (once, or every day of a walk)."""

import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import Role
from hubs.models import Hub, Region
from tests.factories import make_user
from tests.timeline.sweeps import LARA, NEC, PLAN, at
from timeline import reminders, services
from timeline.models import CalendarMilestone
from timeline.reminders import ensure_default_rules

# People: the personas of tests/conftest.py, and these.


@pytest.fixture
def london_regional(register):
    """Lara, on the London regional team: escalations about London reach her."""
    return make_user(
        LARA, "Lara Okafor", (Role.REGIONAL_TEAM, Region.objects.get(hubs__slug="london"))
    )


@pytest.fixture
def nec(register) -> Hub:
    """The North East and Cumbria hub (Helen's; Sunderland CCG is in its footprint)."""
    return Hub.objects.get(slug=NEC)


@pytest.fixture
def calendar(national_admin):
    """The seeded 2015/16 calendar cut down to what a test adds with `keep` and `add`: every
    seeded milestone is archived, as a national admin would. (The migration seeds it and the
    default reminder rules; a transactional test run earlier in the process flushes both, so
    both are seeded again: tests must not depend on running before such a test.)"""
    ensure_default_rules()
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    for milestone in CalendarMilestone.objects.filter(archived=False):
        services.milestone_archive(
            by=national_admin, milestone=milestone, version=milestone.version
        )

    class Calendar:
        @staticmethod
        def keep(title: str) -> CalendarMilestone:
            milestone = CalendarMilestone.objects.get(year=2015, title=title)
            CalendarMilestone.objects.filter(pk=milestone.pk).update(archived=False)
            milestone.refresh_from_db()
            return milestone

        @staticmethod
        def add(title: str, due_on: datetime.date, **audience) -> CalendarMilestone:
            return services.milestone_add(
                by=national_admin,
                year=2015,
                title=title,
                due_on=due_on,
                **({"for_hub_staff": True} | audience),
            )

    return Calendar


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep at a moment, with what it queues after commit (the sends, run eagerly)."""

    def run(when: datetime.datetime):
        with (
            time_machine.travel(when, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return reminders.reminders_sweep()

    return run


@pytest.fixture
def walk(sweep):
    """Sweep at 09:00 every calendar day from `first` to `last`, except `skip`; run each day's
    events at noon. Returns (recipient, subject, day) for every email sent."""

    def run(first, last, *, events=None, skip=()):
        events = events or {}
        sent = []
        day = first
        while day <= last:
            if day not in skip:
                seen = len(mail.outbox)
                sweep(at(day))
                for message in mail.outbox[seen:]:
                    assert len(message.to) == 1
                    sent.append((message.to[0], message.subject, day))
            if day in events:
                with time_machine.travel(at(day, 12), tick=False):
                    events[day]()
            day += datetime.timedelta(days=1)
        return sent

    return run


@pytest.fixture
def plan_due(calendar, nec_hub_officer, london_hub_officer):
    """Only PLAN (due Friday 8 May 2015) is on the calendar; Helen and Sam are its hub staff."""
    return calendar.keep(PLAN)
