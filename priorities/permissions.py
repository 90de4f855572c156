"""Access to priorities plans and proposals.

Plans are read by whoever reads the hub's oversight group; hub staff manage them; the regional
team assures them. A CCG lead sees and edits only their own CCG's proposals; hub staff, the
region and national admins see every proposal of a plan they can read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.permissions import scopes
from hubs.permissions import can_manage_group, groups_visible_to

from .models import PrioritiesPlan, Proposal


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


def all_proposals_visible_to(user):
    """Every proposal the user may see, across all plans, in one query."""
    s = scopes(user)
    visible = plans_visible_to(user)
    if s.national:
        full = visible
    else:
        full = visible.filter(
            Q(group__hub_id__in=s.hub_ids)
            | Q(group__hub__region_id__in=s.region_ids)
            | Q(assessors__user_id=user.pk)
        )
    return Proposal.objects.filter(
        Q(plan__in=full.values("pk"))
        | (Q(plan__in=visible.values("pk")) & (Q(ccg_id__in=s.ccg_ids) | Q(proposed_by=user)))
    )
