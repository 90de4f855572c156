"""Reads the workspace pages assemble from several apps, with their preloading."""

from django.db.models import Count, Q

from governance.models import DocumentVersion
from hubs.models import IntegratedCareSystem, Place, SystemMember
from hubs.querysets import hubs_with_counts
from meetings.models import Recommendation
from oversight.models import CarriedMember, CCGMembership, Interest, OversightGroup
from priorities.models import PrioritiesPlan, Proposal
from priorities.permissions import plans_visible_to
from reviews.models import PeerReview, Reviewer


def hubs_with_counts_for(user_scopes, day):
    """hubs_with_counts(day), only those a My work panel shows: the hubs the person staffs and
    their regions' hubs; none (no query) when they hold neither role (issue 20)."""
    if not (user_scopes.hub_ids or user_scopes.region_ids):
        return []
    return hubs_with_counts(day).filter(
        Q(pk__in=user_scopes.hub_ids) | Q(region_id__in=user_scopes.region_ids)
    )


def places_of(group: OversightGroup) -> list[CCGMembership]:
    return list(CCGMembership.objects.filter(group=group).select_related("ccg", "represented_by"))


def open_recommendations_of(group: OversightGroup) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(
            meeting__group=group, status=Recommendation.Status.AWAITING
        ).order_by("made_on")
    )


def group_history_targets(group: OversightGroup) -> dict[str, list]:
    """{model label: [ids]} of every record whose audit events make up the group's history."""
    return {
        "oversight.oversightgroup": [group.pk],
        "oversight.ccgmembership": list(group.ccgs.values_list("pk", flat=True)),
        "oversight.groupmember": list(group.members.values_list("pk", flat=True)),
        "oversight.interest": list(
            Interest.objects.filter(member__group=group).values_list("pk", flat=True)
        ),
        "oversight.subgroup": list(group.subgroups.values_list("pk", flat=True)),
        "governance.documentversion": list(
            DocumentVersion.objects.filter(document__group=group).values_list("pk", flat=True)
        ),
        "meetings.meeting": list(group.meetings.values_list("pk", flat=True)),
        "oversight.carriedmember": list(group.carried.values_list("pk", flat=True)),
    }


def board_page_data(board: OversightGroup) -> dict:
    """What a strategy board's page reads besides the group's own (issue 16): its members
    (seat and place loaded), the members carried forward from its predecessor, and its
    system's places and commissioners (any dates; the page picks the day's)."""
    return {
        "members": list(board.members.select_related("ccg", "place")),
        "carried": list(
            CarriedMember.objects.filter(board=board).select_related(
                "member", "board_member", "decided_by"
            )
        ),
        "places": list(Place.objects.filter(system_id=board.system_id)),
        "commissioners": list(
            SystemMember.objects.filter(system_id=board.system_id).select_related(
                "commissioner", "place"
            )
        ),
    }


def systems_of_hub(group: OversightGroup) -> list[IntegratedCareSystem]:
    """The integrated care systems of a group's hub: where a board may succeed it."""
    return list(IntegratedCareSystem.objects.filter(hub_id=group.hub_id))


# --- My work's next jobs (issue 18) -----------------------------------------------------------


def latest_plans(user, *, hub_ids, region_ids) -> dict[int, PrioritiesPlan]:
    """The latest priorities plan (by year) the user reads of each of these hubs and these
    regions' hubs, by hub id — a closed group's plan too (NEC's 2015/16 plan outlives its
    group) — with how many proposals it holds and how many are submitted and waiting to be
    scored and decided. One query, whatever the count, even before any plan exists."""
    plans = (
        plans_visible_to(user)
        .filter(Q(group__hub_id__in=hub_ids) | Q(group__hub__region_id__in=region_ids))
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            awaiting_count=Count(
                "proposals",
                filter=Q(proposals__status=Proposal.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("group__hub_id", "-year", "-pk")
    )
    latest: dict[int, PrioritiesPlan] = {}
    for plan in plans:
        latest.setdefault(plan.group.hub_id, plan)
    return latest


def ccg_proposals(plan_ids, ccg_ids) -> list[Proposal]:
    """The proposals of these CCGs (or ICBs) in these plans, by plan and title (one query)."""
    return list(
        Proposal.objects.filter(plan_id__in=plan_ids, ccg_id__in=ccg_ids).order_by(
            "plan_id", "title"
        )
    )


def region_reviews(region_ids) -> list[PeerReview]:
    """The regions' peer reviews not yet signed off, with how many reviewers have accepted a
    place on each panel (one query)."""
    return list(
        PeerReview.objects.filter(hub__region_id__in=region_ids)
        .exclude(status=PeerReview.Status.SIGNED_OFF)
        .select_related("hub", "cycle")
        .annotate(accepted_count=Count("panel", filter=Q(panel__status=Reviewer.Status.ACCEPTED)))
        .order_by("hub__name", "cycle__year")
    )
