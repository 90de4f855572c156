"""Queueing background work after commit, without letting a broker outage fail the request.

The record that asks for the work (an export, a reminder claim, a published version awaiting
its PDF) is written first and says what is owed; the task only does it. If Redis is down when
the transaction commits, the request still succeeds, the record stays "queued", and a beat
task puts it back on the queue once the broker answers again. Tasks claim their record with a
conditional update, so queueing twice never does the work twice.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, countdown: int | None = None) -> bool:
    """Send a task now; False (and a warning) if the broker cannot be reached."""
    try:
        task.apply_async(args=list(args), countdown=countdown or None)
    except Exception as error:  # kombu/redis raise many kinds; any means "not queued"
        logger.warning(
            "Could not queue %s%s (%s); it will be queued again.", task.name, args, error
        )
        return False
    return True


def enqueue_on_commit(task, *args, countdown: int | None = None) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, countdown=countdown))
