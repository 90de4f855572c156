"""The kernel's tasks: the outbox's delivery and relay (see commissioning.outbox)."""

from celery import shared_task

from . import outbox


@shared_task(name="commissioning.outbox_deliver")
def outbox_deliver(item_id: int) -> str | None:
    """Do one outbox item's work, once (claimed by a conditional update)."""
    return outbox.deliver(item_id)


@shared_task(name="commissioning.outbox_relay")
def outbox_relay() -> int:
    """Every minute: publish outbox items that are due, and put back lost ones."""
    return outbox.relay()
