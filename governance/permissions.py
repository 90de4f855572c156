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
    if write:
        require_document_manager(user, version.document.group)
    return version


def require_document_manager(user, group, *, doing: str = "change") -> None:
    """403 unless the user is one of the hub's staff, who keep the group's documents."""
    if not can_manage_group(user, group):
        raise PermissionDenied(f"Only the hub's staff {doing} its governance documents.")
