"""Every change to an oversight group, its CCG places and its members: named, atomic, audited."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit, outbox
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError
from commissioning.limits import EARLIEST_DAY, check_day
from hubs.models import CCG, Hub
from hubs.querysets import valid_on_q

from . import events, seats
from .models import CCGMembership, Committee, GroupMember, Interest, OversightGroup, SubGroup


class GroupError(RuleError):
    """A change to this app's records that breaks a rule (see RuleError)."""


@dataclass(frozen=True)
class Coverage:
    """How much of the footprint's population has a voice in the group."""

    footprint: list[CCG]
    members: list[CCGMembership]
    represented: list[CCGMembership]
    not_covered: list[CCG]
    # Asked another CCG to represent them; not covered until it confirms (issue 13).
    requested: list[CCGMembership] = field(default_factory=list)

    @property
    def requested_ccg_ids(self) -> set[int]:
        return {m.ccg_id for m in self.requested}

    @property
    def covered_count(self) -> int:
        return len(self.members) + len(self.represented)

    @property
    def percent(self) -> int:
        return round(100 * self.covered_count / len(self.footprint)) if self.footprint else 0


def group_coverage(group: OversightGroup, memberships: list[CCGMembership], day) -> Coverage:
    """Coverage of the hub's footprint on `day`, from the group's (preloaded) memberships.
    Places of CCGs outside that day's footprint (closed by a merger) do not count."""
    footprint = [c for c in group.hub.ccgs.all() if c.is_valid_on(day)]
    in_footprint = {c.pk for c in footprint}
    current = [m for m in memberships if m.ccg_id in in_footprint]
    covered = {m.ccg_id for m in current if m.is_covered}
    return Coverage(
        footprint=footprint,
        members=[m for m in current if m.status == CCGMembership.Status.MEMBER],
        represented=[m for m in current if m.status == CCGMembership.Status.REPRESENTED],
        not_covered=[c for c in footprint if c.pk not in covered],
        requested=[m for m in current if m.is_representation_requested],
    )


@transaction.atomic
def group_create(
    *,
    by,
    hub: Hub,
    name: str,
    start_date: datetime.date,
    purpose: str = "",
    kind: str = OversightGroup.Kind.OVERSIGHT_GROUP,
) -> OversightGroup:
    """Set up the hub's oversight group. Raises GroupError if the hub already has an open one.
    A strategy board is not set up here: it succeeds an oversight group (`boards.board_create`)."""
    if kind != OversightGroup.Kind.OVERSIGHT_GROUP:
        raise GroupError(
            "A strategy board is set up from the oversight group it succeeds: open that group "
            "and choose 'Set up the strategy board that succeeds it'.",
            field="kind",
        )
    if OversightGroup.objects.filter(hub=hub).exclude(status=OversightGroup.Status.CLOSED).exists():
        raise GroupError(f"{hub.name} already has an oversight group that is not closed.")
    try:
        with transaction.atomic():
            group = OversightGroup(
                hub=hub,
                name=name,
                kind=kind,
                start_date=start_date,
                purpose=purpose,
                created_by=by,
            )
            attribute_to(group, by)
            group.save()
    except IntegrityError as clash:  # another person set one up at the same moment
        raise GroupError(
            f"{hub.name} already has an oversight group that is not closed."
        ) from clash
    audit.record(actor=by, verb=events.GROUP_CREATED, target=group)
    return group


GROUP_FIELDS = ["name", "status", "start_date", "closed_on", "purpose"]


@transaction.atomic
def group_update(*, by, group: OversightGroup, version: int, **changes) -> OversightGroup:
    """Change the group's details, refusing if someone else saved since `version`."""
    current = lock_version(OversightGroup, group.pk, version, GROUP_FIELDS)
    status = changes.get("status", current.status)
    closed_on = changes.get("closed_on", current.closed_on)
    start = changes.get("start_date", current.start_date)
    if status == OversightGroup.Status.CLOSED and closed_on is None:
        raise GroupError("Enter the date the group closed.", field="closed_on")
    if status != OversightGroup.Status.CLOSED and closed_on is not None:
        raise GroupError(
            "Leave the closing date empty unless the group is closed.", field="closed_on"
        )
    if closed_on is not None and closed_on < start:
        raise GroupError("The closing date must be on or after the start date.", field="closed_on")
    if (
        current.status == OversightGroup.Status.CLOSED
        and status != OversightGroup.Status.CLOSED
        and OversightGroup.objects.filter(hub=current.hub)
        .exclude(pk=current.pk)
        .exclude(status=OversightGroup.Status.CLOSED)
        .exists()
    ):
        raise GroupError("The hub already has another open oversight group.", field="status")
    changed = [f for f in GROUP_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.GROUP_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def ccgs_invite(*, by, group: OversightGroup, ccgs: list[CCG]) -> list[CCGMembership]:
    """Invite footprint CCGs (again, if they had declined or withdrawn). Returns the invitations."""
    # Invitations to one group are made one batch at a time (no duplicate places in a race).
    group = OversightGroup.objects.select_for_update().get(pk=group.pk)
    if group.status == OversightGroup.Status.CLOSED:
        raise GroupError("A closed group cannot invite CCGs.")
    ccgs = list({c.pk: c for c in ccgs}.values())
    day = group.footprint_day  # the group's own date, never today's (issue 13)
    valid = set(
        CCG.objects.filter(valid_on_q(day), hub=group.hub, pk__in=[c.pk for c in ccgs]).values_list(
            "pk", flat=True
        )
    )
    outside = [c for c in ccgs if c.pk not in valid]
    if outside:
        names = ", ".join(c.name for c in outside)
        raise GroupError(
            f"Not in {group.hub.name}'s footprint on {nhs_date(day)}, the group's date: {names}.",
            field="ccg",
        )
    existing = {m.ccg_id: m for m in CCGMembership.objects.select_for_update().filter(group=group)}
    now = timezone.now()
    invited = []
    for ccg in ccgs:
        membership = existing.get(ccg.pk)
        if membership is None:
            membership = CCGMembership(group=group, ccg=ccg, invited_at=now, invited_by=by)
            attribute_to(membership, by)
            membership.save()
        elif membership.status in (CCGMembership.Status.DECLINED, CCGMembership.Status.WITHDRAWN):
            membership.status = CCGMembership.Status.INVITED
            membership.invited_at, membership.invited_by = now, by
            save_versioned(membership, by=by, fields=["status", "invited_at", "invited_by"])
        else:
            continue
        audit.record(actor=by, verb=events.CCG_INVITED, target=membership)
        invited.append(membership)
    if invited:
        from .tasks import invitations_send

        for m in invited:
            outbox.add(
                invitations_send,
                [m.pk],
                key=f"invitation:{m.pk}:{m.invited_at.isoformat()}",
                label=f"Invitation to {m.ccg.name} to join {m.group}",
            )
    return invited


class Answer:
    ACCEPT = "accept"
    DECLINE = "decline"
    REPRESENT = "represent"
    CHOICES = [
        (ACCEPT, "Join the group as a member"),
        (REPRESENT, "Be represented by another CCG that is a member"),
        (DECLINE, "Decline (our population will not be represented)"),
    ]


ANSWER_VERBS = {
    Answer.ACCEPT: events.CCG_ACCEPTED,
    Answer.REPRESENT: events.CCG_REPRESENTED,
    Answer.DECLINE: events.CCG_DECLINED,
}


@transaction.atomic
def membership_respond(
    *,
    by,
    membership: CCGMembership,
    version: int,
    answer: str,
    represented_by: CCG | None = None,
    note: str = "",
) -> CCGMembership:
    """A CCG's answer to its invitation, or a change of mind later. Enforces representation rules:
    the representative is a member of the same group, not the CCG itself, and no chains."""
    current = lock_version(CCGMembership, membership.pk, version, ["status", "represented_by"])
    if current.group.status == OversightGroup.Status.CLOSED:
        raise GroupError("This group has closed.")
    # Those it represents, or that have asked it to (a request counts: no chains either way).
    represents_others = representation_dependants(current)
    if answer == Answer.ACCEPT:
        status, representative = CCGMembership.Status.MEMBER, None
    elif answer == Answer.DECLINE:
        if represents_others:
            names = ", ".join(m.ccg.name for m in represents_others)
            raise GroupError(
                f"{current.ccg.name} represents {names}. Withdraw instead, so that they are "
                "told they have lost their representation.",
                field="answer",
            )
        status, representative = CCGMembership.Status.DECLINED, None
    elif answer == Answer.REPRESENT:
        if represented_by is None:
            raise GroupError("Choose the CCG that will represent you.", field="represented_by")
        if represented_by.pk == current.ccg_id:
            raise GroupError("A CCG cannot represent itself.", field="represented_by")
        if represents_others:
            names = ", ".join(m.ccg.name for m in represents_others)
            raise GroupError(
                f"{current.ccg.name} represents {names}, so it cannot itself be represented "
                "(no chains of representation).",
                field="represented_by",
            )
        rep = CCGMembership.objects.filter(group=current.group, ccg=represented_by).first()
        if rep is None or rep.status != CCGMembership.Status.MEMBER:
            raise GroupError(
                f"{represented_by.name} is not a member of this group, so it cannot represent "
                "another CCG.",
                field="represented_by",
            )
        # Representation is agreed by both sides (issue 13): asking is not yet being covered,
        # unless the same representative already agreed (answering again keeps its consent).
        agreed = current.is_represented and current.represented_by_id == represented_by.pk
        status = (
            CCGMembership.Status.REPRESENTED
            if agreed
            else CCGMembership.Status.REPRESENTATION_REQUESTED
        )
        representative = represented_by
    else:
        raise GroupError("Choose an answer.", field="answer")
    current.status, current.represented_by = status, representative
    current.responded_at, current.responded_by, current.note = timezone.now(), by, note
    save_versioned(
        current, by=by, fields=["status", "represented_by", "responded_at", "responded_by", "note"]
    )
    audit.record(
        actor=by,
        verb=ANSWER_VERBS[answer],
        target=current,
        represented_by=(representative.ods_code if representative else None),
    )
    if current.is_representation_requested:
        from .tasks import representation_request_send

        outbox.add(
            representation_request_send,
            current.pk,
            key=f"representation-request:{current.pk}:{current.responded_at.isoformat()}",
            label=f"{current.ccg.name} asks {current.represented_by} to represent it",
        )
    return current


def _waiting_request(membership: CCGMembership) -> CCG:
    """The representative a (locked) place still asks for, in an open group; else refused."""
    if membership.group.status == OversightGroup.Status.CLOSED:
        raise GroupError("This group has closed.")
    representative = membership.represented_by
    if not membership.is_representation_requested or representative is None:
        raise GroupError(
            f"{membership.ccg.name} is not waiting for representation "
            f"(it is now: {membership.get_status_display().lower()})."
        )
    return representative


@transaction.atomic
def representation_confirm(*, by, membership: CCGMembership, version: int) -> CCGMembership:
    """The representative's lead agrees to represent the CCG that asked: it is now covered.
    Page and API let only the representative's own leads do this (permissions)."""
    current = lock_version(CCGMembership, membership.pk, version, ["status", "represented_by"])
    representative = _waiting_request(current)
    rep = CCGMembership.objects.filter(group=current.group_id, ccg=representative).first()
    if rep is None or rep.status != CCGMembership.Status.MEMBER:
        raise GroupError(
            f"{representative.name} is no longer a member of this group, so it cannot "
            "represent another CCG."
        )
    current.status = CCGMembership.Status.REPRESENTED
    save_versioned(current, by=by, fields=["status"])
    audit.record(
        actor=by,
        verb=events.CCG_REPRESENTATION_CONFIRMED,
        target=current,
        represented_by=representative.ods_code,
    )
    return current


@transaction.atomic
def representation_decline(
    *, by, membership: CCGMembership, version: int, reason: str = ""
) -> CCGMembership:
    """The representative's lead declines: the CCG that asked is invited again, with a note
    saying who declined (and why, if given), so that it can answer again."""
    current = lock_version(CCGMembership, membership.pk, version, ["status", "represented_by"])
    representative = _waiting_request(current)
    reason = reason.strip()
    note = f"{representative.name} declined to represent it" + (f": {reason}" if reason else ".")
    current.status, current.represented_by = CCGMembership.Status.INVITED, None
    current.note = note[:300]
    save_versioned(current, by=by, fields=["status", "represented_by", "note"])
    audit.record(
        actor=by,
        verb=events.CCG_REPRESENTATION_DECLINED,
        target=current,
        represented_by=representative.ods_code,
        reason=reason,
    )
    return current


def representation_dependants(membership: CCGMembership) -> list[CCGMembership]:
    """The CCGs that would lose their representation (or their request for it) if this member
    withdrew."""
    return list(
        CCGMembership.objects.filter(
            group=membership.group_id,
            represented_by=membership.ccg_id,
            status__in=CCGMembership.NAMES_REPRESENTATIVE,
        ).select_related("ccg")
    )


@transaction.atomic
def membership_withdraw(
    *, by, membership: CCGMembership, version: int, reason: str
) -> list[CCGMembership]:
    """Withdraw a CCG. Those it represented go back to "invited", so the gap shows in coverage.
    Returns the memberships that lost their representation."""
    current = lock_version(CCGMembership, membership.pk, version, ["status", "represented_by"])
    if not current.may_withdraw:
        raise GroupError("This CCG is not in the group.")
    if not reason.strip():
        raise GroupError("Give a reason for withdrawing.", field="reason")
    orphans = representation_dependants(current)
    for orphan in orphans:
        asked = orphan.is_representation_requested
        orphan.status, orphan.represented_by = CCGMembership.Status.INVITED, None
        what = "Request for representation" if asked else "Representation"
        orphan.note = f"{what} ended: {current.ccg.name} withdrew."
        save_versioned(orphan, by=by, fields=["status", "represented_by", "note"])
        audit.record(actor=by, verb=events.CCG_REPRESENTATION_LOST, target=orphan)
    current.status, current.represented_by = CCGMembership.Status.WITHDRAWN, None
    current.note, current.responded_at, current.responded_by = reason, timezone.now(), by
    save_versioned(
        current, by=by, fields=["status", "represented_by", "note", "responded_at", "responded_by"]
    )
    audit.record(
        actor=by,
        verb=events.CCG_WITHDRAWN,
        target=current,
        orphans=[o.ccg.ods_code for o in orphans],
    )
    return orphans


MEMBER_FIELDS = [
    "full_name",
    "email",
    "organisation",
    "sector",
    "ccg",
    "role",
    "seat",
    "place",
    "voting",
    "start_date",
    "end_date",
]


def _check_member_ccg(body: OversightGroup | Committee, ccg: CCG) -> None:
    """A CCG member speaks for a CCG of the group's hub, or of the joint committee; a strategy
    board's, for a commissioner in its system (issue 16)."""
    if isinstance(body, OversightGroup) and body.is_board:
        return
    if isinstance(body, OversightGroup):
        if ccg.hub_id != body.hub_id:
            raise GroupError(f"Choose a CCG in the {body.hub.name} hub.", field="ccg")
    elif not body.is_national and not body.ccgs.filter(pk=ccg.pk).exists():
        raise GroupError("Choose one of the joint committee's CCGs.", field="ccg")


def _check_member(
    body: OversightGroup | Committee, fields: dict, *, exclude_pk: int | None = None
) -> None:
    start, end = fields["start_date"], fields.get("end_date")
    check_day(  # issue 14: a member from 0001-01-01 was accepted
        start,
        field="start_date",
        earliest=EARLIEST_DAY,
        too_early=f"Enter a start date on or after {nhs_date(EARLIEST_DAY)},"
        " when NHS England began commissioning specialised services",
        error=GroupError,
    )
    if end is not None and end < start:
        raise GroupError("The end date must be on or after the start date.", field="end_date")
    if fields["sector"] == GroupMember.Sector.CCG and fields.get("ccg") is None:
        raise GroupError("Choose the CCG this member speaks for.", field="ccg")
    if fields["sector"] == GroupMember.Sector.CCG:
        _check_member_ccg(body, fields["ccg"])
        if isinstance(body, OversightGroup) and body.is_board:
            wrong = seats.check_board_commissioner(body, fields)
            if wrong:
                raise GroupError(wrong, field="ccg")
    try:
        seats.check_member_seat(body, fields)
    except seats.SeatError as wrong:
        raise GroupError(str(wrong), field=wrong.field) from wrong
    clash = GroupMember.objects.filter(
        **{body.noun: body},
        full_name__iexact=fields["full_name"].strip(),
        organisation__iexact=fields["organisation"].strip(),
    )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    for other in clash:
        other_end = other.end_date or datetime.date.max
        if start <= other_end and (end or datetime.date.max) >= other.start_date:
            raise GroupError(
                f"{other.full_name} of {other.organisation} is already a member for those dates.",
                field="full_name",
            )


@transaction.atomic
def member_add(*, by, group: OversightGroup | Committee, **fields) -> GroupMember:
    """Add a person to the group or committee (a new row per spell of membership: history is
    kept)."""
    if group.is_closed:
        raise GroupError(f"A closed {group.noun} cannot take new members.")
    _check_member(group, fields)
    if fields["sector"] != GroupMember.Sector.CCG:
        fields["ccg"] = None
    member = GroupMember(**{group.noun: group}, **fields)
    attribute_to(member, by)
    member.save()
    audit.record(actor=by, verb=events.MEMBER_ADDED, target=member)
    return member


@transaction.atomic
def member_update(*, by, member: GroupMember, version: int, **fields) -> GroupMember:
    """Change a member's details or end their membership (set end_date); never deletes."""
    current = lock_version(GroupMember, member.pk, version, MEMBER_FIELDS)
    fields.setdefault("seat", current.seat)  # a form without seats (a group's) keeps them
    fields.setdefault("place", current.place)
    _check_member(current.body, fields, exclude_pk=current.pk)
    if fields["sector"] != GroupMember.Sector.CCG:
        fields["ccg"] = None
    changed = [f for f in MEMBER_FIELDS if getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.MEMBER_UPDATED, target=current, fields=changed)
    return current


INTEREST_FIELDS = ["kind", "organisation", "description", "valid_from", "valid_to"]


def _check_interest(member: GroupMember, fields: dict) -> None:
    if fields.get("valid_to") is not None and fields["valid_to"] < fields["valid_from"]:
        raise GroupError("The end date must be on or after the start date.", field="valid_to")
    if not fields["organisation"].strip():
        raise GroupError("Enter the organisation the interest is in.", field="organisation")


@transaction.atomic
def interest_declare(*, by, member: GroupMember, **fields) -> Interest:
    """Add an entry to the register of interests for one of the group's (or a committee's,
    issue 15) members."""
    if member.group_id is None and member.committee_id is None:
        raise GroupError("Choose a member of the group.", field="member")
    _check_interest(member, fields)
    interest = Interest(member=member, **fields)
    attribute_to(interest, by)
    interest.save()
    audit.record(actor=by, verb=events.INTEREST_REGISTERED, target=interest)
    return interest


@transaction.atomic
def interest_update(*, by, interest: Interest, version: int, **fields) -> Interest:
    """Change or end (valid_to) an interest; the register keeps every past entry."""
    current = lock_version(Interest, interest.pk, version, INTEREST_FIELDS)
    _check_interest(current.member, fields)
    changed = [f for f in INTEREST_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.INTEREST_UPDATED, target=current, fields=changed)
    return current


SUBGROUP_FIELDS = ["name", "focus_kind", "focus", "lead", "terms", "status"]


def _check_subgroup(group: OversightGroup, fields: dict, members, exclude_pk=None) -> None:
    lead = fields.get("lead")
    if lead is not None and lead.group_id != group.pk:
        raise GroupError("Choose a lead from the group's members.", field="lead")
    if any(m.group_id != group.pk for m in members):
        raise GroupError("Sub-group members must be members of the group.", field="members")
    if (
        fields.get("status", SubGroup.Status.ACTIVE) == SubGroup.Status.ACTIVE
        and SubGroup.objects.filter(
            group=group, name__iexact=fields["name"].strip(), status=SubGroup.Status.ACTIVE
        )
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise GroupError("The group already has an active sub-group of that name.", field="name")


@transaction.atomic
def subgroup_create(*, by, group: OversightGroup, members=(), **fields) -> SubGroup:
    if group.status == OversightGroup.Status.CLOSED:
        raise GroupError("A closed group cannot set up sub-groups.")
    _check_subgroup(group, fields, members)
    subgroup = SubGroup(group=group, **fields)
    attribute_to(subgroup, by)
    subgroup.save()
    subgroup.members.set(members)
    audit.record(actor=by, verb=events.SUBGROUP_CREATED, target=subgroup)
    return subgroup


@transaction.atomic
def subgroup_update(*, by, subgroup: SubGroup, version: int, members=(), **fields) -> SubGroup:
    """Change a sub-group, or close it (status); it is never deleted."""
    current = lock_version(SubGroup, subgroup.pk, version, SUBGROUP_FIELDS)
    _check_subgroup(current.group, fields, members, exclude_pk=current.pk)
    changed = [f for f in SUBGROUP_FIELDS if f in fields and getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    save_versioned(current, by=by, fields=changed)
    current.members.set(members)
    audit.record(actor=by, verb=events.SUBGROUP_UPDATED, target=current, fields=changed)
    return current
