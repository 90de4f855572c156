from celery import shared_task

from . import emails


# The name it was queued under before the move to `oversight`, so messages in flight still run.
@shared_task(name="hubs.tasks.invitations_send")
def invitations_send(membership_ids: list[int]) -> int:
    """Email each invited CCG's leads; returns how many emails went. Safe to run twice: an
    invitation already answered is not sent again."""
    return emails.invitations_send(membership_ids=membership_ids)


@shared_task(name="oversight.tasks.footprints_bring_forward")
def footprints_bring_forward() -> int:
    """Daily: bring every live group's footprint up to today, handing over the places of
    organisations that merged or were replaced. Safe to run twice (each place passes once)."""
    from django.utils import timezone

    from .succession import live_groups_bring_forward

    return live_groups_bring_forward(timezone.localdate())


@shared_task
def representation_request_send(membership_id: int) -> int:
    """Email the representative CCG's leads that a request to represent waits for them. Safe to
    run twice in the sense that matters: a request already answered is not sent again."""
    return emails.representation_request_send(membership_id=membership_id)
