"""The transactional outbox (issue 14, "What to build" 1): work a change owes is written to the
database in the same transaction as the change, then published to the broker, so a broker
outage never loses it and never holds up the request for more than BROKER_WAIT_SECONDS.

1. `add(task, *args, key=..., label=...)`, inside the change's transaction, writes an
   `OutboxItem` (pending). Its key is unique: adding the same work twice owes it once.
2. After commit, `publish` queues `commissioning.outbox_deliver(item)` with the short broker
   wait of `commissioning.queueing`; if the broker answers the item is "queued", otherwise it
   stays "pending".
3. Every minute the beat relay (`relay`) publishes pending items that are due, and puts back
   items whose message or worker was lost: queued but not taken within LOST (Redis keeps
   nothing on disk here), or taken but not finished within STALE (a worker killed).
4. A worker `deliver`s an item: it claims it with a conditional update (pending or queued ->
   running), so of two messages for one item only one does the work; it runs the task in the
   worker's process, then marks the item done, or pending again with back-off (1, 2, 4, 8, 16
   minutes), or failed after MAX_ATTEMPTS. National admins see failed and stuck items in the
   delivery log and can retry them (`retry`).

An item is done at least once and, unless a worker dies between doing it and marking it done,
exactly once: an email is sent again only if its worker dies in that window.
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import audit
from .models import OutboxItem
from .queueing import enqueue

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STALE = datetime.timedelta(minutes=10)
LOST = datetime.timedelta(minutes=10)
RELAY_BATCH = 500
State = OutboxItem.State


def add(task, *args, key: str, label: str) -> OutboxItem:
    """Owe `task(*args)`, once per key. Call it inside the transaction of the change that
    causes the work: if that rolls back, nothing is owed."""
    now = timezone.now()
    # Not get_or_create: its savepoint would cost the page cache a second invalidation.
    OutboxItem.objects.bulk_create(
        [
            OutboxItem(
                key=key[:200],
                task=task.name,
                args=list(args),
                label=label[:200],
                next_attempt_at=now,
                changed_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    item = OutboxItem.objects.get(key=key[:200])
    if item.state == State.PENDING:
        transaction.on_commit(lambda: publish([item.pk]))
    return item


def publish(item_ids: Iterable[int]) -> int:
    """Queue a delivery for each item; stops at the first the broker refuses (it is down: the
    rest would each wait for it too) and leaves that and the rest for the relay."""
    from .tasks import outbox_deliver

    published = 0
    for pk in item_ids:
        if not enqueue(outbox_deliver, pk):
            break
        OutboxItem.objects.filter(pk=pk, state=State.PENDING).update(
            state=State.QUEUED, changed_at=timezone.now()
        )
        published += 1
    return published


def deliver(item_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """Do one item's work in this process. Returns its new state, or None if another worker
    has it (or it is done)."""
    now = now or timezone.now()
    taken = OutboxItem.objects.filter(pk=item_id, state__in=[State.PENDING, State.QUEUED]).update(
        state=State.RUNNING, attempts=F("attempts") + 1, changed_at=now
    )
    if not taken:
        return None
    item = OutboxItem.objects.get(pk=item_id)
    try:
        _task(item.task)(*item.args)
    except Exception as error:
        logger.warning("Outbox item %s (%s) failed: %s", item.pk, item.label, error)
        failed = item.attempts >= MAX_ATTEMPTS
        OutboxItem.objects.filter(pk=item.pk, state=State.RUNNING).update(
            state=State.FAILED if failed else State.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now + datetime.timedelta(minutes=2 ** (item.attempts - 1)),
            changed_at=timezone.now(),
        )
        return State.FAILED if failed else State.PENDING
    OutboxItem.objects.filter(pk=item.pk, state=State.RUNNING).update(
        state=State.DONE, done_at=timezone.now(), changed_at=timezone.now(), last_error=""
    )
    return State.DONE


def relay(*, now: datetime.datetime | None = None) -> int:
    """The beat relay: put back lost work, then publish what is due. Returns how many it
    published."""
    now = now or timezone.now()
    OutboxItem.objects.filter(
        Q(state=State.RUNNING, changed_at__lt=now - STALE)
        | Q(state=State.QUEUED, changed_at__lt=now - LOST)
    ).update(state=State.PENDING, changed_at=now, next_attempt_at=now)
    due = OutboxItem.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
    return publish(list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:RELAY_BATCH]))


def stuck_since(now: datetime.datetime) -> Q:
    """Items a national admin should look at: failed, or waiting, queued or running for longer
    than the relay takes to put them right."""
    return Q(state=State.FAILED) | Q(
        state__in=[State.PENDING, State.QUEUED, State.RUNNING], changed_at__lt=now - STALE
    )


class NotRetryable(Exception):
    pass


def retry(*, by, item: OutboxItem) -> OutboxItem:
    """A national admin asks for a failed or waiting item to be tried again now (say, after
    fixing an address). Audited."""
    now = timezone.now()
    with transaction.atomic():
        updated = OutboxItem.objects.filter(
            pk=item.pk, state__in=[State.FAILED, State.PENDING]
        ).update(state=State.PENDING, attempts=0, next_attempt_at=now, changed_at=now)
        if not updated:
            raise NotRetryable("This is being done or is done already; there is nothing to retry.")
        audit.record(actor=by, verb="outbox.retried", target=item, label=item.label)
        transaction.on_commit(lambda: publish([item.pk]))
    item.refresh_from_db()
    return item


def _task(name: str):
    from .celery import app

    if name not in app.tasks:  # a process that has not imported the apps' tasks yet
        app.loader.import_default_modules()
    return app.tasks[name]
