"""Access to the timeline. The calendar is national (national admins keep it); each hub's
timeline is read by its staff, its CCGs' leads, its region and national admins; notifications
and calendar feeds are their owner's alone."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import CCG, Hub

from .models import CalendarMilestone


def can_edit_calendar(user) -> bool:
    return scopes(user).national


def can_see_reminders(user) -> bool:
    return scopes(user).national


def hubs_followed(user):
    """Hubs whose timeline the user follows: all (national), their region's, their own hub's,
    and their CCGs' hubs."""
    s = scopes(user)
    hubs = Hub.objects.select_related("region").order_by("region__name", "name")
    if s.national:
        return hubs
    ccg_hubs = CCG.objects.filter(pk__in=s.ccg_ids).values("hub_id")
    if not (s.region_ids or s.hub_ids or s.ccg_ids):
        return hubs.none()
    return hubs.filter(Q(region_id__in=s.region_ids) | Q(pk__in=s.hub_ids) | Q(pk__in=ccg_hubs))


def get_hub_for_timeline(user, slug: str) -> Hub:
    try:
        return hubs_followed(user).get(slug=slug)
    except Hub.DoesNotExist as missing:
        raise Http404("No such hub.") from missing


def get_milestone_for_editor(user, pk: int) -> CalendarMilestone:
    if not can_edit_calendar(user):
        raise PermissionDenied("National admins keep the planning calendar.")
    try:
        return CalendarMilestone.objects.get(pk=pk)
    except CalendarMilestone.DoesNotExist as missing:
        raise Http404("No such milestone.") from missing
