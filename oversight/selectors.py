"""Reads that pages and the API assemble about oversight groups, with their preloading.

The `*_visible_to(user)` lists take None for schema generation (no user): an empty list.
"""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber

from accounts.permissions import scopes
from hubs.models import CCG, Hub

from .models import (
    CarriedMember,
    CCGMembership,
    GroupMember,
    Handover,
    Interest,
    OversightGroup,
    SubGroup,
)
from .permissions import groups_visible_to


def memberships_awaiting(user):
    """Invitations the user's CCGs have not answered yet (for My work)."""
    return (
        CCGMembership.objects.filter(
            ccg_id__in=scopes(user).ccg_ids, status=CCGMembership.Status.INVITED
        )
        .exclude(group__status=OversightGroup.Status.CLOSED)
        .select_related("ccg", "group__hub")
    )


def representation_for(user) -> list[CCGMembership]:
    """Places in open groups that name one of the user's CCGs as representative: requests
    waiting for its answer and representation it has agreed (for My work, one query)."""
    return list(
        CCGMembership.objects.filter(
            represented_by_id__in=scopes(user).ccg_ids,
            status__in=CCGMembership.NAMES_REPRESENTATIVE,
        )
        .exclude(group__status=OversightGroup.Status.CLOSED)
        .select_related("ccg", "represented_by", "group__hub")
        .order_by("group__name", "ccg__name", "id")
    )


@dataclass
class CCGPlaces:
    """The places of a person's CCGs that My work shows, read in one query (issue 20)."""

    awaiting: list[CCGMembership]  # as memberships_awaiting, by CCG name
    representing: list[CCGMembership]  # as representation_for, in its order
    members: list[CCGMembership]  # memberships of groups open on the day, by CCG name


def ccg_places(user, day: datetime.date) -> CCGPlaces:
    """memberships_awaiting, representation_for and the CCGs' places in groups open on `day`
    (what national.consultation_permissions.slots_for reads) in one query: each row kept for
    every list whose condition it meets, each list in its own order (representation's as the
    database sorts it, by a window rank)."""
    ccg_ids = scopes(user).ccg_ids
    if not ccg_ids:
        return CCGPlaces([], [], [])
    not_closed = ~Q(group__status=OversightGroup.Status.CLOSED)
    awaiting = Q(ccg_id__in=ccg_ids, status=CCGMembership.Status.INVITED) & not_closed
    representing = (
        Q(represented_by_id__in=ccg_ids, status__in=CCGMembership.NAMES_REPRESENTATIVE) & not_closed
    )
    member = Q(
        ccg_id__in=ccg_ids,
        status=CCGMembership.Status.MEMBER,
        group__start_date__lte=day,
    ) & (Q(group__closed_on__isnull=True) | Q(group__closed_on__gte=day))
    rows = list(
        CCGMembership.objects.filter(awaiting | representing | member)
        .select_related("ccg", "represented_by", "group__hub__region")
        .annotate(
            _representation_rank=Window(
                RowNumber(), order_by=[F("group__name"), F("ccg__name"), F("id")]
            ),
            _awaits=Case(When(awaiting, then=True), default=False, output_field=BooleanField()),
            _represents=Case(
                When(representing, then=True), default=False, output_field=BooleanField()
            ),
            _member=Case(When(member, then=True), default=False, output_field=BooleanField()),
        )
        .order_by("ccg__name", "id")
    )
    return CCGPlaces(
        awaiting=[m for m in rows if m._awaits],
        representing=sorted(
            (m for m in rows if m._represents),
            key=lambda m: m._representation_rank,  # type: ignore[attr-defined]
        ),
        members=[m for m in rows if m._member],
    )


def hubs_without_open_group(hub_ids) -> QuerySet[Hub]:
    return Hub.objects.filter(pk__in=hub_ids).exclude(
        groups__status__in=[OversightGroup.Status.FORMING, OversightGroup.Status.ACTIVE]
    )


def footprint_on(group: OversightGroup, day: datetime.date) -> list[CCG]:
    """The CCGs of the group's hub that exist on `day` (its footprint that day)."""
    return list(CCG.objects.valid_on(day).filter(hub_id=group.hub_id))


def handover_notices(group: OversightGroup) -> list:
    """The group's hand-overs (mergers, the ICBs of 2022) as sentences, newest first."""
    from .succession import notices

    rows = Handover.objects.filter(group=group).select_related("predecessor", "successor")
    return notices(list(rows))


def member_ccgs(group: OversightGroup, *, excluding: int) -> QuerySet[CCG]:
    """CCGs that are members of the group (those another CCG may be represented by)."""
    return (
        CCG.objects.filter(
            memberships__group=group, memberships__status=CCGMembership.Status.MEMBER
        )
        .exclude(pk=excluding)
        .order_by("name")
    )


def interests_of(group: OversightGroup) -> list[Interest]:
    return list(Interest.objects.filter(member__group=group).select_related("member"))


def places(ids: list[int]) -> QuerySet[CCGMembership]:
    """Places a service returned, reloaded with their joins in one query."""
    return (
        CCGMembership.objects.filter(pk__in=ids)
        .select_related("group", "ccg", "represented_by")
        .order_by("ccg__name")
    )


def groups_listed_for(user) -> QuerySet[OversightGroup]:
    if user is None:
        return OversightGroup.objects.none()
    return (
        groups_visible_to(user)
        .select_related("system")
        .prefetch_related("ccgs", "hub__ccgs")
        .order_by("hub__region__name", "hub__name", "-start_date", "id")
    )


def memberships_visible_to(user) -> QuerySet[CCGMembership]:
    if user is None:
        return CCGMembership.objects.none()
    return (
        CCGMembership.objects.filter(group__in=groups_visible_to(user))
        .select_related("group", "ccg", "represented_by")
        .order_by("group_id", "ccg__name", "id")
    )


def members_visible_to(user) -> QuerySet[GroupMember]:
    if user is None:
        return GroupMember.objects.none()
    return (
        GroupMember.objects.filter(group__in=groups_visible_to(user))
        .select_related("ccg")
        .order_by("group_id", "full_name", "start_date", "id")
    )


def visible_member(user, pk) -> GroupMember | None:
    return (
        GroupMember.objects.filter(pk=pk, group__in=groups_visible_to(user))
        .select_related("group")
        .first()
    )


def interests_visible_to(user) -> QuerySet[Interest]:
    if user is None:
        return Interest.objects.none()
    return (
        Interest.objects.filter(member__group__in=groups_visible_to(user))
        .select_related("member")
        .order_by("member__group_id", "member__full_name", "id")
    )


def subgroups_visible_to(user) -> QuerySet[SubGroup]:
    if user is None:
        return SubGroup.objects.none()
    return (
        SubGroup.objects.filter(group__in=groups_visible_to(user))
        .select_related("lead")
        .prefetch_related("members")
        .order_by("group_id", "name", "id")
    )


def board_members(board: OversightGroup) -> list[GroupMember]:
    """A strategy board's members, every spell (a seat check picks the day's)."""
    return list(board.members.select_related("place"))


def carried_visible_to(user) -> QuerySet[CarriedMember]:
    """Members carried forward to the boards the user may see (issue 16)."""
    if user is None:
        return CarriedMember.objects.none()
    return (
        CarriedMember.objects.filter(board__in=groups_visible_to(user))
        .select_related("member", "decided_by")
        .order_by("board_id", "member__full_name", "id")
    )
