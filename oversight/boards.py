"""Strategy boards that succeed oversight groups (issue 16, "What to build" 2; seed 003).

Seed 003, "Proposed place based arrangements within the ICS": "A Specialised Commissioning
Strategy Board will replace the previous Specialised Commissioning Oversight Group (SCOG)",
acting "as a workstream programme board within the ICS governance structure"; "Membership will
be carried forward from the previous Specialised Commissioning Oversight Group where
available". So a board is set up *from* the group it succeeds:

- the board starts on a date; the group closes the day before (it is kept, readable from the
  board, with its meetings, documents and history);
- each member of the group on its last day is offered to the board (`CarriedMember`), and the
  board's staff confirm, remove or replace each one;
- the board's system must be one of the group's own hub (a board never succeeds another hub's
  group), open on the board's first day.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import StateConflict
from hubs.models import IntegratedCareSystem

from . import events
from .models import CarriedMember, GroupMember, OversightGroup
from .services import GroupError, member_add

# Seed 003: "The key purpose of this group will be to provide joint, place based leadership for
# the strategic planning of specialised pathways where this will join up care and improve
# patient outcomes"; it "will also explore opportunities and benefits for more formal place
# based arrangements initially taking the cardiology pathway as a 'proof of principle'".
DEFAULT_PURPOSE = (
    "Joint, place-based leadership for the strategic planning of specialised pathways where "
    "this will join up care and improve patient outcomes; exploring the opportunities and "
    "benefits of more formal place-based arrangements, starting with the cardiology pathway "
    "as a proof of principle."
)


def board_name(system: IntegratedCareSystem) -> str:
    return f"{system.short_name or system.name} Specialised Commissioning Strategy Board"


def _check_board(group: OversightGroup, system: IntegratedCareSystem, start: datetime.date):
    if group.is_board:
        raise GroupError("A strategy board succeeds an oversight group, not another board.")
    if group.is_closed:
        raise GroupError(f"{group.name} is closed: a board succeeds an open oversight group.")
    if hasattr(group, "successor"):
        raise GroupError(f"{group.name} already has a successor: {group.successor.name}.")
    if system.hub_id != group.hub_id:
        raise GroupError(
            f"{system} is in the {system.hub.name} hub: a board succeeds its own hub's "
            f"oversight group, not {group.hub.name}'s.",
            field="system",
        )
    if not system.is_valid_on(start):
        raise GroupError(
            f"{system} is not open on {nhs_date(start)}: choose a start date from "
            f"{nhs_date(system.valid_from)}.",
            field="start_date",
        )
    if start <= group.start_date:
        raise GroupError(
            f"The board starts after the group it succeeds, which started on "
            f"{nhs_date(group.start_date)}.",
            field="start_date",
        )


@transaction.atomic
def board_create(
    *,
    by,
    group: OversightGroup,
    version: int,
    system: IntegratedCareSystem,
    name: str,
    start_date: datetime.date,
    purpose: str = DEFAULT_PURPOSE,
) -> OversightGroup:
    """Set up the strategy board that succeeds `group` (see the module's docstring). The group
    closes on the day before the board starts; its members on that day are offered to the
    board. Refuses a stale `version` of the group (409)."""
    current = lock_version(OversightGroup, group.pk, version, ["status", "closed_on"])
    _check_board(current, system, start_date)
    if not name.strip():
        raise GroupError("Enter the board's name.", field="name")
    last_day = start_date - datetime.timedelta(days=1)
    current.status, current.closed_on = OversightGroup.Status.CLOSED, last_day
    save_versioned(current, by=by, fields=["status", "closed_on"])
    board = OversightGroup(
        hub=current.hub,
        name=name.strip(),
        kind=OversightGroup.Kind.STRATEGY_BOARD,
        system=system,
        predecessor=current,
        start_date=start_date,
        footprint_date=start_date,
        purpose=purpose.strip(),
        created_by=by,
    )
    attribute_to(board, by)
    board.save()
    carried = [
        CarriedMember(board=board, member=m)
        for m in current.members.order_by("full_name", "pk")
        if m.is_current_on(last_day)
    ]
    bulk_create_with_history(carried, CarriedMember, default_user=by)
    audit.record(actor=by, verb=events.GROUP_SUCCEEDED, target=current, board=board.pk)
    audit.record(
        actor=by, verb=events.BOARD_CREATED, target=board, succeeds=current.pk, carried=len(carried)
    )
    return board


CARRIED_FIELDS = ["decision", "board_member", "decided_at", "decided_by"]


def decision_args(data: dict) -> dict:
    """A decision as a form or API body gives it (decision, seat, place, and for a replacement
    their name, email, organisation, sector and CCG), as `carried_decide` takes it."""
    args = {
        "decision": data["decision"],
        "seat": data.get("seat") or "",
        "place": data.get("place"),
    }
    if data["decision"] == CarriedMember.Decision.REPLACED:
        args["replacement"] = {
            "full_name": data["full_name"],
            "email": data.get("email") or "",
            "organisation": data["organisation"],
            "sector": data["sector"],
            "ccg": data.get("ccg"),
            "role": GroupMember.Role.MEMBER,
            "voting": True,
        }
    return args


@transaction.atomic
def carried_decide(
    *,
    by,
    carried: CarriedMember,
    version: int,
    decision: str,
    seat: str = "",
    place=None,
    replacement: dict | None = None,
) -> CarriedMember:
    """Decide a carried-forward member: confirmed (they join the board from its first day, in
    `seat`), removed (they do not), or replaced (`replacement`, the new member's details, joins
    in their place and seat). A decision is made once; the board's members are changed after
    that on the members pages."""
    current = lock_version(CarriedMember, carried.pk, version, CARRIED_FIELDS)
    if current.decision != CarriedMember.Decision.PENDING:
        raise StateConflict(
            f"{current.member.full_name} has already been {current.get_decision_display().lower()}."
        )
    board = OversightGroup.objects.select_related("system", "hub").get(pk=current.board_id)
    D = CarriedMember.Decision
    if decision not in (D.CONFIRMED, D.REMOVED, D.REPLACED):
        raise GroupError("Choose confirm, remove or replace.", field="decision")
    joined: GroupMember | None = None
    if decision == D.CONFIRMED:
        old = current.member
        joined = member_add(
            by=by,
            group=board,
            full_name=old.full_name,
            email=old.email,
            organisation=old.organisation,
            sector=old.sector,
            ccg=old.ccg,
            role=old.role,
            voting=old.voting,
            seat=seat,
            place=place,
            start_date=board.start_date,
            end_date=None,
        )
    elif decision == D.REPLACED:
        details = dict(replacement or {})
        if not (details.get("full_name") or "").strip():
            raise GroupError(
                "Enter the name of the person who takes their place.", field="full_name"
            )
        details.setdefault("start_date", board.start_date)
        details.setdefault("end_date", None)
        joined = member_add(by=by, group=board, seat=seat, place=place, **details)
    current.decision, current.board_member = decision, joined
    current.decided_at, current.decided_by = timezone.now(), by
    save_versioned(current, by=by, fields=CARRIED_FIELDS)
    audit.record(actor=by, verb=events.MEMBER_CARRIED, target=current, decision=decision)
    return current
