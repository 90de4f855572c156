"""Access to oversight groups: one helper per protected object, used by views, API and templates.

- National admins read every group; regional teams read their region's groups.
- Hub staff read and change their own hub's group.
- CCG leads read the groups their CCG has a place in, and answer their own CCG's invitation
  and the requests to represent other CCGs that name their CCG.
Committees (issue 15): the Commissioning Committee is read by national admins, its members
and regional teams, and run by its members; a joint committee is read by national admins,
Commissioning Committee members, its region's team and its CCGs' leads, and run by its region's
team and its CCGs' leads.
Strategy boards (issue 16): run by the hub's staff and the region's team; read also by the
system's ICS leads, the leads of its commissioners and its members; the group a board succeeds
stays readable to them.
Anything not visible is 404 (its existence is not revealed); visible but not changeable is 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.permissions import hubs_followed, scopes
from hubs.models import Hub, SystemMember

from .models import (
    CarriedMember,
    CCGMembership,
    Committee,
    GroupMember,
    Interest,
    OversightGroup,
    SubGroup,
)


def _board_readers(s, email: str) -> Q:
    """Who reads a strategy board besides its hub and region (issue 16, "Roles and access"):
    its system's ICS leads, the leads of the system's commissioners (CCGs, later ICBs), and its
    own members (by the email they are recorded with)."""
    in_system = Q(system_id__in=s.system_ids)
    if s.ccg_ids:
        in_system |= Q(
            system_id__in=SystemMember.objects.filter(commissioner_id__in=s.ccg_ids).values(
                "system_id"
            )
        )
    if email:
        in_system |= Q(members__email__iexact=email, members__end_date__isnull=True)
    return Q(kind=OversightGroup.Kind.STRATEGY_BOARD) & in_system


def groups_visible_to(user):
    s = scopes(user)
    # The system and successor too: a board's page names its system; a group's, its successor.
    groups = OversightGroup.objects.select_related("hub__region", "system", "successor")
    if s.national:
        return groups
    email = getattr(user, "email", "") if getattr(user, "is_authenticated", False) else ""
    if not (s.region_ids or s.hub_ids or s.ccg_ids or s.system_ids or email):
        return groups.none()
    boards = _board_readers(s, email)
    visible = (
        Q(hub__region_id__in=s.region_ids)
        | Q(hub_id__in=s.hub_ids)
        | Q(ccgs__ccg_id__in=s.ccg_ids)
        | Q(pk__in=OversightGroup.objects.filter(boards).values("pk"))
        # The group a board succeeds stays readable from the board (issue 16).
        | Q(successor__in=OversightGroup.objects.filter(boards).values("pk"))
    )
    return groups.filter(visible).distinct()


def can_manage_hub(user, hub: Hub) -> bool:
    """Hub staff change their own hub's group; nobody else does (national admins read)."""
    return hub.pk in scopes(user).hub_ids


def can_manage_group(user, group: OversightGroup) -> bool:
    """Hub staff run their hub's group; a strategy board is run by its hub's staff and its
    region's team (issue 16: "Regional teams and hub staff run boards in their region/hub")."""
    s = scopes(user)
    if group.hub_id in s.hub_ids:
        return True
    return group.is_board and group.hub.region_id in s.region_ids


def can_set_up_board(user, group: OversightGroup) -> bool:
    """Who sets up the board that succeeds a group: its hub's staff and its region's team."""
    s = scopes(user)
    return (
        not group.is_board
        and not group.is_closed
        and (group.hub_id in s.hub_ids or group.hub.region_id in s.region_ids)
    )


def get_group_for_user(user, pk: int, *, write: bool = False) -> OversightGroup:
    try:
        group = groups_visible_to(user).get(pk=pk)
    except OversightGroup.DoesNotExist as missing:
        raise Http404("No such oversight group.") from missing
    if write and not can_manage_group(user, group):
        if group.is_board:
            raise PermissionDenied("Only the hub's staff and the region's team change the board.")
        raise PermissionDenied("Only the hub's staff change its oversight group.")
    return group


def committees_visible_to(user):
    s = scopes(user)
    committees = Committee.objects.select_related("region")
    if s.national or s.committee:
        return committees
    visible = Q(pk__in=[])
    if s.region_ids:
        visible |= Q(kind=Committee.Kind.COMMISSIONING_COMMITTEE) | Q(region_id__in=s.region_ids)
    if s.ccg_ids:
        visible |= Q(ccgs__in=s.ccg_ids)
    return committees.filter(visible).distinct()


def can_manage_committee(user, committee: Committee) -> bool:
    s = scopes(user)
    if committee.is_national:
        return s.committee
    if committee.region_id in s.region_ids:
        return True
    return bool(s.ccg_ids) and committee.ccgs.filter(pk__in=s.ccg_ids).exists()


def can_manage_body(user, body: OversightGroup | Committee) -> bool:
    """Whether the user runs the group's or committee's meetings and keeps its members."""
    if isinstance(body, Committee):
        return can_manage_committee(user, body)
    return can_manage_group(user, body)


def get_committee_for_user(user, pk: int, *, write: bool = False) -> Committee:
    try:
        committee = committees_visible_to(user).get(pk=pk)
    except Committee.DoesNotExist as missing:
        raise Http404("No such committee.") from missing
    if write and not can_manage_committee(user, committee):
        raise PermissionDenied("Only the committee's members and secretariat change it.")
    return committee


def get_hub_for_group_setup(user, slug: str) -> Hub:
    try:
        hub = Hub.objects.select_related("region").get(slug=slug)
    except Hub.DoesNotExist as missing:
        raise Http404("No such hub.") from missing
    if not can_manage_hub(user, hub):
        raise PermissionDenied("Only the hub's staff set up its oversight group.")
    return hub


def get_membership_for_user(
    user, pk: int, *, respond: bool = False, withdraw: bool = False, represent: bool = False
) -> CCGMembership:
    """A CCG's place in a group. Answering it is for that CCG's leads only; withdrawing it is
    for them or the hub's staff. Confirming or declining a request to be represented is for
    the named representative's leads only, as answering an invitation is for the CCG's own
    (issue 13: representation is agreed by both sides)."""
    try:
        membership = CCGMembership.objects.select_related(
            "ccg", "represented_by", "group__hub__region"
        ).get(pk=pk, group__in=groups_visible_to(user))
    except CCGMembership.DoesNotExist as missing:
        raise Http404("No such membership.") from missing
    own = membership.ccg_id in scopes(user).ccg_ids
    if respond and not own:
        raise PermissionDenied("Only the CCG's own leads answer its invitation.")
    if withdraw and not (own or can_manage_group(user, membership.group)):
        raise PermissionDenied("Only the hub's staff or the CCG's leads withdraw a CCG.")
    if represent and membership.represented_by_id not in scopes(user).ccg_ids:
        raise PermissionDenied("Only the representative CCG's leads answer a request to represent.")
    return membership


def get_member_for_user(user, pk: int, *, write: bool = False) -> GroupMember:
    try:
        member = GroupMember.objects.select_related("group__hub", "ccg").get(
            pk=pk, group__in=groups_visible_to(user)
        )
    except GroupMember.DoesNotExist as missing:
        raise Http404("No such member.") from missing
    if write and not can_manage_body(user, member.body):
        raise PermissionDenied("Only the hub's staff change the group's members.")
    return member


def get_interest_for_user(user, pk: int, *, write: bool = False) -> Interest:
    try:
        interest = Interest.objects.select_related("member__group__hub").get(
            pk=pk, member__group__in=groups_visible_to(user)
        )
    except Interest.DoesNotExist as missing:
        raise Http404("No such interest.") from missing
    if write and not can_manage_body(user, interest.member.body):
        raise PermissionDenied("Only the hub's staff keep the register of interests.")
    return interest


def get_subgroup_for_user(user, pk: int, *, write: bool = False) -> SubGroup:
    try:
        subgroup = SubGroup.objects.select_related("group__hub").get(
            pk=pk, group__in=groups_visible_to(user)
        )
    except SubGroup.DoesNotExist as missing:
        raise Http404("No such sub-group.") from missing
    if write and not can_manage_group(user, subgroup.group):
        raise PermissionDenied("Only the hub's staff change its sub-groups.")
    return subgroup


def glance_hubs(user):
    """The hubs a user oversees: all for national admins, their regions' for regional teams."""
    return hubs_followed(user, through=("region",))


def can_see_glance(user) -> bool:
    s = scopes(user)
    return s.national or bool(s.region_ids)


def require_glance(user) -> None:
    """Oversight at a glance is for regional teams and national admins (403 for anyone else)."""
    if not can_see_glance(user):
        raise PermissionDenied("Oversight at a glance is for regional teams and national admins.")


def require_interest_keeper(user, group) -> None:
    """Only the hub's staff keep a group's register of interests (403 for anyone else)."""
    if not can_manage_group(user, group):
        raise PermissionDenied("Only the hub's staff keep the register of interests.")


def get_group_for_board_setup(user, pk: int) -> OversightGroup:
    """The group whose successor board `user` sets up: 404 if not visible, 403 unless they are
    its hub's staff or its region's team and the group is an open oversight group."""
    group = get_group_for_user(user, pk)
    if not can_set_up_board(user, group):
        raise PermissionDenied(
            "Only the hub's staff and the region's team set up the board that succeeds an open "
            "oversight group."
        )
    return group


def get_carried_for_user(user, pk: int, *, write: bool = False) -> CarriedMember:
    try:
        carried = CarriedMember.objects.select_related(
            "member", "board__hub__region", "board__system", "board_member"
        ).get(pk=pk, board__in=groups_visible_to(user))
    except CarriedMember.DoesNotExist as missing:
        raise Http404("No such member to carry forward.") from missing
    if write and not can_manage_group(user, carried.board):
        raise PermissionDenied("Only the hub's staff and the region's team change the board.")
    return carried
