"""Who reads and runs exemplar projects (issue 16, "Roles and access"):

- regional teams and hub staff run the exemplars of the systems in their region or hub
  (`places.permissions.runs_in_system`);
- ICS leads, and CCG and ICB leads whose organisation is (or was) in the system, read them
  (`places.permissions.systems_followed_q`);
- national admins read everything.

Not visible: 404. Visible but not changeable: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from hubs.models import IntegratedCareSystem
from places.permissions import runs_in_system, systems_followed

from .models import Exemplar, Milestone, Participant, PathwayService, Recommendation, ReportVersion

RUN_ONLY = "Only the system's hub staff and regional team change its exemplar projects."


def exemplars_visible_to(user) -> QuerySet[Exemplar]:
    """The exemplars of the systems `user` follows."""
    return Exemplar.objects.filter(system__in=systems_followed(user).values("pk"))


def can_run(user, system: IntegratedCareSystem) -> bool:
    """May `user` start and change exemplars of `system`? (Templates ask this.)"""
    return runs_in_system(user, system)


def _require_run(user, system: IntegratedCareSystem) -> None:
    if not can_run(user, system):
        raise PermissionDenied(RUN_ONLY)


def get_system_for_user(user, pk: int, *, write: bool = False) -> IntegratedCareSystem:
    """A system whose exemplars `user` reads (404 if not), and runs if `write` (403 if not)."""
    system = systems_followed(user).filter(pk=pk).first()
    if system is None:
        raise Http404("No such system.")
    if write:
        _require_run(user, system)
    return system


def get_exemplar_for_user(user, pk: int, *, write: bool = False) -> Exemplar:
    exemplar = (
        exemplars_visible_to(user)
        .select_related("system__hub__region", "board")
        .filter(pk=pk)
        .first()
    )
    if exemplar is None:
        raise Http404("No such exemplar project.")
    if write:
        _require_run(user, exemplar.system)
    return exemplar


def _part(model, user, pk: int, write: bool):
    row = (
        model.objects.select_related("exemplar__system__hub__region")
        .filter(pk=pk, exemplar__in=exemplars_visible_to(user).values("pk"))
        .first()
    )
    if row is None:
        raise Http404("Not found.")
    if write:
        _require_run(user, row.exemplar.system)
    return row


def get_service_for_user(user, pk: int, *, write: bool = False) -> PathwayService:
    return _part(PathwayService, user, pk, write)


def get_participant_for_user(user, pk: int, *, write: bool = False) -> Participant:
    return _part(Participant, user, pk, write)


def get_milestone_for_user(user, pk: int, *, write: bool = False) -> Milestone:
    return _part(Milestone, user, pk, write)


def get_report_version_for_user(user, pk: int) -> ReportVersion:
    """A scoping report version, served only to the project's readers."""
    return _part(ReportVersion, user, pk, False)


def get_recommendation_for_user(user, pk: int, *, write: bool = False) -> Recommendation:
    return _part(Recommendation, user, pk, write)
