"""Sending claimed reminders by email: one at a time, or one digest per person.

A claim is marked sent the moment the mail server has accepted its message (answered the
message's data), before the connection is closed: a worker that dies, or a server that stalls,
after that point cannot cause the claim to be sent again. The only window left for a duplicate
is between the server's acceptance and that one database update (issue 14).
"""

import datetime
import logging
import uuid
from collections.abc import Callable

from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from ..emails import reminder_email
from ..models import ReminderClaim

logger = logging.getLogger("timeline.reminders")

MAX_ATTEMPTS = 5


def _send_then_mark(message: EmailMessage, mark_sent: Callable[[], object]) -> None:
    """Send one message on a connection of its own; mark it sent as soon as the server accepted
    it; only then close the connection. A close that fails or times out is logged, not raised:
    the message was accepted, and the mark stands."""
    connection = get_connection()
    connection.open()
    try:
        connection.send_messages([message])
        mark_sent()
    finally:
        try:
            connection.close()
        except Exception as error:
            logger.warning("Closing the mail connection failed after sending: %s", error)


def claim_send(claim_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """Email one claimed reminder. Taken by a conditional update, so only one worker sends it;
    a failure is retried with back-off, and recorded as failed after MAX_ATTEMPTS."""
    now = now or timezone.now()
    taken = ReminderClaim.objects.filter(pk=claim_id, status=ReminderClaim.Status.PENDING).update(
        status=ReminderClaim.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now
    )
    if not taken:
        return None
    claim = ReminderClaim.objects.select_related("recipient").get(pk=claim_id)

    def mark_sent() -> None:
        ReminderClaim.objects.filter(pk=claim_id, status=ReminderClaim.Status.SENDING).update(
            status=ReminderClaim.Status.SENT, sent_at=timezone.now(), error=""
        )

    try:
        _send_then_mark(reminder_email([claim], claim.recipient), mark_sent)
    except Exception as error:
        logger.warning("Reminder %s failed (attempt %s): %s", claim_id, claim.attempts, error)
        claim.error = f"{type(error).__name__}: {error}"[:2000]
        if claim.attempts >= MAX_ATTEMPTS:
            claim.status = ReminderClaim.Status.FAILED
        else:
            claim.status = ReminderClaim.Status.PENDING
            claim.next_attempt_at = now + datetime.timedelta(minutes=2**claim.attempts)
        claim.save(update_fields=["status", "error", "next_attempt_at"])
        return claim.status
    return ReminderClaim.Status.SENT


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """One email per person with every reminder waiting for their digest. Returns emails sent."""
    now = now or timezone.now()
    sent = 0
    users = (
        ReminderClaim.objects.filter(status=ReminderClaim.Status.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(users):
        token = uuid.uuid4().hex
        taken = ReminderClaim.objects.filter(
            recipient_id=user_id, status=ReminderClaim.Status.DIGEST
        ).update(status=ReminderClaim.Status.SENDING, sweep=token, next_attempt_at=now)
        if not taken:
            continue
        mine = ReminderClaim.objects.filter(sweep=token, status=ReminderClaim.Status.SENDING)
        claims = list(mine.select_related("recipient").order_by("due_on"))

        def mark_sent(mine=mine) -> None:
            mine.update(status=ReminderClaim.Status.SENT, sent_at=timezone.now(), error="")

        try:
            _send_then_mark(reminder_email(claims, claims[0].recipient), mark_sent)
        except Exception as error:
            logger.warning("Digest for user %s failed: %s", user_id, error)
            mine.update(
                status=ReminderClaim.Status.DIGEST, error=f"{type(error).__name__}: {error}"
            )
            continue
        sent += 1
    return sent
