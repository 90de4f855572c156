"""The demo's North East and North Cumbria story (issue 16; seed 003): the strategy board of the
emerging ICS replaces the hub's oversight group, its membership carried forward where
available, with the seed's two gaps (the Central ICP and finance) still open.

It runs after the 2015/16 story, so that story is told first; the group then closes on
30 September 2018, the day before the board's first, and stays readable from the board.
"""

import datetime

from accounts.models import User
from governance import services as documents
from hubs.models import CCG, IntegratedCareSystem, Place
from oversight import boards, services
from oversight.models import GroupMember, OversightGroup

BOARD_START = datetime.date(2018, 10, 1)
S = GroupMember.Seat

# The group's members (demo/groups.py) and what the board decided about each: seed 003's
# "Membership will be carried forward ... where available". None: still to decide (the Central
# ICP's representatives are the gap the seed asks the Health Strategy Group about).
DECISIONS = {
    "Dr Asha Rao": ("confirmed", S.REGIONAL_DIRECTOR, None),
    "Dr Sanjay Mehta": ("confirmed", S.MEDICAL_DIRECTOR, None),
    "Prof. Tom Bell": ("confirmed", S.PROVIDER, None),
    "Joan Milburn": ("confirmed", S.LAY, None),
    "Dr Ian Ward": ("confirmed", S.PLACE, "North"),
    "Dr Fiona Grey": ("confirmed", S.PLACE, "South"),
    "Karen Holt": ("removed", "", None),  # the finance workstream's seat is a gap (seed 003)
    "Liz Turner": ("removed", "", None),
    "Ade Bello": ("removed", "", None),
    "Dr Ruth Adams": None,
    "Dr Omar Khan": None,
    "Cllr Peter Shaw": None,
}

# New members for the seats the group did not have.
NEW_MEMBERS = [
    # name, email, organisation, sector, ODS code, seat, place
    (
        "Ian Forster",
        "nenc.ics@example.nhs.uk",
        "North East and North Cumbria ICS",
        "nhs_england",
        None,
        S.ICS_LEAD,
        None,
    ),
    (
        "Gill Hardy",
        "",
        "North East and North Cumbria ICS",
        "nhs_england",
        None,
        S.ICS_GOVERNANCE_LEAD,
        None,
    ),
    (
        "Helen Carter",
        "nec.hub@example.nhs.uk",
        "NHS England North (specialised commissioning hub)",
        "nhs_england",
        None,
        S.HUB,
        None,
    ),
    ("Dr Colin Price", "", "NHS North Cumbria CCG", "ccg", "01H", S.PLACE, "North Cumbria"),
]


def demo_boards_load(people: dict[str, User]) -> None:
    group = OversightGroup.objects.filter(
        hub__slug="north-east-and-cumbria", kind=OversightGroup.Kind.OVERSIGHT_GROUP
    ).first()
    if group is None or hasattr(group, "successor"):
        return
    region = people["north.region@example.nhs.uk"]
    system = IntegratedCareSystem.objects.get(short_name="NENC")
    board = boards.board_create(
        by=region,
        group=group,
        version=group.version,
        system=system,
        name="North East and North Cumbria Specialised Commissioning Strategy Board",
        start_date=BOARD_START,
    )
    board = services.group_update(
        by=region, group=board, version=board.version, status=OversightGroup.Status.ACTIVE
    )
    places = {p.name: p for p in Place.objects.filter(system=system)}
    for carried in board.carried.select_related("member"):
        decision = DECISIONS.get(carried.member.full_name)
        if decision is None:
            continue
        outcome, seat, place = decision
        boards.carried_decide(
            by=region,
            carried=carried,
            version=carried.version,
            decision=outcome,
            seat=seat,
            place=places.get(place) if place else None,
        )
    for name, email, org, sector, ods, seat, place in NEW_MEMBERS:
        services.member_add(
            by=region,
            group=board,
            full_name=name,
            email=email,
            organisation=org,
            sector=sector,
            ccg=CCG.objects.get(ods_code=ods) if ods else None,
            role=GroupMember.Role.MEMBER,
            voting=True,
            seat=seat,
            place=places.get(place) if place else None,
            start_date=BOARD_START,
            end_date=None,
        )
    # Its terms of reference, drafted from the national strategy board template.
    documents.version_draft_create(
        by=region,
        group=board,
        kind="terms_of_reference",
        body=None,
        change_summary="First draft from the national strategy board template.",
    )
