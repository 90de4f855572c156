"""Access to priorities plans and proposals.

Plans are read by whoever reads the hub's oversight group; hub staff manage them; the regional
team assures them. A CCG lead sees and edits only their own CCG's proposals; hub staff, the
region and national admins see every proposal of a plan they can read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.permissions import scopes
from oversight.permissions import can_manage_group, groups_visible_to

from .models import Criterion, PlanVersion, PrioritiesPlan, Proposal


def plans_visible_to(user):
    """Plans of the groups the user reads, and plans they are asked to assess."""
    return (
        PrioritiesPlan.objects.filter(
            Q(group__in=groups_visible_to(user)) | Q(assessors__user_id=user.pk)
        )
        .distinct()
        .select_related("group__hub__region")
    )


def is_assessor(user, plan: PrioritiesPlan) -> bool:
    return plan.assessors.filter(user_id=user.pk).exists()


def can_assure(user, plan: PrioritiesPlan) -> bool:
    return plan.group.hub.region_id in scopes(user).region_ids


def get_plan_for_user(user, pk: int, *, write: bool = False) -> PrioritiesPlan:
    try:
        plan = plans_visible_to(user).get(pk=pk)
    except PrioritiesPlan.DoesNotExist as missing:
        raise Http404("No such plan.") from missing
    if write and not can_manage_group(user, plan.group):
        raise PermissionDenied("Only the hub's staff manage its priorities plan.")
    return plan


def sees_all_proposals(user, plan: PrioritiesPlan) -> bool:
    s = scopes(user)
    return (
        s.national
        or can_manage_group(user, plan.group)
        or can_assure(user, plan)
        or is_assessor(user, plan)
    )


def proposals_visible_to(user, plan: PrioritiesPlan):
    proposals = plan.proposals.select_related("ccg", "programme_of_care", "proposed_by")
    if sees_all_proposals(user, plan):
        return proposals
    return proposals.filter(Q(ccg_id__in=scopes(user).ccg_ids) | Q(proposed_by=user))


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """The proposing CCG's leads (or the hub-staff proposer) edit it while it is theirs to."""
    if proposal.ccg_id is not None:
        return proposal.ccg_id in scopes(user).ccg_ids
    return proposal.proposed_by_id == user.pk


def get_proposal_for_user(user, pk: int, *, edit: bool = False, decide: bool = False) -> Proposal:
    try:
        proposal = Proposal.objects.select_related(
            "plan__group__hub__region",
            "ccg",
            "programme_of_care",
            "proposed_by",
            "suggested_subgroup",
        ).get(pk=pk, plan__in=plans_visible_to(user))
    except Proposal.DoesNotExist as missing:
        raise Http404("No such proposal.") from missing
    if not sees_all_proposals(user, proposal.plan) and not can_edit_proposal(user, proposal):
        raise Http404("No such proposal.")
    if edit and not can_edit_proposal(user, proposal):
        raise PermissionDenied("Only the proposing CCG's leads change a proposal.")
    if decide and not can_manage_group(user, proposal.plan.group):
        raise PermissionDenied("Only the hub's staff assess and decide proposals.")
    return proposal


def plans_fully_visible_to(user):
    """Plans whose every proposal, criterion and assessor the user sees (`sees_all_proposals`
    as one queryset): national admins, the hub's staff, the region, the plan's assessors."""
    s = scopes(user)
    visible = plans_visible_to(user)
    if s.national:
        return visible
    return visible.filter(
        Q(group__hub_id__in=s.hub_ids)
        | Q(group__hub__region_id__in=s.region_ids)
        | Q(assessors__user_id=user.pk)
    )


def get_plan_for_assessment(user, pk: int, *, write: bool = False) -> PrioritiesPlan:
    """A plan's assessment (criteria, assessors, ranking): 404 if the plan is not the user's to
    see, 403 for a reader who does not see every proposal, or (write) for anyone but hub staff."""
    plan = get_plan_for_user(user, pk, write=write)
    if not sees_all_proposals(user, plan):
        raise PermissionDenied("The assessment is for the hub's staff, assessors and the region.")
    return plan


def get_criterion_for_user(user, pk: int, *, write: bool = False) -> Criterion:
    """A plan's criterion, asked as for the plan's assessment (`get_plan_for_assessment`)."""
    criterion = (
        Criterion.objects.select_related("plan__group__hub__region")
        .filter(pk=pk, plan__in=plans_visible_to(user))
        .first()
    )
    if criterion is None:
        raise Http404("No such criterion.")
    if write and not can_manage_group(user, criterion.plan.group):
        raise PermissionDenied("Only the hub's staff manage its priorities plan.")
    if not sees_all_proposals(user, criterion.plan):
        raise PermissionDenied("The assessment is for the hub's staff, assessors and the region.")
    return criterion


def get_version_for_user(user, pk: int) -> PlanVersion:
    """A frozen version, for the readers of its plan (404 for anyone else)."""
    try:
        return PlanVersion.objects.select_related("plan__group__hub", "frozen_by").get(
            pk=pk, plan__in=plans_visible_to(user)
        )
    except PlanVersion.DoesNotExist as missing:
        raise Http404("No such version.") from missing


def all_proposals_visible_to(user):
    """Every proposal the user may see, across all plans, in one query."""
    s = scopes(user)
    visible = plans_visible_to(user)
    full = plans_fully_visible_to(user)
    return Proposal.objects.filter(
        Q(plan__in=full.values("pk"))
        | (Q(plan__in=visible.values("pk")) & (Q(ccg_id__in=s.ccg_ids) | Q(proposed_by=user)))
    )
