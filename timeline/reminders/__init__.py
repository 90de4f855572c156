"""The reminder sweep: what is due to whom today, claimed exactly once, then delivered.

Each reminder is a row in ReminderClaim, unique on (rule, item, recipient, occurrence). A sweep
works out every reminder whose occurrence falls between the catch-up window and today, inserts
them all with ON CONFLICT DO NOTHING under its own sweep id, and delivers only the rows that
carry that id: two overlapping sweeps, a retry or a rerun after a crash never deliver one twice,
and a sweep missed while Redis or the worker was down is made good by the next. Emails are sent
by a task per batch; a claim is taken for sending by a conditional update, failures are retried
with back-off, and a final failure is recorded for admins.
"""

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from commissioning import pagecache, pagescopes

from .. import events
from ..models import Notification, NotificationPreference, ReminderClaim, ReminderRule
from ..workdays import WorkingDays
from .items import OVERDUE_HORIZON_DAYS, Item, Recipients, items_due
from .rules import (
    CATCH_UP_WORKING_DAYS,
    DEFAULT_RULES,
    _ahead,
    _current,
    _subject,
    ensure_default_rules,
    occurrence,
)
from .sending import MAX_ATTEMPTS, claim_send, digest_send
from .upcoming import upcoming

__all__ = [
    "CATCH_UP_WORKING_DAYS",
    "DEFAULT_RULES",
    "MAX_ATTEMPTS",
    "OVERDUE_HORIZON_DAYS",
    "SEND_BATCH",
    "STALE_SENDING",
    "Item",
    "Recipients",
    "SweepResult",
    "claim_resend",
    "claim_send",
    "digest_send",
    "ensure_default_rules",
    "items_due",
    "occurrence",
    "queue_sends",
    "reminders_sweep",
    "upcoming",
]

logger = logging.getLogger(__name__)

SEND_BATCH = 50
# A claim "sending" for longer than this is taken to have died with its worker.
STALE_SENDING = datetime.timedelta(minutes=10)


@dataclass
class SweepResult:
    sweep: str
    claimed: int
    requeued: int


def reminders_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Claim and deliver every reminder due by now. Safe to run at any time, as often as you
    like, and concurrently with itself."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules = [r for r in ensure_default_rules() if r.active]
    wd = WorkingDays(today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS + 31), today)
    people = Recipients(today)
    sweep = uuid.uuid4().hex
    claims: list[ReminderClaim] = []
    for item in items_due(today, wd, people, ahead_working_days=_ahead(rules)):
        for rule, day in _current(rules, item, today, wd):
            to = item.escalate_to if rule.kind == ReminderRule.Kind.ESCALATION else item.recipients
            subject = _subject(rule, item)[:250]
            claims.extend(
                ReminderClaim(
                    rule=rule,
                    item_key=item.key,
                    recipient_id=user_id,
                    occurrence=day,
                    due_on=item.due_on,
                    subject=subject,
                    link=item.link[:300],
                    essential=rule.essential,
                    sweep=sweep,
                )
                for user_id in to
            )
    with transaction.atomic():
        ReminderClaim.objects.bulk_create(claims, batch_size=1000, ignore_conflicts=True)
        mine = list(ReminderClaim.objects.filter(sweep=sweep))
        _deliver_in_app(mine)
    requeued = _requeue(now)
    return SweepResult(sweep=sweep, claimed=len(mine), requeued=requeued)


def _deliver_in_app(claims: list[ReminderClaim]) -> None:
    """Each new claim becomes an inbox entry (once: one per claim) and is routed to email now,
    the daily digest, or the inbox only for muted non-essential reminders."""
    if not claims:
        return
    prefs = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(user_id__in={c.recipient_id for c in claims})
    }
    # Each person's own notifications: only their pages refresh (commissioning/pagedeps.py).
    with pagecache.scoped(Notification, pagescopes.PERSON, {c.recipient_id for c in claims}):
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=c.recipient_id,
                    claim=c,
                    title=c.subject,
                    link=c.link,
                    essential=c.essential,
                )
                for c in claims
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
    route: dict[str, list[int]] = defaultdict(list)
    for c in claims:
        pref = prefs.get(c.recipient_id)
        if pref and pref.mute_non_essential and not c.essential:
            route[ReminderClaim.Status.IN_APP].append(c.pk)
        elif pref and pref.email == NotificationPreference.Email.DIGEST and not c.essential:
            route[ReminderClaim.Status.DIGEST].append(c.pk)
        else:
            route[ReminderClaim.Status.PENDING].append(c.pk)
    for status, ids in route.items():
        if status != ReminderClaim.Status.PENDING:
            ReminderClaim.objects.filter(pk__in=ids).update(status=status)
    from .. import notifications

    notifications.forget_unread({c.recipient_id for c in claims})
    pending = route.get(ReminderClaim.Status.PENDING, [])
    transaction.on_commit(lambda: queue_sends(pending))


def queue_sends(claim_ids: list[int]) -> None:
    """Queue the emails in batches, waiting on the broker about a second at most (an admin's
    resend is a request). If the broker is down the claims stay pending and the next sweep
    queues them again: nothing is lost."""
    from commissioning.queueing import enqueue

    from ..tasks import reminders_send

    for start in range(0, len(claim_ids), SEND_BATCH):
        if not enqueue(reminders_send, claim_ids[start : start + SEND_BATCH]):
            return  # the broker is unreachable; the rest wait for the next sweep too


def _requeue(now: datetime.datetime) -> int:
    """Claims whose send was lost (a worker killed mid-send, a broker that was down) or whose
    retry is due go back to the queue."""
    ReminderClaim.objects.filter(
        status=ReminderClaim.Status.SENDING, next_attempt_at__lt=now - STALE_SENDING
    ).update(status=ReminderClaim.Status.PENDING)
    due = list(
        ReminderClaim.objects.filter(status=ReminderClaim.Status.PENDING)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, claimed_at__lt=now - datetime.timedelta(minutes=2))
        )
        .values_list("pk", flat=True)[:5000]
    )
    if due:
        transaction.on_commit(lambda: queue_sends(due))
    return len(due)


def claim_resend(*, by, claim: ReminderClaim) -> ReminderClaim:
    """An admin sends a reminder again (say, after fixing an address). Audited."""
    from commissioning import audit

    ReminderClaim.objects.filter(pk=claim.pk).update(
        status=ReminderClaim.Status.PENDING, attempts=0, next_attempt_at=None, error=""
    )
    audit.record(actor=by, verb=events.REMINDER_RESENT, target=claim)
    transaction.on_commit(lambda: queue_sends([claim.pk]))
    claim.refresh_from_db()
    return claim
