"""Who reads and records evaluations (issue 17, "What to build" 6; seed 000 §4.2.1).

- An evaluation is read by whoever reads its plan (the priority it evaluates is an included
  one, which every reader of the plan sees): the hub's staff, its CCG/ICB leads, the region's
  team, national admins.
- The hub's staff record, change, archive and share it (hub staff of the plan's group's hub;
  a regional team, which may run a strategy board, does not post to the idea exchange for a
  hub, so it does not record evaluations either: product decision).
- What was shared to the learning library is read by everyone with a role; someone with no role
  reads nothing.
- The national summary is for national admins (every region) and regional teams (their own).

Not visible: 404. Visible but not yours to change: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.permissions import scopes
from hubs.models import Region
from priorities.models import PrioritiesPlan, Proposal
from priorities.permissions import get_plan_for_user, get_proposal_for_user, plans_visible_to

from .models import Evaluation

RECORD = "Only the hub's staff evaluate the priorities of its plans."
SUMMARY = "The national summary of evaluations is for national admins and regional teams."
LIBRARY = "The learning library's evaluations are for people with a role in the service."


def can_evaluate(user, plan: PrioritiesPlan) -> bool:
    return plan.group.hub_id in scopes(user).hub_ids


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(proposal__plan__in=plans_visible_to(user).values("pk"))


def get_evaluation_for_user(user, pk: int, *, write: bool = False) -> Evaluation:
    evaluation = (
        evaluations_visible_to(user)
        .select_related(
            "proposal__plan__group__hub__region",
            "proposal__programme_of_care",
            "proposal__ccg",
            "evaluated_by",
            "archived_by",
            "library_shared_by",
            "idea_shared_by",
            "idea_post",
        )
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404("No such evaluation.")
    if write and not can_evaluate(user, evaluation.proposal.plan):
        raise PermissionDenied(RECORD)
    return evaluation


def get_plan_to_read(user, pk: int) -> PrioritiesPlan:
    """A plan's evaluations page: for the plan's readers (404 for anyone else)."""
    return get_plan_for_user(user, pk)


def get_priority_to_evaluate(user, pk: int) -> Proposal:
    """A priority to evaluate: 404 if the user does not see it, 403 unless hub staff of its
    plan's hub. (Not included, too early or evaluated already: the service's refusals.)"""
    proposal = get_proposal_for_user(user, pk)
    if not can_evaluate(user, proposal.plan):
        raise PermissionDenied(RECORD)
    return proposal


def find_priority_to_evaluate(user, pk: int) -> Proposal | None:
    """A priority named in an API body: None if the user does not see it (400 on the field),
    403 unless hub staff of its plan's hub."""
    try:
        return get_priority_to_evaluate(user, pk)
    except Http404:
        return None


def can_read_library(user) -> bool:
    return bool(scopes(user).assignments)


def require_library_reader(user) -> None:
    if not can_read_library(user):
        raise PermissionDenied(LIBRARY)


def get_shared_for_user(user, pk: int) -> Evaluation:
    """An evaluation as shared to the learning library (archived ones leave it)."""
    require_library_reader(user)
    evaluation = (
        Evaluation.objects.filter(pk=pk, library_shared_at__isnull=False, archived_at__isnull=True)
        .select_related("idea_post")
        .first()
    )
    if evaluation is None:
        raise Http404("No such shared evaluation.")
    return evaluation


def summary_regions(user) -> list[Region] | None:
    """The regions whose evaluations the user summarises: None for every region (national
    admins); a regional team's own regions; 403 for anyone else."""
    s = scopes(user)
    if s.national:
        return None
    if not s.region_ids:
        raise PermissionDenied(SUMMARY)
    return sorted(
        {
            a.region.pk: a.region
            for a in s.assignments
            if a.role == Role.REGIONAL_TEAM and a.region is not None
        }.values(),
        key=lambda r: r.name,
    )


def check_summary_region(user, region: Region | None) -> list[Region] | None:
    """The regions a summary covers when the reader asks for `region` (None: all they may):
    403 for a region that is not theirs."""
    allowed = summary_regions(user)
    if region is None:
        return allowed
    if allowed is not None and region.pk not in {r.pk for r in allowed}:
        raise PermissionDenied("Regional teams see their own region's evaluations.")
    return [region]
