"""Reads the export pages and API list assemble."""

from django.db.models import QuerySet

from .models import Export
from .permissions import exports_visible_to


def own_exports(user) -> QuerySet[Export]:
    """The exports the user asked for: the only ones anyone may see (issue 14)."""
    return exports_visible_to(user)


def exports_for_api(user) -> QuerySet[Export]:
    return exports_visible_to(user).order_by("-requested_at", "-id")


def no_exports() -> QuerySet[Export]:
    """What schema generation (no user) is shown: the model, no rows."""
    return Export.objects.none()
