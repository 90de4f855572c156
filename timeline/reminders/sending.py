"""Sending claimed reminders by email: one at a time, or one digest per person."""

import datetime
import logging
import uuid

from django.db.models import F
from django.utils import timezone

from ..emails import reminder_email
from ..models import ReminderClaim

logger = logging.getLogger("timeline.reminders")

MAX_ATTEMPTS = 5


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
    try:
        reminder_email([claim], claim.recipient).send()
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
    claim.status = ReminderClaim.Status.SENT
    claim.sent_at = timezone.now()
    claim.error = ""
    claim.save(update_fields=["status", "sent_at", "error"])
    return claim.status


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
        claims = list(
            ReminderClaim.objects.filter(sweep=token).select_related("recipient").order_by("due_on")
        )
        try:
            reminder_email(claims, claims[0].recipient).send()
        except Exception as error:
            logger.warning("Digest for user %s failed: %s", user_id, error)
            ReminderClaim.objects.filter(sweep=token).update(
                status=ReminderClaim.Status.DIGEST, error=f"{type(error).__name__}: {error}"
            )
            continue
        ReminderClaim.objects.filter(sweep=token).update(
            status=ReminderClaim.Status.SENT, sent_at=timezone.now(), error=""
        )
        sent += 1
    return sent
