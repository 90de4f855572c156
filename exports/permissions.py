"""Who may see an export: the person who asked for it, and national admins."""

from django.http import Http404

from accounts.permissions import is_national_admin

from .models import Export


def exports_visible_to(user):
    exports = Export.objects.select_related("requested_by")
    if is_national_admin(user):
        return exports
    return exports.filter(requested_by=user)


def get_export_for_user(user, pk: int) -> Export:
    """404 for an export that is not the user's to see (its existence is not revealed)."""
    try:
        return exports_visible_to(user).get(pk=pk)
    except Export.DoesNotExist as missing:
        raise Http404("No such export.") from missing
