"""The order of a reminder's send (issue 14): the claim is marked sent the moment the mail
server has accepted the message, before the connection is closed, so a close that stalls,
fails or never happens (the worker killed) cannot get the reminder sent twice."""

import smtplib

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.backends.locmem import EmailBackend

from tests.timeline.sweeps import D, at, outbox_counts
from timeline import reminders, services
from timeline.models import ReminderClaim

SEEN_AT_CLOSE: list[dict[int, str]] = []


class CloseFails(EmailBackend):
    """Accepts every message (the locmem outbox), then fails on close, as a mail server that
    stalls on QUIT until the timeout does. Records the claims' states when close is called."""

    def close(self):
        SEEN_AT_CLOSE.append(dict(ReminderClaim.objects.values_list("pk", "status")))
        raise smtplib.SMTPServerDisconnected("timed out waiting for 221 after QUIT")


@pytest.fixture
def close_fails(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CloseFails"
    SEEN_AT_CLOSE.clear()
    yield SEEN_AT_CLOSE
    SEEN_AT_CLOSE.clear()


def test_a_claim_is_marked_sent_before_the_connection_is_closed(plan_due, sweep, close_fails):
    result = sweep(at(D(2015, 5, 5)))
    assert result.claimed == 2
    claims = list(ReminderClaim.objects.order_by("pk"))
    # One connection per claim, and at each close the claim just sent is already marked sent.
    assert len(close_fails) == 2
    sent_at_close = [
        {pk for pk, status in seen.items() if status == ReminderClaim.Status.SENT}
        for seen in close_fails
    ]
    assert len(sent_at_close[0]) == 1
    assert sent_at_close[1] == {c.pk for c in claims}
    # The failed close undid nothing and queued no retry.
    assert [(c.status, c.attempts, c.error) for c in claims] == [("sent", 1, "")] * 2
    assert all(c.next_attempt_at is not None and c.sent_at for c in claims)
    for later in (at(D(2015, 5, 5), 9, 30), at(D(2015, 5, 5), 12), at(D(2015, 5, 6))):
        assert sweep(later).requeued == 0
    assert set(outbox_counts().values()) == {1}
    assert len(mail.outbox) == 2


def test_a_digest_is_marked_sent_before_the_connection_is_closed(
    calendar, sweep, nec_hub_officer, close_fails
):
    calendar.keep("Draft governance proposal and priorities plan")
    calendar.add("Governance proposal agreed", D(2015, 5, 8))
    services.preference_set(by=nec_hub_officer, email="digest", mute_non_essential=False)
    assert sweep(at(D(2015, 5, 5))).claimed == 2
    with time_machine.travel(at(D(2015, 5, 6), 7), tick=False):
        assert reminders.digest_send() == 1
        assert reminders.digest_send() == 0
    (seen,) = close_fails
    assert set(seen.values()) == {ReminderClaim.Status.SENT}
    assert set(ReminderClaim.objects.values_list("status", "error")) == {("sent", "")}
    (message,) = mail.outbox
    assert message.subject == "Your 2 reminders from Collaborative Commissioning"


def test_a_message_the_server_refuses_is_not_marked_sent(plan_due, sweep, close_fails):
    """The other side of the order: refused (no acceptance), the claim backs off, and the
    connection is still closed."""

    def refuse(self, messages):
        raise smtplib.SMTPDataError(451, b"Try again later")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CloseFails, "send_messages", refuse)
        sweep(at(D(2015, 5, 5)))
    assert len(close_fails) == 2
    assert set(ReminderClaim.objects.values_list("status", "attempts")) == {("pending", 1)}
    assert mail.outbox == []


def test_the_mail_connection_gives_up_on_a_stalled_server():
    """EMAIL_TIMEOUT is finite, and the SMTP connection the sends open uses it."""
    assert 0 < settings.EMAIL_TIMEOUT <= 120
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout == settings.EMAIL_TIMEOUT
