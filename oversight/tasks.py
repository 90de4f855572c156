from celery import shared_task

from . import emails


# The name it was queued under before the move to `oversight`, so messages in flight still run.
@shared_task(name="hubs.tasks.invitations_send")
def invitations_send(membership_ids: list[int]) -> int:
    """Email each invited CCG's leads; returns how many emails went. Safe to run twice: an
    invitation already answered is not sent again."""
    return emails.invitations_send(membership_ids=membership_ids)
