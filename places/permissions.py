"""Who reads and keeps the integrated care systems in the register (issue 16, "What to build"
1): anyone signed in reads them, as the rest of the register; national admins keep them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import IntegratedCareSystem, Place, SystemMember
from hubs.permissions import can_view_register


def can_keep_systems(user) -> bool:
    return scopes(user).national


def require_keeper(user) -> None:
    if not can_keep_systems(user):
        raise PermissionDenied("Only national admins keep the systems in the register.")


def get_system(user, pk: int, *, write: bool = False) -> IntegratedCareSystem:
    if not can_view_register(user):
        raise PermissionDenied("Sign in to read the register.")
    system = IntegratedCareSystem.objects.select_related("hub__region").filter(pk=pk).first()
    if system is None:
        raise Http404("No such system.")
    if write:
        require_keeper(user)
    return system


def get_place(user, pk: int) -> Place:
    require_keeper(user)
    place = Place.objects.select_related("system").filter(pk=pk).first()
    if place is None:
        raise Http404("No such place.")
    return place


def get_member(user, pk: int) -> SystemMember:
    require_keeper(user)
    member = (
        SystemMember.objects.select_related("system", "commissioner", "place").filter(pk=pk).first()
    )
    if member is None:
        raise Http404("No such commissioner in a system.")
    return member
