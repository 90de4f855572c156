"""Reminders under faults: each reminder delivered exactly once in the end, never twice."""

import datetime
import smtplib
from collections import Counter
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import User
from hubs.models import Hub
from tests.timeline.sweeps import (
    DUE,
    HELEN,
    LARA,
    LONDON_NAME,
    NEC,
    NEC_NAME,
    PLAN,
    SAM,
    D,
    at,
    outbox_counts,
    parse,
    sent_about,
    submit_plan,
)
from timeline import reminders, services
from timeline.models import Notification, ReminderClaim, ReminderRule
from timeline.reminders import MAX_ATTEMPTS, STALE_SENDING

# 3. Faults: each reminder delivered exactly once in the end.


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
        "timeline.tasks.reminders_send.apply_async", side_effect=OperationalError("Redis is down")
    ) as publish:
        result = sweep(at(D(2015, 5, 5)))
        assert publish.called
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


def test_a_resent_reminder_keeps_its_message_id(plan_due, sweep):
    """Issue 14: a claim sent again (say, after its worker died once the mail server had
    accepted it) carries the same Message-ID, so mail systems can drop the duplicate."""
    from timeline.emails import reminder_email

    sweep(at(D(2015, 5, 5)))
    first, second = ReminderClaim.objects.order_by("pk").select_related("recipient")
    sent_ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    again = reminder_email([first], first.recipient).message()["Message-ID"]
    assert again in sent_ids
    assert reminder_email([first], first.recipient).message()["Message-ID"] == again
    other = reminder_email([second], second.recipient).message()["Message-ID"]
    assert other != again
    assert again.startswith("<reminder-")
    assert again.endswith(">")


@pytest.mark.django_db
def test_the_default_rules_appear_all_at_once(monkeypatch):
    """The first sweep makes the default rules in one transaction of their own: a sweep
    overlapping it (another process) sees none of them or all, never the first few. Each rule
    is made one transaction level deeper than the caller (inside the test's own transaction,
    a savepoint: a transaction=True test here would empty the migrations' data for the tests
    after it), and all five exist after."""
    from django.db import connection

    from timeline.models import ReminderRule
    from timeline.reminders.rules import DEFAULT_RULES, ensure_default_rules

    ReminderRule.objects.all().delete()
    depth = len(connection.savepoint_ids)
    depths = []
    get_or_create = ReminderRule.objects.get_or_create

    def watched(**kwargs):
        depths.append(len(connection.savepoint_ids) - depth)
        return get_or_create(**kwargs)

    monkeypatch.setattr(ReminderRule.objects, "get_or_create", watched)
    rules = ensure_default_rules()
    assert depths == [1] * len(DEFAULT_RULES)
    assert sorted(r.name for r in rules) == sorted(name for name, *_ in DEFAULT_RULES)
