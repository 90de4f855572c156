from celery import shared_task

from . import emails


@shared_task
def reviewer_invitation_send(reviewer_id: int) -> int:
    """Email an invited reviewer; returns how many emails went. Safe to run twice: an
    invitation already answered is not sent again."""
    return emails.reviewer_invitation_send(reviewer_id=reviewer_id)
