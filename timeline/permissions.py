"""Access to the timeline. The calendar is national (national admins keep it) and read by
anyone with a role; each hub's timeline is read by its staff, its CCGs' leads, its region and
national admins, and marked done by its staff or its regional team; notifications and calendar
feeds are their owner's alone; the reminders and delivery logs are for national admins."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import hubs_followed, scopes
from commissioning.models import OutboxItem
from hubs.models import Hub

from .models import CalendarMilestone, Notification, ReminderClaim


def can_read_calendar(user) -> bool:
    return bool(scopes(user).assignments)


def require_calendar_reader(user) -> None:
    if not can_read_calendar(user):
        raise PermissionDenied("The planning calendar is for people with a role.")


def can_edit_calendar(user) -> bool:
    return scopes(user).national


def require_calendar_editor(user) -> None:
    if not can_edit_calendar(user):
        raise PermissionDenied("National admins keep the planning calendar.")


def can_see_reminders(user) -> bool:
    return scopes(user).national


def can_complete(user, hub: Hub) -> bool:
    """Hub staff and the hub's regional team mark its milestones done."""
    s = scopes(user)
    return hub.pk in s.hub_ids or hub.region_id in s.region_ids


def timeline_hubs(user) -> list[Hub]:
    """The hubs on the user's timeline grid (403 if they follow none)."""
    hubs = list(hubs_followed(user))
    if not hubs:
        raise PermissionDenied("The timeline is for hub staff, CCG leads and regional teams.")
    return hubs


def get_hub_for_timeline(user, slug: str, *, complete: bool = False) -> Hub:
    try:
        hub = hubs_followed(user).get(slug=slug)
    except Hub.DoesNotExist as missing:
        raise Http404("No such hub.") from missing
    if complete and not can_complete(user, hub):
        raise PermissionDenied("Only the hub's staff or its regional team mark milestones done.")
    return hub


def get_milestone(pk: int) -> CalendarMilestone:
    """A calendar milestone, for anyone who may read the timeline it is on."""
    try:
        return CalendarMilestone.objects.get(pk=pk)
    except CalendarMilestone.DoesNotExist as missing:
        raise Http404("No such milestone.") from missing


def get_milestone_for_editor(user, pk: int) -> CalendarMilestone:
    require_calendar_editor(user)
    return get_milestone(pk)


def get_notification_for_user(user, pk: int) -> Notification:
    """The user's own notification; anyone else's is 404."""
    try:
        return Notification.objects.get(pk=pk, user=user)
    except Notification.DoesNotExist as missing:
        raise Http404("No such notification.") from missing


def require_reminders_admin(user, message: str = "The reminders log is for national admins."):
    if not can_see_reminders(user):
        raise PermissionDenied(message)


def get_claim_for_admin(user, pk: int) -> ReminderClaim:
    require_reminders_admin(user, "Only national admins resend reminders.")
    try:
        return ReminderClaim.objects.get(pk=pk)
    except ReminderClaim.DoesNotExist as missing:
        raise Http404("No such reminder.") from missing


def get_outbox_item_for_admin(user, pk: int) -> OutboxItem:
    require_reminders_admin(user, "Only national admins retry emails and background work.")
    try:
        return OutboxItem.objects.get(pk=pk)
    except OutboxItem.DoesNotExist as missing:
        raise Http404("No such item.") from missing
