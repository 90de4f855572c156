"""Who reads and runs formal arrangements (issue 16, "Roles and access").

- Regional teams and hub staff run the arrangements of the systems in their region or hub
  (`places.permissions.runs_in_system`): they record, change and move them on.
- ICS and ICB leads, and the leads of the system's commissioners, read their system's
  arrangements; national admins read every one.
- "Drafts of arrangements are visible to their parties only": while an arrangement is proposed,
  only the NHS England side (those who run it, and national admins) and the leads of its party
  commissioners see it; the system's ICS lead and its other commissioners' leads see it once it
  is agreed.

Not visible: 404. Visible but not yours to change: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import IntegratedCareSystem
from places.permissions import runs_in_system, systems_followed_q

from .models import Agreement, Arrangement, Contribution


def visible_q(user) -> Q:
    """The arrangements a person may read, as a filter on `Arrangement`."""
    s = scopes(user)
    if s.national:
        return ~Q(pk=None)
    runs = Q(system__hub_id__in=s.hub_ids) | Q(system__hub__region_id__in=s.region_ids)
    party = Q(
        pk__in=Arrangement.parties.through.objects.filter(ccg_id__in=s.ccg_ids).values(
            "arrangement_id"
        )
    )
    followed = Q(
        system__in=IntegratedCareSystem.objects.filter(systems_followed_q(user)).values("pk")
    )
    return runs | party | (followed & ~Q(status=Arrangement.Status.PROPOSED))


def visible_arrangements(user) -> QuerySet[Arrangement]:
    if not getattr(user, "is_authenticated", False):
        return Arrangement.objects.none()
    return Arrangement.objects.filter(visible_q(user))


def can_run(user, arrangement: Arrangement) -> bool:
    """Whether a person records and changes this arrangement (its system's hub or region)."""
    return runs_in_system(user, arrangement.system)


def can_change(user, arrangement: Arrangement) -> bool:
    """Whether the page offers its forms: those who run it, until it has ended."""
    return can_run(user, arrangement) and not arrangement.is_ended


def get_arrangement_for_user(user, pk: int, *, write: bool = False) -> Arrangement:
    arrangement = (
        visible_arrangements(user).select_related("system__hub__region").filter(pk=pk).first()
    )
    if arrangement is None:
        raise Http404("No such arrangement.")
    if write and not can_run(user, arrangement):
        raise PermissionDenied("Only the system's hub staff and regional team change it.")
    return arrangement


def get_contribution_for_user(user, pk: int, *, write: bool = False) -> Contribution:
    contribution = Contribution.objects.select_related("party").filter(pk=pk).first()
    if contribution is None:
        raise Http404("No such contribution.")
    get_arrangement_for_user(user, contribution.arrangement_id, write=write)
    return contribution


def get_agreement_for_user(user, arrangement: Arrangement, number: int) -> Agreement:
    agreement = arrangement.agreements.filter(number=number).first()
    if agreement is None or not agreement.file:
        raise Http404("No such version of the agreement.")
    return agreement


def get_system_for_arrangements(user, pk: int, *, write: bool = False) -> IntegratedCareSystem:
    """A system whose arrangements a person reads (404 if they follow it not), or records new
    ones in (403 unless they run place-based work in it)."""
    system = (
        IntegratedCareSystem.objects.select_related("hub__region")
        .filter(systems_followed_q(user), pk=pk)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if system is None:
        raise Http404("No such system.")
    if write and not runs_in_system(user, system):
        raise PermissionDenied("Only the system's hub staff and regional team record them.")
    return system


def can_record_in(user, system: IntegratedCareSystem) -> bool:
    return runs_in_system(user, system)


def can_see_national_view(user) -> bool:
    """The national view: national admins (every arrangement) and regional teams (their
    region's)."""
    s = scopes(user)
    return s.national or bool(s.region_ids)


def require_national_view(user) -> None:
    if not can_see_national_view(user):
        raise PermissionDenied("The national view is for national admins and regional teams.")
