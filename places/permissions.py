"""Who reads and keeps the integrated care systems in the register (issue 16, "What to build"
1): anyone signed in reads them, as the rest of the register; national admins keep them."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
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


def systems_followed_q(user) -> Q:
    """Which integrated care systems a person follows, as a filter on systems (issue 16,
    "Roles and access"): national admins every one; regional teams their region's; hub staff
    their hub's; ICS leads their own; CCG and ICB leads those their organisation is (or was) a
    commissioner in. A `Q` over `IntegratedCareSystem`; prefix it with `prefix_q` to filter
    records that point at a system."""
    s = scopes(user)
    if s.national:
        return ~Q(pk=None)
    q = Q(pk__in=s.system_ids) | Q(hub__region_id__in=s.region_ids) | Q(hub_id__in=s.hub_ids)
    if s.ccg_ids:
        q |= Q(pk__in=SystemMember.objects.filter(commissioner_id__in=s.ccg_ids).values("system"))
    return q


def systems_followed(user) -> QuerySet[IntegratedCareSystem]:
    """The systems a person follows (see `systems_followed_q`), hub and region loaded."""
    if not getattr(user, "is_authenticated", False):
        return IntegratedCareSystem.objects.none()
    return IntegratedCareSystem.objects.select_related("hub__region").filter(
        systems_followed_q(user)
    )


def follows_system(user, system: IntegratedCareSystem) -> bool:
    return systems_followed(user).filter(pk=system.pk).exists()


def runs_in_system(user, system: IntegratedCareSystem) -> bool:
    """Whether a person runs place-based work in the system (boards, arrangements, exemplars):
    its hub's staff and its region's team (issue 16, "Regional teams and hub staff run boards
    in their region/hub"). National admins read; ICS and ICB leads take part and read."""
    s = scopes(user)
    return system.hub_id in s.hub_ids or system.hub.region_id in s.region_ids
