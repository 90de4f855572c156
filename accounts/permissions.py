"""The one permission layer. Views, the API and templates all ask these functions.

Who a user is comes from their active role assignments, loaded once per request and cached
on the user object. The app-wide permissions (managing roles, the admin site, reading the
register) are `rules` predicates registered under Django permission names, and every check
asks the registry (`rules.has_perm`): the same answer `user.has_perm(...)` and
`{% has_perm %}` give, except that the registry does not let Django's `is_superuser` flag
stand in for a national admin's role.
"""

from collections.abc import Collection
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from hubs.models import CCG, Hub
from hubs.permissions import can_view_register

from .models import ApiToken, Role, RoleAssignment, User

_CACHE_ATTR = "_cc_roles"


@dataclass(frozen=True)
class Scopes:
    """The organisations a user holds each role for (ids), from their active assignments."""

    assignments: tuple[RoleAssignment, ...]

    def _ids(self, role: str, attr: str) -> frozenset[int]:
        return frozenset(getattr(a, attr) for a in self.assignments if a.role == role)

    @property
    def national(self) -> bool:
        return any(a.role == Role.NATIONAL_ADMIN for a in self.assignments)

    @property
    def committee(self) -> bool:
        """A member of NHS England's Commissioning Committee (co-commissioning sign-off)."""
        return any(a.role == Role.COMMISSIONING_COMMITTEE for a in self.assignments)

    @property
    def region_ids(self) -> frozenset[int]:
        return self._ids(Role.REGIONAL_TEAM, "region_id")

    @property
    def hub_ids(self) -> frozenset[int]:
        return self._ids(Role.HUB_STAFF, "hub_id")

    @property
    def ccg_ids(self) -> frozenset[int]:
        return self._ids(Role.CCG_LEAD, "ccg_id")

    @property
    def system_ids(self) -> frozenset[int]:
        """The integrated care systems the user leads (issue 16)."""
        return self._ids(Role.ICS_LEAD, "system_id")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(a.role for a in self.assignments)


def scopes(user) -> Scopes:
    """The user's active role assignments (one query per request, then cached)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scopes(())
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = Scopes(tuple(RoleAssignment.objects.active().with_scope().filter(user=user)))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scopes(user) -> None:
    """Drop the cached roles after they change (the next call reloads them)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


@rules.predicate
def is_national_admin(user) -> bool:
    return scopes(user).national


rules.add_perm("accounts.manage_roles", is_national_admin)
rules.add_perm("accounts.use_admin", is_national_admin)
rules.add_perm("hubs.view_register", can_view_register)


def can_use_admin(user) -> bool:
    """Django's admin site is for national admins only."""
    return rules.has_perm("accounts.use_admin", user)


def can_manage_roles(user) -> bool:
    """Granting and ending role assignments is a national admin's job."""
    return rules.has_perm("accounts.manage_roles", user)


def require_role_manager(user) -> None:
    """403 unless the user manages people and roles."""
    if not can_manage_roles(user):
        raise PermissionDenied("Only national admins manage people and roles.")


FOLLOWED_THROUGH = ("region", "hub", "ccg")


def hubs_followed(user, *, through: Collection[str] = FOLLOWED_THROUGH) -> QuerySet[Hub]:
    """The hubs a person follows through their roles, by region then name (region loaded).

    National admins follow every hub. `through` names the roles that count: "region" (a
    regional team follows every hub of its region), "hub" (hub staff follow their hub) and
    "ccg" (a CCG lead follows their CCG's hub). Callers ask:
    the timeline, every role (the default); the review boards and readiness,
    `through=("region", "hub")`; the oversight glance, `through=("region",)`.
    """
    s = scopes(user)
    hubs = Hub.objects.select_related("region").order_by("region__name", "name")
    if s.national:
        return hubs
    region_ids = s.region_ids if "region" in through else frozenset()
    hub_ids = s.hub_ids if "hub" in through else frozenset()
    ccg_ids = s.ccg_ids if "ccg" in through else frozenset()
    if not (region_ids or hub_ids or ccg_ids):
        return hubs.none()
    followed = Q(region_id__in=region_ids) | Q(pk__in=hub_ids)
    if ccg_ids:
        followed |= Q(pk__in=CCG.objects.filter(pk__in=ccg_ids).values("hub_id"))
    return hubs.filter(followed)


def follows_hub(user, hub: Hub, *, through: Collection[str] = FOLLOWED_THROUGH) -> bool:
    """Whether `hub` is one of `hubs_followed(user, through=...)`, asked of one hub."""
    s = scopes(user)
    if s.national:
        return True
    if "region" in through and hub.region_id in s.region_ids:
        return True
    if "hub" in through and hub.pk in s.hub_ids:
        return True
    if "ccg" in through and s.ccg_ids:
        return CCG.objects.filter(pk__in=s.ccg_ids, hub_id=hub.pk).exists()
    return False


def get_person_for_manager(user, pk: int, *, write: bool = False) -> User:
    """A person's record for the role-management pages: 404 if absent, 403 if not allowed."""
    require_role_manager(user)
    try:
        return User.objects.get(pk=pk)
    except User.DoesNotExist as missing:
        raise Http404("No such person.") from missing


def get_assignment_for_manager(user, pk: int, *, write: bool = False) -> RoleAssignment:
    require_role_manager(user)
    try:
        return RoleAssignment.objects.with_scope().select_related("user").get(pk=pk)
    except RoleAssignment.DoesNotExist as missing:
        raise Http404("No such role assignment.") from missing


def get_token_for_user(user, pk: int, *, write: bool = False) -> ApiToken:
    """A personal API token (issue 19): its owner's, and any national admin's to see and revoke
    (never to use). Anyone else gets 404, as for a token that does not exist."""
    token = ApiToken.objects.select_related("user", "revoked_by").filter(pk=pk).first()
    if token is None or not (token.user_id == user.pk or is_national_admin(user)):
        raise Http404("No such token.")
    return token
