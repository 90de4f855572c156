"""Reminders: when each rule falls due, a whole 2015/16 year walked day by day for two hubs,
and the faults that must never lose a reminder or send one twice."""

import datetime
import email
import os
import smtplib
import subprocess
import sys
import threading
import time
import uuid
import zoneinfo
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from celery import Celery
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import Role, RoleAssignment, User
from hubs.models import CCG, Hub, Region
from oversight import services as group_services
from priorities import services as plan_services
from tests.conftest import make_user
from timeline import reminders, services
from timeline.models import (
    CalendarMilestone,
    Notification,
    NotificationPreference,
    ReminderClaim,
    ReminderRule,
)
from timeline.reminders import MAX_ATTEMPTS, STALE_SENDING, occurrence
from timeline.workdays import WorkingDays, is_working_day

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
NEC = "north-east-and-cumbria"
NEC_NAME, LONDON_NAME = "North East and Cumbria", "London"
HELEN, DAVID, ROBERT = "helen@example.nhs.uk", "david@example.nhs.uk", "robert@example.nhs.uk"
SAM, LARA = "sam@example.nhs.uk", "lara@example.nhs.uk"

# Two milestones of the seed's 2015/16 calendar (timeline.services.SEED_2015).
PROPOSALS = "CCG priority proposals submitted"  # CCG leads, due Friday 24 April 2015
PLAN = "Draft governance proposal and priorities plan"  # hub staff, due Friday 8 May 2015
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
    seeded milestone is archived, as a national admin would."""
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


def rule(kind: str, days: int = 0) -> ReminderRule:
    return ReminderRule(name=f"{kind} {days}", kind=kind, working_days=days)


def submit_plan(by, hub: Hub) -> None:
    """The hub's oversight group submits its 2015/16 plan: what satisfies PLAN."""
    group = group_services.group_create(
        by=by, hub=hub, name=f"{hub.name} group", kind="oversight_group", start_date=D(2015, 4, 1)
    )
    plan = plan_services.plan_create(by=by, group=group, year=2015)
    plan = plan_services.plan_update(by=by, plan=plan, version=plan.version, context="2015/16")
    plan_services.plan_submit(by=by, plan=plan, version=plan.version)


# 1. When each rule falls due.

WD = WorkingDays(D(2015, 1, 1), D(2016, 12, 31))
DUE = D(2015, 5, 8)  # Friday; Monday 4 May and Monday 25 May are bank holidays


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2015, 4, 22), None),  # not yet
        (D(2015, 4, 23), D(2015, 4, 23)),  # 10 working days before (4 May is a holiday)
        (D(2015, 4, 30), D(2015, 4, 23)),  # 5 working days late: still caught up
        (D(2015, 5, 1), None),  # 6 working days late: past the catch-up window
        (D(2015, 5, 9), None),  # past the due date
    ],
)
def test_ten_working_days_before(today, expected):
    assert occurrence(rule(ReminderRule.Kind.BEFORE, 10), DUE, today, WD) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2015, 5, 4), None),  # bank holiday
        (D(2015, 5, 5), D(2015, 5, 5)),
        (D(2015, 5, 8), D(2015, 5, 5)),  # a sweep missed on the 5th is made good
    ],
)
def test_three_working_days_before(today, expected):
    assert occurrence(rule(ReminderRule.Kind.BEFORE, 3), DUE, today, WD) == expected


def test_on_the_day_and_a_due_date_that_is_not_a_working_day():
    on_day = rule(ReminderRule.Kind.ON_DAY)
    assert occurrence(on_day, DUE, D(2015, 5, 7), WD) is None
    assert occurrence(on_day, DUE, DUE, WD) == DUE
    assert occurrence(on_day, DUE, D(2015, 5, 15), WD) == DUE  # caught up within the window
    assert occurrence(on_day, DUE, D(2015, 5, 18), WD) is None
    # Due on Easter Monday 2015 or Boxing Day's substitute: the working day before.
    assert occurrence(on_day, D(2015, 4, 6), D(2015, 4, 6), WD) == D(2015, 4, 2)
    assert occurrence(on_day, D(2015, 12, 28), D(2015, 12, 28), WD) == D(2015, 12, 24)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2015, 5, 8), None),
        (D(2015, 5, 14), None),  # 4 working days late
        (D(2015, 5, 15), D(2015, 5, 15)),  # 5
        (D(2015, 5, 21), D(2015, 5, 15)),  # the latest repeat, caught up
        (D(2015, 5, 22), D(2015, 5, 22)),  # 10
        (D(2015, 5, 26), D(2015, 5, 22)),  # 25 May is the Spring bank holiday
        (D(2015, 6, 1), D(2015, 6, 1)),  # 15
        (D(2015, 9, 1), D(2015, 9, 1)),  # 80: after the Summer bank holiday
    ],
)
def test_every_five_working_days_while_overdue(today, expected):
    assert occurrence(rule(ReminderRule.Kind.OVERDUE, 5), DUE, today, WD) == expected


def test_overdue_every_working_day():
    daily = rule(ReminderRule.Kind.OVERDUE, 1)
    assert occurrence(daily, DUE, D(2015, 5, 11), WD) == D(2015, 5, 11)
    assert occurrence(daily, DUE, D(2015, 5, 12), WD) == D(2015, 5, 12)
    assert occurrence(daily, DUE, D(2015, 5, 10), WD) is None  # Sunday: not yet a working day late


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2015, 5, 21), None),  # 9 working days overdue
        (D(2015, 5, 22), D(2015, 5, 22)),  # 10
        (D(2015, 6, 1), D(2015, 5, 22)),  # caught up: 5 working days later
        (D(2015, 6, 2), None),  # too late to send
    ],
)
def test_escalation_after_ten_working_days_overdue(today, expected):
    assert occurrence(rule(ReminderRule.Kind.ESCALATION, 10), DUE, today, WD) == expected


# 2. A whole year, day by day, for two hubs.


def test_a_year_of_reminders_for_two_hubs(
    calendar,
    walk,
    nec,
    nec_hub_officer,
    sunderland_lead,
    north_reviewer,
    london_hub_officer,
    london_regional,
):
    calendar.keep(PROPOSALS)
    calendar.keep(PLAN)
    contracts = calendar.add(CONTRACTS, D(2016, 1, 5))
    events = {
        # NEC submits its plan on 20 May, after its first overdue reminder: PLAN is done for
        # NEC, not for London.
        D(2015, 5, 20): lambda: submit_plan(nec_hub_officer, nec),
        # NEC marks the contracts milestone done the day after it was due.
        D(2016, 1, 6): lambda: services.milestone_complete(
            by=nec_hub_officer, milestone=contracts, hub=nec
        ),
    }

    sent = walk(D(2015, 3, 1), D(2016, 3, 31), events=events)

    overdue_weekly_from_24_april = [
        "1 May 2015", "11 May 2015", "18 May 2015", "26 May 2015", "2 Jun 2015", "9 Jun 2015",
        "16 Jun 2015", "23 Jun 2015", "30 Jun 2015", "7 Jul 2015", "14 Jul 2015", "21 Jul 2015",
        "28 Jul 2015", "4 Aug 2015", "11 Aug 2015", "18 Aug 2015",
    ]  # fmt: skip
    assert sent_about(sent, PROPOSALS) == (
        expect(DAVID, "Due 24 April 2015", NEC_NAME, "10 Apr 2015", "21 Apr 2015")
        | expect(DAVID, "Due today, 24 April 2015", NEC_NAME, "24 Apr 2015")
        # Every 5 working days (4 and 25 May are bank holidays) until 120 days after the due
        # date (22 August): the CCG lead never proposed.
        | expect(DAVID, "Overdue since 24 April 2015", NEC_NAME, *overdue_weekly_from_24_april)
        # Ten working days overdue, the North regional team hears of it (4 May skipped).
        | expect(ROBERT, "Escalation, overdue since 24 April 2015", NEC_NAME, "11 May 2015")
    )

    overdue_weekly_from_8_may = [
        "15 May 2015", "22 May 2015", "1 Jun 2015", "8 Jun 2015", "15 Jun 2015", "22 Jun 2015",
        "29 Jun 2015", "6 Jul 2015", "13 Jul 2015", "20 Jul 2015", "27 Jul 2015", "3 Aug 2015",
        "10 Aug 2015", "17 Aug 2015", "24 Aug 2015", "1 Sep 2015",
    ]  # fmt: skip
    assert sent_about(sent, PLAN) == (
        # 10 working days before Friday 8 May is Thursday 23 April: the Early May bank
        # holiday (4 May) is not a working day. 3 before is Tuesday 5 May.
        expect(HELEN, "Due 8 May 2015", NEC_NAME, "23 Apr 2015", "5 May 2015")
        | expect(HELEN, "Due today, 8 May 2015", NEC_NAME, "8 May 2015")
        | expect(HELEN, "Overdue since 8 May 2015", NEC_NAME, "15 May 2015")
        # NEC submitted on 20 May: nothing more to Helen, and no escalation to Robert.
        | expect(SAM, "Due 8 May 2015", LONDON_NAME, "23 Apr 2015", "5 May 2015")
        | expect(SAM, "Due today, 8 May 2015", LONDON_NAME, "8 May 2015")
        # 25 May and 31 August are bank holidays; the last is within 120 days of 8 May.
        | expect(SAM, "Overdue since 8 May 2015", LONDON_NAME, *overdue_weekly_from_8_may)
        | expect(LARA, "Escalation, overdue since 8 May 2015", LONDON_NAME, "22 May 2015")
    )

    overdue_weekly_from_5_january = [
        "12 Jan 2016", "19 Jan 2016", "26 Jan 2016", "2 Feb 2016", "9 Feb 2016", "16 Feb 2016",
        "23 Feb 2016", "1 Mar 2016", "8 Mar 2016", "15 Mar 2016", "22 Mar 2016",
        "31 Mar 2016",  # Good Friday and Easter Monday 2016 skipped
    ]  # fmt: skip
    assert sent_about(sent, CONTRACTS) == (
        # Christmas Day, Boxing Day's substitute (28 December) and New Year's Day are skipped.
        expect(HELEN, "Due 5 January 2016", NEC_NAME, "17 Dec 2015", "30 Dec 2015")
        | expect(HELEN, "Due today, 5 January 2016", NEC_NAME, "5 Jan 2016")
        | expect(SAM, "Due 5 January 2016", LONDON_NAME, "17 Dec 2015", "30 Dec 2015")
        | expect(SAM, "Due today, 5 January 2016", LONDON_NAME, "5 Jan 2016")
        | expect(SAM, "Overdue since 5 January 2016", LONDON_NAME, *overdue_weekly_from_5_january)
        | expect(LARA, "Escalation, overdue since 5 January 2016", LONDON_NAME, "19 Jan 2016")
    )

    # Nothing else went to anyone, each email once, and only ever on a working day.
    assert {parse(subject)[1] for _, subject, _ in sent} == {PROPOSALS, PLAN, CONTRACTS}
    assert len(sent) == len(set(sent))
    assert all(is_working_day(day) for _, _, day in sent)
    # Each email is a claim, sent, on its occurrence day (no sweep was missed), with an inbox
    # entry of its own.
    claims = ReminderClaim.objects.select_related("recipient")
    assert claims.count() == len(sent)
    assert set(claims.values_list("status", flat=True)) == {ReminderClaim.Status.SENT}
    assert {(c.recipient.email, c.subject, c.occurrence) for c in claims} == set(sent)
    assert Notification.objects.filter(claim__isnull=False).count() == len(sent)


# 3. Faults: each reminder delivered exactly once in the end.


@pytest.fixture
def plan_due(calendar, nec_hub_officer, london_hub_officer):
    """Only PLAN (due Friday 8 May 2015) is on the calendar; Helen and Sam are its hub staff."""
    return calendar.keep(PLAN)


SMTP_DOWN = mock.patch(
    "django.core.mail.backends.locmem.EmailBackend.send_messages",
    side_effect=smtplib.SMTPException("451 Try again later"),
)


def test_a_failed_send_is_retried_after_a_back_off_and_delivered_once(plan_due, sweep):
    with SMTP_DOWN:
        result = sweep(at(D(2015, 5, 5)))  # the "3 working days before" reminders
    assert result.claimed == 2
    assert mail.outbox == []
    for claim in ReminderClaim.objects.all():
        assert claim.status == ReminderClaim.Status.PENDING
        assert claim.attempts == 1
        assert claim.next_attempt_at == at(D(2015, 5, 5), 9, 2)
        assert claim.error == "SMTPException: 451 Try again later"
    # The inbox has them whatever happens to the email.
    assert Notification.objects.count() == 2

    assert sweep(at(D(2015, 5, 5), 9, 1)).requeued == 0  # still backing off
    assert mail.outbox == []
    assert sweep(at(D(2015, 5, 5), 9, 3)).requeued == 2
    assert outbox_counts() == {
        (HELEN, f"Due 8 May 2015: {PLAN} ({NEC_NAME})"): 1,
        (SAM, f"Due 8 May 2015: {PLAN} ({LONDON_NAME})"): 1,
    }
    for claim in ReminderClaim.objects.all():
        assert (claim.status, claim.attempts, claim.error) == (ReminderClaim.Status.SENT, 2, "")

    for later in (at(D(2015, 5, 5), 9, 30), at(D(2015, 5, 5), 15), at(D(2015, 5, 6))):
        sweep(later)
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_a_send_that_keeps_failing_is_recorded_as_failed(
    plan_due, sweep, national_admin, django_capture_on_commit_callbacks
):
    when = at(D(2015, 5, 5))
    gaps = []
    with SMTP_DOWN as send:
        sweep(when)
        while ReminderClaim.objects.filter(status=ReminderClaim.Status.PENDING).exists():
            retry = ReminderClaim.objects.order_by("pk").first().next_attempt_at
            gaps.append(int((retry - when).total_seconds() // 60))
            when = retry
            sweep(when)
        assert send.call_count == 2 * MAX_ATTEMPTS
        sweep(when + datetime.timedelta(hours=1))
        assert send.call_count == 2 * MAX_ATTEMPTS  # failed is final
    assert gaps == [2, 4, 8, 16]  # back-off doubles
    claims = list(ReminderClaim.objects.all())
    assert [(c.status, c.attempts) for c in claims] == [(ReminderClaim.Status.FAILED, 5)] * 2
    assert all(c.error.startswith("SMTPException") for c in claims)
    assert mail.outbox == []

    # The mail server is back: nothing goes until an admin resends, then once.
    sweep(when + datetime.timedelta(hours=2))
    assert mail.outbox == []
    helen_claim = ReminderClaim.objects.get(recipient__email=HELEN)
    with (
        time_machine.travel(when + datetime.timedelta(hours=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders.claim_resend(by=national_admin, claim=helen_claim)
    assert outbox_counts() == {(HELEN, f"Due 8 May 2015: {PLAN} ({NEC_NAME})"): 1}
    sweep(when + datetime.timedelta(hours=4))
    assert len(mail.outbox) == 1


def test_two_sweeps_at_the_same_instant_claim_nothing_twice(plan_due, sweep):
    first = sweep(at(DUE))
    second = sweep(at(DUE))
    # On the day: "on the day" to Helen and Sam (Tuesday's "3 working days before", never
    # swept, is superseded by it and not sent late).
    assert (first.claimed, second.claimed) == (2, 0)
    assert len(mail.outbox) == 2
    assert set(outbox_counts().values()) == {1}
    assert Notification.objects.count() == 2


def test_an_overlapping_sweep_that_claimed_first_is_left_to_deliver(plan_due, sweep):
    """Another sweep has inserted Helen's claim (and will deliver it): this one must not."""
    on_day = ReminderRule.objects.get(kind=ReminderRule.Kind.ON_DAY)
    helen = User.objects.get(email=HELEN)
    with time_machine.travel(at(DUE, 8, 59), tick=False):
        theirs = ReminderClaim.objects.create(
            rule=on_day,
            item_key=f"milestone:{plan_due.pk}:hub:{Hub.objects.get(slug=NEC).pk}",
            recipient=helen,
            occurrence=DUE,
            due_on=DUE,
            subject="(claimed by the other sweep)",
            link="/",
            sweep="the-other-sweep",
        )
    mine = sweep(at(DUE, 9, 0))
    assert mine.claimed == 1  # Sam's; Helen's is theirs
    assert ReminderClaim.objects.filter(sweep=mine.sweep, recipient=helen).count() == 0
    assert ReminderClaim.objects.filter(rule=on_day, recipient=helen).get() == theirs
    assert not Notification.objects.filter(claim=theirs).exists()
    assert all(m.subject != f"Due today, 8 May 2015: {PLAN} ({NEC_NAME})" for m in mail.outbox)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_on_the_database_claim_each_reminder_once(
    register, national_admin, nec_hub_officer, london_hub_officer
):
    """Sweep B starts while sweep A holds its claims uncommitted: B waits on the unique key
    and then claims nothing. (Real transactions; the sends run eagerly after each commit.)"""
    if not CalendarMilestone.objects.filter(title=PLAN).exists():  # flushed by an earlier test
        services.calendar_seed(by=national_admin, year=2015)
    CalendarMilestone.objects.update(archived=True)
    CalendarMilestone.objects.filter(year=2015, title=PLAN).update(archived=False)
    deliver = reminders._deliver_in_app
    a_inserted = threading.Event()
    results, errors = {}, []

    def slow_deliver(claims):
        if threading.current_thread().name == "A":
            a_inserted.set()
            time.sleep(0.5)  # B tries to insert the same claims meanwhile
        deliver(claims)

    def run(name):
        try:
            if name == "B":
                a_inserted.wait(10)
            results[name] = reminders.reminders_sweep()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in "AB"]
    with (
        time_machine.travel(at(DUE), tick=False),
        mock.patch.object(reminders, "_deliver_in_app", slow_deliver),
    ):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert errors == []
    assert (results["A"].claimed, results["B"].claimed) == (2, 0)
    assert ReminderClaim.objects.count() == 2
    assert set(ReminderClaim.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 2
    assert set(outbox_counts().values()) == {1}


class WorkerKilled(BaseException):
    """The worker process dies mid-send (not an error the send path can catch)."""


def test_a_send_stuck_when_its_worker_died_is_requeued_and_sent_once(plan_due, sweep):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=WorkerKilled,
        ),
        pytest.raises(WorkerKilled),
    ):
        sweep(at(D(2015, 5, 5)))
    # The worker died sending the first of its batch; the other was never taken.
    stuck = ReminderClaim.objects.get(status=ReminderClaim.Status.SENDING)
    assert stuck.attempts == 1
    other = ReminderClaim.objects.exclude(pk=stuck.pk).get()
    assert (other.status, other.attempts) == (ReminderClaim.Status.PENDING, 0)
    assert mail.outbox == []

    # Not yet stale: another sweep leaves it alone (a slow send may still finish).
    sweep(at(D(2015, 5, 5)) + STALE_SENDING - datetime.timedelta(minutes=1))
    stuck.refresh_from_db()
    assert stuck.status == ReminderClaim.Status.SENDING
    assert [m.to[0] for m in mail.outbox] == [other.recipient.email]

    sweep(at(D(2015, 5, 5)) + STALE_SENDING + datetime.timedelta(minutes=1))
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (ReminderClaim.Status.SENT, 2)
    sweep(at(D(2015, 5, 5), 11))
    assert outbox_counts() == {
        (HELEN, f"Due 8 May 2015: {PLAN} ({NEC_NAME})"): 1,
        (SAM, f"Due 8 May 2015: {PLAN} ({LONDON_NAME})"): 1,
    }


def days(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}


@pytest.mark.parametrize(
    ("down", "ten_day_reminder"),
    [
        # Down from Thursday 23 to Wednesday 29 April: Thursday 30th's sweep catches up the
        # reminder of the 23rd (5 working days late).
        (days(D(2015, 4, 23), D(2015, 4, 29)), {(HELEN, "Due 8 May 2015", D(2015, 4, 30))}),
        # Down a day longer: 1 May is 6 working days on, past the window; it is not sent late.
        (days(D(2015, 4, 23), D(2015, 4, 30)), set()),
    ],
)
def test_missed_sweeps_are_caught_up_within_the_window(
    plan_due, walk, london_hub_officer, down, ten_day_reminder
):
    # And down again on Tuesday 5 to Thursday 7 May (5 May's "3 days before" is missed).
    sent = walk(D(2015, 4, 20), D(2015, 5, 12), skip=down | days(D(2015, 5, 5), D(2015, 5, 7)))
    helen = {(to, prefix, day) for to, prefix, _, day in sent_about(sent, PLAN) if to == HELEN}
    # 5 May's "due in 3 days", missed, is not sent late beside 8 May's "due today": only the
    # newest reminder of an item goes.
    assert helen == ten_day_reminder | {(HELEN, "Due today, 8 May 2015", D(2015, 5, 8))}
    # The claims keep the day each reminder belonged to.
    assert set(
        ReminderClaim.objects.filter(recipient__email=HELEN).values_list("occurrence", flat=True)
    ) == {D(2015, 5, 8)} | ({D(2015, 4, 23)} if ten_day_reminder else set())
    assert len(mail.outbox) == ReminderClaim.objects.count()  # one email per claim


def test_a_broker_outage_leaves_claims_pending_for_the_next_sweep(plan_due, sweep):
    with mock.patch(
        "timeline.tasks.reminders_send.delay", side_effect=OperationalError("Redis is down")
    ) as delay:
        result = sweep(at(D(2015, 5, 5)))
        assert delay.called
    assert result.claimed == 2
    assert mail.outbox == []
    assert set(ReminderClaim.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert Notification.objects.count() == 2  # the inbox does not need the broker

    # The broker is back for the next sweep, a quarter of an hour later: sent, once.
    assert sweep(at(D(2015, 5, 5), 9, 15)).requeued == 2
    sweep(at(D(2015, 5, 5), 9, 30))
    sweep(at(D(2015, 5, 6)))
    assert outbox_counts() == {
        (HELEN, f"Due 8 May 2015: {PLAN} ({NEC_NAME})"): 1,
        (SAM, f"Due 8 May 2015: {PLAN} ({LONDON_NAME})"): 1,
    }
    assert set(ReminderClaim.objects.values_list("status", flat=True)) == {"sent"}


def test_digest_and_muted_preferences(
    calendar, sweep, nec_hub_officer, london_hub_officer, london_regional
):
    calendar.keep(PLAN)
    calendar.add("Governance proposal agreed", DUE)
    services.preference_set(by=nec_hub_officer, email="digest", mute_non_essential=False)
    services.preference_set(by=london_hub_officer, email="immediate", mute_non_essential=True)
    services.preference_set(by=london_regional, email="immediate", mute_non_essential=True)

    def digest(when):
        with time_machine.travel(when, tick=False):
            return reminders.digest_send()

    # Tuesday 5 May: two "3 days before" reminders each for Helen and Sam.
    assert sweep(at(D(2015, 5, 5))).claimed == 4
    assert mail.outbox == []
    assert Counter(ReminderClaim.objects.values_list("recipient__email", "status")) == {
        (HELEN, "digest"): 2,
        (SAM, "in_app"): 2,
    }
    assert Notification.objects.filter(user=london_hub_officer).count() == 2

    assert digest(at(D(2015, 5, 6), 7)) == 1
    assert digest(at(D(2015, 5, 6), 7, 5)) == 0
    (message,) = mail.outbox
    assert message.to == [HELEN]
    assert message.subject == "Your 2 reminders from Collaborative Commissioning"
    assert f"Due 8 May 2015: {PLAN} ({NEC_NAME})" in message.body
    assert f"Due 8 May 2015: Governance proposal agreed ({NEC_NAME})" in message.body
    assert message.alternatives[0][1] == "text/html"

    # On the day is essential: emailed at once to the digest reader and the muted alike.
    mail.outbox.clear()
    sweep(at(DUE))
    assert sorted((m.to[0], parse(m.subject)[0]) for m in mail.outbox) == [
        (HELEN, "Due today, 8 May 2015"),
        (HELEN, "Due today, 8 May 2015"),
        (SAM, "Due today, 8 May 2015"),
        (SAM, "Due today, 8 May 2015"),
    ]

    # Overdue repeats are not essential; the escalation is, even for muted Lara.
    mail.outbox.clear()
    sweep(at(D(2015, 5, 15)))
    assert mail.outbox == []
    sweep(at(D(2015, 5, 22)))
    assert sorted((m.to[0], parse(m.subject)[0]) for m in mail.outbox) == [
        (LARA, "Escalation, overdue since 8 May 2015"),
        (LARA, "Escalation, overdue since 8 May 2015"),
    ]
    assert digest(at(D(2015, 5, 23), 7)) == 1  # Helen's four overdue reminders, in one
    assert mail.outbox[-1].subject == "Your 4 reminders from Collaborative Commissioning"
    sam = ReminderClaim.objects.filter(recipient=london_hub_officer)
    assert Counter(sam.values_list("status", "essential")) == {
        ("in_app", False): 6,
        ("sent", True): 2,
    }


def test_an_email_links_to_the_exact_page(
    plan_due, sweep, nec, nec_hub_officer, london_hub_officer
):
    submit_plan(london_hub_officer, Hub.objects.get(slug="london"))
    sweep(at(D(2015, 5, 5)))
    (message,) = mail.outbox  # London's plan is submitted: only Helen is reminded
    assert message.to == [HELEN]
    claim = ReminderClaim.objects.get(recipient=nec_hub_officer)
    # NEC has no group yet, so the link is its timeline, at the milestone.
    page = reverse("timeline:hub", args=[nec.slug]) + f"?year=2015#milestone-{plan_due.pk}"
    assert claim.link == page
    assert f"{settings.SITE_URL}{page}" in message.body
    assert f"{settings.SITE_URL}{page}".replace("&", "&amp;") in message.alternatives[0][0]
    assert not london_hub_officer.notifications.exists()


# 4. Bounded queries.


def test_the_sweep_makes_the_same_number_of_queries_for_5_or_200_ccg_leads(
    calendar, django_capture_on_commit_callbacks
):
    calendar.keep(PROPOSALS)  # CCG leads, due Friday 24 April 2015
    ccgs = list(
        CCG.objects.filter(valid_from__lte=D(2015, 4, 1), valid_to__isnull=True).order_by("pk")
    )

    def add_leads(start, stop):
        users = User.objects.bulk_create(
            User(email=f"lead{n}@example.nhs.uk", full_name=f"Lead {n}") for n in range(start, stop)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role=Role.CCG_LEAD, ccg=ccgs[n % len(ccgs)])
            for n, u in enumerate(users, start)
        )
        # Some choose a digest and some mute: the routing is by bulk update, not per person.
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=u, email="digest", mute_non_essential=n % 2 == 0)
            for n, u in enumerate(users)
            if n % 3 == 0
        )

    def measure(when):
        with (
            time_machine.travel(when, tick=False),
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,  # the sends: not measured
        ):
            result = reminders.reminders_sweep()
        return result.claimed, len(queries), len(callbacks)

    add_leads(0, 5)
    few = measure(at(D(2015, 4, 10)))  # "10 working days before"
    ReminderClaim.objects.update(status=ReminderClaim.Status.SENT)  # as if emailed
    add_leads(5, 200)
    many = measure(at(D(2015, 4, 21)))  # "3 working days before"
    assert few[0] == 5
    assert many[0] == 200
    assert few[1] == many[1] <= 25
    assert few[2] == many[2]


# 5. A real Celery worker on Redis.

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

# The worker sends the emails the sweep queues on the default queue: make its own test queue
# the default, so nothing strays onto a queue shared with other runs.
WORKER = """
import os, sys
from commissioning.celery import app
app.conf.task_default_queue = os.environ["TEST_QUEUE"]
app.worker_main(sys.argv[1:])
"""


def _database_url() -> str:
    """The URL of the test database this process is using, for the worker to share."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, transactional_db):
    """A Celery worker process on its own queue, emailing into files under tmp_path."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": "https://commissioning.example.nhs.uk",
        "TEST_QUEUE": queue,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--logfile={log}",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        yield {"queue": queue, "mail_dir": mail_dir, "log": log}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _emails(mail_dir: Path) -> list[tuple[str, str]]:
    """(to, subject) of every email the file backend wrote."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for text in path.read_text().split("-" * 79):
            if text.strip():
                message = email.message_from_string(text.strip())
                found.append((message["To"], " ".join(str(message["Subject"]).split())))
    return found


@pytest.mark.celery_worker
@pytest.mark.skipif(not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)")
def test_a_real_worker_runs_the_sweep_and_sends_each_reminder_once(worker, register):
    from django.utils import timezone

    admin = make_user("nadia@example.nhs.uk", "Nadia Shah", (Role.NATIONAL_ADMIN, None))
    make_user(HELEN, "Helen Carter", (Role.HUB_STAFF, Hub.objects.get(slug=NEC)))
    make_user(SAM, "Sam Patel", (Role.HUB_STAFF, Hub.objects.get(slug="london")))
    today = timezone.localdate()  # the worker's clock is the real one
    CalendarMilestone.objects.update(archived=True)
    milestone = services.milestone_add(
        by=admin, year=today.year, title="Worker test milestone", due_on=today, for_hub_staff=True
    )
    client = Celery(broker=BROKER, backend=BROKER)

    def run_sweep() -> int:
        result = client.send_task("timeline.tasks.reminders_sweep", queue=worker["queue"])
        try:
            return result.get(timeout=90)
        except Exception:
            print(worker["log"].read_text() if worker["log"].exists() else "no worker log")
            raise

    claimed = run_sweep()
    # "Due today" for each of the two (the missed "3 working days before" is superseded).
    mine = ReminderClaim.objects.filter(item_key__startswith=f"milestone:{milestone.pk}:")
    assert claimed == mine.count() == 2, list(
        ReminderClaim.objects.values_list("item_key", "subject")
    )
    deadline = time.monotonic() + 90
    while mine.exclude(status=ReminderClaim.Status.SENT).exists():
        assert time.monotonic() < deadline, worker["log"].read_text()
        time.sleep(0.2)
    assert run_sweep() == 0

    time.sleep(1)  # let a stray duplicate send (there must be none) reach the files
    sent = [e for e in _emails(worker["mail_dir"]) if "Worker test milestone" in e[1]]
    claims = mine.select_related("recipient", "rule")
    assert Counter(sent) == Counter((c.recipient.email, c.subject) for c in claims)
    assert len(sent) == 2
    assert {(c.recipient.email, c.rule.kind) for c in claims} == {
        (HELEN, "on_day"),
        (SAM, "on_day"),
    }


def test_a_rule_far_ahead_of_the_due_date_still_fires(plan_due, walk, national_admin):
    """Rules may be set up to 60 working days ahead: the sweep must look that far."""
    ReminderRule.objects.create(
        name="30 working days before", kind=ReminderRule.Kind.BEFORE, working_days=30
    )
    sent = walk(D(2015, 3, 1), D(2015, 4, 22))
    # 30 working days before Friday 8 May, over Easter and the Early May bank holiday.
    assert WD.before(DUE, 30) == D(2015, 3, 24)
    assert sent_about(sent, PLAN) == expect(HELEN, "Due 8 May 2015", NEC_NAME, "24 Mar 2015") | (
        expect(SAM, "Due 8 May 2015", LONDON_NAME, "24 Mar 2015")
    )
