"""Access to priorities plans and proposals.

Plans are read by whoever reads the hub's oversight group; hub staff manage them; the regional
team assures them. Hub staff, the region, national admins and the plan's assessors see every
proposal of a plan they can read. The included priorities are the group's agreed plan: every
reader of the plan sees them. Drafts and undecided proposals stay with their CCG (its leads, or
the hub-staff proposer) and those who see every proposal; a CCG lead edits only their own.

Every rule is written once here; views, API, templates (through the flags views pass) and
services ask these functions. `get_*` helpers raise Http404 (not yours to see) or
PermissionDenied (seen, but not yours to change); `find_*` helpers, for ids named in an API
request body, return None instead of 404 (the API answers 400 on the field).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import CCG, Hub
from oversight.permissions import can_manage_group, can_see_glance, groups_visible_to

from .models import Criterion, OverlapDecision, PlanVersion, PrioritiesPlan, Proposal

MANAGE_PLAN = "Only the hub's staff manage its priorities plan."
RECORD_DELIVERY = "Only the hub's staff record delivery."
DECIDE = "Only the hub's staff assess and decide proposals."


def plans_visible_to(user):
    """Plans of the groups the user reads, and plans they are asked to assess."""
    return (
        PrioritiesPlan.objects.filter(
            Q(group__in=groups_visible_to(user)) | Q(assessors__user_id=user.pk)
        )
        .distinct()
        .select_related("group__hub__region", "assured_by")
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
        raise PermissionDenied(MANAGE_PLAN)
    return plan


def find_plan_for_user(user, pk: int, *, write: bool = False) -> PrioritiesPlan | None:
    """A plan named in a request body: None if not the user's to see, 403 (write) for anyone
    but the hub's staff."""
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is not None and write and not can_manage_group(user, plan.group):
        raise PermissionDenied(MANAGE_PLAN)
    return plan


# --- the plan's workflow -------------------------------------------------------------------

PLAN_STEPS = ("submit", "assure", "publish", "reopen")


def may_take_step(user, plan: PrioritiesPlan, step: str) -> bool:
    """The region's team assures a plan; the hub's staff take every other step."""
    if step not in PLAN_STEPS:
        return False
    if step == "assure":
        return can_assure(user, plan)
    return can_manage_group(user, plan.group)


def check_plan_step(user, plan: PrioritiesPlan, step: str) -> None:
    if not may_take_step(user, plan, step):
        raise PermissionDenied("You may not take this step on the plan.")


def get_plan_for_step(user, pk: int, step: str) -> PrioritiesPlan:
    """A plan to move by `step`: 404 if not the user's to see, 403 if the step is not theirs."""
    plan = get_plan_for_user(user, pk)
    check_plan_step(user, plan, step)
    return plan


def check_cross_hub(user) -> None:
    """All hubs' plans side by side: for regional teams and national admins."""
    if not can_see_glance(user):
        raise PermissionDenied("The cross-hub view is for regional teams and national admins.")


def sees_all_proposals(user, plan: PrioritiesPlan) -> bool:
    s = scopes(user)
    return (
        s.national
        or can_manage_group(user, plan.group)
        or can_assure(user, plan)
        or is_assessor(user, plan)
    )


def _own_or_included(user) -> Q:
    """A reader who does not see every proposal: their CCG's and their own, and the plan's
    included priorities (the group's agreed plan, for every reader)."""
    return (
        Q(ccg_id__in=scopes(user).ccg_ids)
        | Q(proposed_by=user)
        | Q(status=Proposal.Status.INCLUDED)
    )


def proposals_visible_to(user, plan: PrioritiesPlan):
    """The one answer to "which proposals of this plan may this user see" (the plan page's
    lists and totals, the dashboard, CSV and XLSX): all for those who see every proposal,
    else their own and their CCG's, and every included priority."""
    proposals = plan.proposals.select_related("ccg", "programme_of_care", "crg", "proposed_by")
    if sees_all_proposals(user, plan):
        return proposals
    return proposals.filter(_own_or_included(user))


def may_see_proposal(user, proposal: Proposal) -> bool:
    """`proposals_visible_to` for one proposal of a plan the user reads."""
    return (
        proposal.status == Proposal.Status.INCLUDED
        or sees_all_proposals(user, proposal.plan)
        or can_edit_proposal(user, proposal)
    )


# --- proposing -----------------------------------------------------------------------------


def proposer_ccgs(user, plan: PrioritiesPlan) -> list[CCG]:
    """The user's CCGs in the plan's hub: the CCGs they may propose for."""
    ids = scopes(user).ccg_ids
    if not ids:
        return []
    return [c for c in CCG.objects.filter(pk__in=ids) if c.hub_id == plan.group.hub_id]


def may_propose(user, plan: PrioritiesPlan) -> bool:
    """CCG leads of the plan's hub and its staff propose priorities while it is a draft: a
    plan submitted for peer review, assured or published takes none (issue 18, finding 1)."""
    return plan.is_editable and is_proposer(user, plan)


def is_proposer(user, plan: PrioritiesPlan) -> bool:
    """The hub's staff and its CCG leads: who would propose if the plan were a draft."""
    return can_manage_group(user, plan.group) or bool(proposer_ccgs(user, plan))


def check_propose_for(user, plan: PrioritiesPlan, ccg: CCG | None) -> None:
    """A proposal for `ccg`: a CCG lead names their own CCG; only hub staff propose without
    one. (A CCG outside the hub, or a published plan, is the service's refusal.)"""
    if ccg is None and not can_manage_group(user, plan.group):
        raise PermissionDenied("Name your CCG; only hub staff propose without one.")
    if ccg is not None and ccg.pk not in scopes(user).ccg_ids:
        raise PermissionDenied("Propose only for your own CCG.")


def get_plan_to_propose_in(user, pk: int) -> tuple[PrioritiesPlan, CCG | None]:
    """The plan and the CCG a page's proposal is for: the lead's CCG, or none for hub staff.
    404 if the plan is not the user's to see, 403 if they may not propose in it."""
    plan = get_plan_for_user(user, pk)
    manage = can_manage_group(user, plan.group)
    mine = proposer_ccgs(user, plan)
    if not manage and not mine:
        raise PermissionDenied("CCG leads and hub staff of this hub propose priorities.")
    ccg = mine[0] if mine and not manage else None
    check_propose_for(user, plan, ccg)
    return plan, ccg


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
    if not may_see_proposal(user, proposal):
        raise Http404("No such proposal.")
    if edit and not can_edit_proposal(user, proposal):
        raise PermissionDenied("Only the proposing CCG's leads change a proposal.")
    if decide and not can_manage_group(user, proposal.plan.group):
        raise PermissionDenied(DECIDE)
    return proposal


# A proposal's actions (the API names the second "request_info").
PROPOSAL_ACTIONS = ("submit", "decide", "request-info", "comment")


def get_proposal_for_action(user, pk: int, action: str) -> Proposal:
    """A proposal to act on: the proposer submits it; hub staff ask for more information and
    decide; any reader of it comments. 404 if not the user's to see, 403 otherwise."""
    if action not in PROPOSAL_ACTIONS:
        raise PermissionDenied("No such step.")
    proposal = get_proposal_for_user(user, pk)
    if action == "submit" and not can_edit_proposal(user, proposal):
        raise PermissionDenied("Only the proposing CCG's leads submit it.")
    if (
        action != "submit"
        and action != "comment"
        and not can_manage_group(user, proposal.plan.group)
    ):
        raise PermissionDenied(DECIDE)
    return proposal


def may_score(user, plan: PrioritiesPlan) -> bool:
    """The plan's assessors, and the hub's staff, who become assessors when they first score
    (issue 18: no typing one's own email address first)."""
    return can_manage_group(user, plan.group) or is_assessor(user, plan)


def get_proposal_to_score(user, pk: int) -> Proposal:
    """A proposal the user scores: the plan's assessors and the hub's staff (403 for other
    readers)."""
    proposal = get_proposal_for_user(user, pk)
    if not may_score(user, proposal.plan):
        raise PermissionDenied("Only the plan's assessors and the hub's staff score proposals.")
    return proposal


# --- delivery of included priorities -------------------------------------------------------


def check_records_delivery(user, plan: PrioritiesPlan) -> None:
    if not can_manage_group(user, plan.group):
        raise PermissionDenied(RECORD_DELIVERY)


def find_priority_to_deliver(user, pk: int) -> Proposal | None:
    """A priority named in a request body: None if not the user's to see, 403 for anyone but
    the hub's staff."""
    proposal = all_proposals_visible_to(user).filter(pk=pk).select_related("plan__group").first()
    if proposal is not None:
        check_records_delivery(user, proposal.plan)
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
        raise PermissionDenied(MANAGE_PLAN)
    if not sees_all_proposals(user, criterion.plan):
        raise PermissionDenied("The assessment is for the hub's staff, assessors and the region.")
    return criterion


def get_version_for_user(user, pk: int, *, write: bool = False) -> PlanVersion:
    """A frozen version, for the readers of its plan (404 for anyone else); hub staff (write)
    ask for its PDF again."""
    try:
        version = PlanVersion.objects.select_related("plan__group__hub", "frozen_by").get(
            pk=pk, plan__in=plans_visible_to(user)
        )
    except PlanVersion.DoesNotExist as missing:
        raise Http404("No such version.") from missing
    if write and not can_manage_group(user, version.plan.group):
        raise PermissionDenied("Only the hub's staff ask for the PDF again.")
    return version


def all_proposals_visible_to(user):
    """Every proposal the user may see, across all plans, in one query."""
    visible = plans_visible_to(user)
    full = plans_fully_visible_to(user)
    return Proposal.objects.filter(
        Q(plan__in=full.values("pk")) | (Q(plan__in=visible.values("pk")) & _own_or_included(user))
    )


# --- the joint programme of work (issue 17 part 4) ------------------------------------------
# Product decision: national admins and regional teams read it (a region's hubs marked as its
# own), and hub staff read it too (their hub marked), since it is the one collective programme
# their plan is part of; only national admins record the agreed way forward. CCG leads and
# everyone else see the overlaps that concern them on the plan page only.


def can_read_programme(user) -> bool:
    s = scopes(user)
    return s.national or bool(s.region_ids) or bool(s.hub_ids)


def can_agree_way_forward(user) -> bool:
    return scopes(user).national


def require_programme_reader(user) -> None:
    if not can_read_programme(user):
        raise PermissionDenied(
            "The joint programme of work is for national admins, regional teams and hub staff."
        )


def require_way_forward_keeper(user) -> None:
    require_programme_reader(user)
    if not can_agree_way_forward(user):
        raise PermissionDenied("Only national admins record the agreed way forward.")


def own_hub_ids(user) -> frozenset[int]:
    """The hubs the joint programme marks as the viewer's: their hubs and their regions'."""
    s = scopes(user)
    ids = set(s.hub_ids)
    if s.region_ids:
        ids |= set(Hub.objects.filter(region_id__in=s.region_ids).values_list("pk", flat=True))
    return frozenset(ids)


def get_decision_for_user(user, pk: int, *, write: bool = False) -> OverlapDecision:
    """An agreed way forward: 403 for anyone who does not read the joint programme, 404 if it
    does not exist, 403 (write) for anyone but national admins."""
    require_programme_reader(user)
    decision = (
        OverlapDecision.objects.select_related(
            "proposal__plan__group__hub", "proposal__crg", "review", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404("No such decision.")
    if write:
        require_way_forward_keeper(user)
    return decision
