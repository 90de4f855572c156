"""A strategy board's seats: who fills each seat of seed 003's membership, and which are gaps.

Seed 003, "Membership of Specialised Commissioning Strategy Group": the proposed membership is
a Regional Director (specialised commissioning), the STP/ICS lead, the Medical Director of the
DCO team, the STP/ICS governance lead, representatives of the specialised commissioning hub,
"1 representative from each ICP area", representatives of tier 1 and 2 specialised providers,
a lay representative and a finance representative. The seed names its gaps the same way the
check does: "representatives from the Central ICP and Finance workstream ... are gaps".

The check is made for a date (the board's membership on that day, the system's places open on
that day), never for today unless today is the day asked about.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from commissioning.errors import RuleError
from hubs.models import Place
from hubs.selectors import in_system_on

from .models import Committee, GroupMember, OversightGroup

Seat = GroupMember.Seat

# How a gap is named: "No finance representative", as the seed and its readers say it.
GAP_NAMES = {
    Seat.REGIONAL_DIRECTOR: "No Regional Director for specialised commissioning",
    Seat.ICS_LEAD: "No STP/ICS lead",
    Seat.MEDICAL_DIRECTOR: "No Medical Director from the DCO team",
    Seat.ICS_GOVERNANCE_LEAD: "No STP/ICS governance lead",
    Seat.HUB: "No representative of the specialised commissioning hub",
    Seat.PROVIDER: "No representative of tier 1 and 2 specialised providers",
    Seat.LAY: "No lay representative",
    Seat.FINANCE: "No finance representative",
}


class SeatError(RuleError):
    """A seat that does not fit the body or the member (a message beside the field)."""


@dataclass
class SeatRow:
    """One seat of the board on a day: who fills it (none is a gap)."""

    seat: str
    label: str
    place: Place | None = None
    members: list[GroupMember] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return bool(self.members)

    @property
    def gap(self) -> str:
        """ "No representative of Central ICP", "No finance representative"; empty if filled."""
        if self.filled:
            return ""
        if self.place is not None:
            return f"No representative of {self.place}"
        return GAP_NAMES[Seat(self.seat)]


@dataclass
class SeatCheck:
    day: datetime.date
    rows: list[SeatRow]
    unseated: list[GroupMember]  # current members in no seat of the list (they may still sit)

    @property
    def gaps(self) -> list[SeatRow]:
        return [r for r in self.rows if not r.filled]

    @property
    def filled_count(self) -> int:
        return sum(1 for r in self.rows if r.filled)


def seat_check(
    board: OversightGroup,
    members: Iterable[GroupMember],
    places: Iterable[Place],
    day: datetime.date,
) -> SeatCheck:
    """The board's seats on `day`, in the seed's order: one row per seat, and one per ICP area
    of the board's system open on `day` (`places`: the system's places, any dates)."""
    current = [m for m in members if m.is_current_on(day)]
    rows: list[SeatRow] = []
    for value, label in Seat.choices:
        if value == Seat.PLACE:
            for place in sorted((p for p in places if p.is_valid_on(day)), key=lambda p: p.name):
                rows.append(
                    SeatRow(
                        value,
                        f"Representative of {place}",
                        place,
                        [m for m in current if m.seat == value and m.place_id == place.pk],
                    )
                )
            continue
        rows.append(SeatRow(value, label, None, [m for m in current if m.seat == value]))
    seated_places = {p.pk for p in places if p.is_valid_on(day)}
    unseated = [
        m
        for m in current
        if not m.seat or (m.seat == Seat.PLACE and m.place_id not in seated_places)
    ]
    return SeatCheck(day, rows, unseated)


def check_member_seat(body: OversightGroup | Committee, fields: dict) -> None:
    """A seat is a strategy board's; an ICP area's seat names one of the system's places open
    on the member's first day. Raises SeatError beside the field."""
    seat, place = fields.get("seat") or "", fields.get("place")
    if not isinstance(body, OversightGroup) or not body.is_board:
        if seat or place is not None:
            raise SeatError("Only a strategy board's members fill its seats.", field="seat")
        return
    if place is not None and seat != Seat.PLACE:
        raise SeatError("Choose the ICP area only for an ICP area's representative.", field="place")
    if seat == Seat.PLACE:
        if place is None:
            raise SeatError("Choose the ICP area this member represents.", field="place")
        start = fields["start_date"]
        if place.system_id != body.system_id or not place.is_valid_on(start):
            raise SeatError(
                f"Choose an ICP area of {body.system} open on the member's first day.",
                field="place",
            )


def check_board_commissioner(board: OversightGroup, fields: dict) -> str | None:
    """For a board's commissioner member: None when their CCG or ICB is a commissioner in the
    board's system on their first day, else the message for the `ccg` field."""
    ccg, start = fields.get("ccg"), fields["start_date"]
    if ccg is None or in_system_on(board.system_id, ccg, start):
        return None
    return f"Choose a commissioner in {board.system} on the member's first day."
