from celery import shared_task

from . import notifications


@shared_task
def invitations_send(membership_ids: list[int]) -> int:
    """Email each invited CCG's leads; returns how many emails went. Safe to run twice: an
    invitation already answered is not sent again."""
    return notifications.invitations_send(membership_ids=membership_ids)
