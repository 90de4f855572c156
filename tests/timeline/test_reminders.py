"""Reminders: when each rule falls due, and a whole 2015/16 year walked day by day for two
hubs. (Faults: test_reminders_faults.py; bounded queries: test_reminders_queries.py; a real
worker: tests/system/test_reminders_worker.py.)"""

import pytest

from tests.timeline.sweeps import (
    CONTRACTS,
    DAVID,
    DUE,
    HELEN,
    LARA,
    LONDON_NAME,
    NEC_NAME,
    PLAN,
    PROPOSALS,
    ROBERT,
    SAM,
    WD,
    D,
    expect,
    parse,
    rule,
    sent_about,
    submit_plan,
)
from timeline import services
from timeline.models import Notification, ReminderClaim, ReminderRule, Satisfier
from timeline.reminders import occurrence
from timeline.workdays import is_working_day

# 1. When each rule falls due.


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
    calendar.add(  # CCG leads, each to propose: met per CCG of the footprint on 24 April 2015
        PROPOSALS,
        D(2015, 4, 24),
        for_hub_staff=False,
        for_ccg_leads=True,
        satisfied_by=Satisfier.PROPOSAL_SUBMITTED,
    )
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
