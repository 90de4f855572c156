"""Access to governance documents follows the group: readers read, the hub's staff write.
The national templates are read by everyone signed in and kept by national admins."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import is_national_admin
from oversight.permissions import can_manage_group, groups_visible_to

from .models import DocumentVersion, NationalTemplateVersion


def get_version_for_user(user, pk: int, *, write: bool = False) -> DocumentVersion:
    try:
        version = DocumentVersion.objects.select_related(
            "document__group__hub", "created_by", "from_template__template"
        ).get(pk=pk, document__group__in=groups_visible_to(user))
    except DocumentVersion.DoesNotExist as missing:
        raise Http404("No such document.") from missing
    if write:
        require_document_manager(user, version.document.group)
    return version


def require_document_manager(user, group, *, doing: str = "change") -> None:
    """403 unless the user is one of the hub's staff, who keep the group's documents."""
    if not can_manage_group(user, group):
        raise PermissionDenied(f"Only the hub's staff {doing} its governance documents.")


def can_manage_national_templates(user) -> bool:
    """National admins keep the national drafts (seed 000 §3.4.2: "we have developed")."""
    return bool(is_national_admin(user))


def require_template_manager(user) -> None:
    """403 unless the user is a national admin."""
    if not can_manage_national_templates(user):
        raise PermissionDenied("Only national admins change the national templates.")


def get_template_version_for_user(user, pk: int, *, write: bool = False) -> NationalTemplateVersion:
    """A national template version: 403 for a write by anyone but a national admin; 404 if it
    does not exist, or if it is a draft and the reader is not a national admin (a draft is not
    yet a national draft anyone should adapt)."""
    if write:
        require_template_manager(user)
    try:
        version = NationalTemplateVersion.objects.select_related(
            "template", "created_by", "published_by"
        ).get(pk=pk)
    except NationalTemplateVersion.DoesNotExist as missing:
        raise Http404("No such template version.") from missing
    if version.is_draft and not can_manage_national_templates(user):
        raise Http404("No such template version.")
    return version
