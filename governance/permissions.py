"""Access to governance documents follows the group: readers read, the hub's staff write."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from oversight.permissions import can_manage_group, groups_visible_to

from .models import DocumentVersion


def get_version_for_user(user, pk: int, *, write: bool = False) -> DocumentVersion:
    try:
        version = DocumentVersion.objects.select_related("document__group__hub", "created_by").get(
            pk=pk, document__group__in=groups_visible_to(user)
        )
    except DocumentVersion.DoesNotExist as missing:
        raise Http404("No such document.") from missing
    if write and not can_manage_group(user, version.document.group):
        raise PermissionDenied("Only the hub's staff change its governance documents.")
    return version
