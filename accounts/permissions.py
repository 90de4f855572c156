"""The one permission layer. Views, the API and templates all ask these functions.

Who a user is comes from their active role assignments, loaded once per request and cached
on the user object. `rules` predicates wrap the same functions, so templates can use
`{% has_perm "accounts.manage_roles" user %}` and views `user.has_perm(...)`.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hubs.permissions import can_view_register

from .models import Role, RoleAssignment, User

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
    def region_ids(self) -> frozenset[int]:
        return self._ids(Role.REGIONAL_TEAM, "region_id")

    @property
    def hub_ids(self) -> frozenset[int]:
        return self._ids(Role.HUB_STAFF, "hub_id")

    @property
    def ccg_ids(self) -> frozenset[int]:
        return self._ids(Role.CCG_LEAD, "ccg_id")

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


def is_national_admin(user) -> bool:
    return scopes(user).national


def can_use_admin(user) -> bool:
    """Django's admin site is for national admins only."""
    return is_national_admin(user)


def can_manage_roles(user) -> bool:
    """Granting and ending role assignments is a national admin's job."""
    return is_national_admin(user)


def get_person_for_manager(user, pk: int, *, write: bool = False) -> User:
    """A person's record for the role-management pages: 404 if absent, 403 if not allowed."""
    if not can_manage_roles(user):
        raise PermissionDenied("Only national admins manage people and roles.")
    try:
        return User.objects.get(pk=pk)
    except User.DoesNotExist as missing:
        raise Http404("No such person.") from missing


def get_assignment_for_manager(user, pk: int, *, write: bool = False) -> RoleAssignment:
    if not can_manage_roles(user):
        raise PermissionDenied("Only national admins manage people and roles.")
    try:
        return RoleAssignment.objects.with_scope().select_related("user").get(pk=pk)
    except RoleAssignment.DoesNotExist as missing:
        raise Http404("No such role assignment.") from missing


@rules.predicate
def _national_admin(user) -> bool:
    return is_national_admin(user)


@rules.predicate
def _register_reader(user) -> bool:
    return can_view_register(user)


rules.add_perm("accounts.manage_roles", _national_admin)
rules.add_perm("accounts.use_admin", _national_admin)
rules.add_perm("hubs.view_register", _register_reader)
