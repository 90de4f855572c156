"""Who may see an export: only the person who asked for it (issue 14).

National admins included: an export is a copy of pages the requester could see, asked for by
them, and nothing in the product needs anyone else to open it. A national admin helping with a
failed export sees its record (who, when, status, error; never the PDF) in the Django admin.
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import Export


def exports_visible_to(user) -> QuerySet[Export]:
    return Export.objects.select_related("requested_by").filter(requested_by=user)


def get_export_for_user(user, pk: int) -> Export:
    """404 for an export that is not the user's to see (its existence is not revealed)."""
    try:
        return exports_visible_to(user).get(pk=pk)
    except Export.DoesNotExist as missing:
        raise Http404("No such export.") from missing
