"""Queueing background work after commit, without letting a broker outage fail the request.

The record that asks for the work (an export, a reminder claim, a published version awaiting
its PDF) is written first and says what is owed; the task only does it. If Redis is down when
the transaction commits, the request still succeeds, the record stays "queued", and a beat
task puts it back on the queue once the broker answers again. Tasks claim their record with a
conditional update, so queueing twice never does the work twice.
"""

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def _publishing_options() -> dict:
    """A publisher's connection: socket timeouts and one quick reconnection try, all within
    BROKER_WAIT_SECONDS, so a frozen or dead Redis costs a request about that long (kombu's
    defaults wait forever on a frozen server and sleep 2 s before retrying a dead one)."""
    wait = settings.BROKER_WAIT_SECONDS
    return {
        "socket_timeout": wait,
        "socket_connect_timeout": wait,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "connect_retries_timeout": wait,
    }


def enqueue(task, *args, countdown: int | None = None) -> bool:
    """Send a task now; False (and a warning) if the broker cannot be reached in time."""
    try:
        with task.app.connection_for_write(
            connect_timeout=settings.BROKER_WAIT_SECONDS, transport_options=_publishing_options()
        ) as connection:
            task.apply_async(
                args=list(args), countdown=countdown or None, connection=connection, retry=False
            )
    except Exception as error:  # kombu/redis raise many kinds; any means "not queued"
        logger.warning(
            "Could not queue %s%s (%s); it will be queued again.", task.name, args, error
        )
        return False
    return True


def enqueue_on_commit(task, *args, countdown: int | None = None) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, countdown=countdown))
