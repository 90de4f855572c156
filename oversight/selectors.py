"""Reads that pages assemble about oversight groups, with their preloading."""

from accounts.permissions import scopes

from .models import CCGMembership, OversightGroup


def memberships_awaiting(user):
    """Invitations the user's CCGs have not answered yet (for My work)."""
    return (
        CCGMembership.objects.filter(
            ccg_id__in=scopes(user).ccg_ids, status=CCGMembership.Status.INVITED
        )
        .exclude(group__status=OversightGroup.Status.CLOSED)
        .select_related("ccg", "group__hub")
    )
