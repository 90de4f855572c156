"""Access to meetings and recommendations, through the group (or committee) they belong to.

Reading follows the group (oversight.permissions.groups_visible_to) or the committee
(committees_visible_to); changing a meeting is for the hub's staff, or the committee's
managers; responding to a recommendation is for the regional team of the hub's region.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.permissions import scopes
from oversight.models import GroupMember
from oversight.permissions import can_manage_body, committees_visible_to, groups_visible_to

from .models import Action, AgendaItem, Meeting, Paper, Recommendation

ACTION_LOG = "Only the hub's staff change its action log."


def require_meeting_manager(user, body, message: str = "") -> None:
    """403 unless the user runs the group's (or committee's) meetings."""
    if not can_manage_body(user, body):
        raise PermissionDenied(message or _not_yours(body))


def _not_yours(body) -> str:
    if body.noun == "committee":
        return "Only the committee's members and secretariat change its meetings."
    return "Only the hub's staff change its meetings."


def require_responder(
    user,
    recommendation: Recommendation,
    message: str = "Only the region's team responds to the group's recommendations.",
) -> None:
    """403 unless the user is on the regional team that answers the recommendation."""
    if not can_respond(user, recommendation):
        raise PermissionDenied(message)


def meetings_visible_to(user):
    return Meeting.objects.filter(
        Q(group__in=groups_visible_to(user)) | Q(committee__in=committees_visible_to(user))
    ).select_related("group__hub__region", "group__system", "committee")


def get_committee_member_for_user(user, pk: int, *, write: bool = False) -> GroupMember:
    """A committee's member, if the user can see the committee; changing is for its managers."""
    try:
        member = GroupMember.objects.select_related("committee", "ccg").get(
            pk=pk, committee__in=committees_visible_to(user)
        )
    except GroupMember.DoesNotExist as missing:
        raise Http404("No such committee member.") from missing
    if write:
        require_meeting_manager(user, member.committee, "Only the committee's managers do that.")
    return member


def get_meeting_for_user(user, pk: int, *, write: bool = False) -> Meeting:
    try:
        meeting = meetings_visible_to(user).get(pk=pk)
    except Meeting.DoesNotExist as missing:
        raise Http404("No such meeting.") from missing
    if write:
        require_meeting_manager(user, meeting.body)
    return meeting


def get_item_for_user(user, pk: int, *, write: bool = False) -> AgendaItem:
    try:
        item = AgendaItem.objects.select_related("meeting__group__hub", "meeting__committee").get(
            pk=pk, meeting__in=meetings_visible_to(user)
        )
    except AgendaItem.DoesNotExist as missing:
        raise Http404("No such agenda item.") from missing
    if write:
        require_meeting_manager(user, item.meeting.body)
    return item


def get_action_for_user(user, pk: int, *, write: bool = False) -> Action:
    try:
        action = Action.objects.select_related("meeting__group__hub").get(
            pk=pk, meeting__group__in=groups_visible_to(user)
        )
    except Action.DoesNotExist as missing:
        raise Http404("No such action.") from missing
    if write:
        require_meeting_manager(user, action.meeting.group, ACTION_LOG)
    return action


def recommendations_visible_to(user):
    return Recommendation.objects.filter(meeting__group__in=groups_visible_to(user)).select_related(
        "meeting__group__hub__region", "meeting__group__system", "responded_by"
    )


def can_respond(user, recommendation: Recommendation) -> bool:
    group = recommendation.meeting.group  # recommendations are groups' only
    return group is not None and group.hub.region_id in scopes(user).region_ids


def get_recommendation_for_user(user, pk: int, *, respond: bool = False) -> Recommendation:
    try:
        recommendation = recommendations_visible_to(user).get(pk=pk)
    except Recommendation.DoesNotExist as missing:
        raise Http404("No such recommendation.") from missing
    if respond:
        require_responder(user, recommendation)
    return recommendation


def get_paper_for_user(user, pk: int) -> Paper:
    """A paper that is not withdrawn, of a meeting the user can see; else 404."""
    try:
        return Paper.objects.select_related("item__meeting").get(
            pk=pk, withdrawn=False, item__meeting__in=meetings_visible_to(user)
        )
    except Paper.DoesNotExist as missing:
        raise Http404("No such paper.") from missing
