"""The demo's North East and North Cumbria story (issue 16; seed 003): the strategy board of the
emerging ICS replaces the hub's oversight group, its membership carried forward where
available, with the seed's two gaps (the Central ICP and finance) still open.

It runs after the 2015/16 story, so that story is told first; the group then closes on
31 August 2018, the day before the board's first, and stays readable from the board. The
board's cardiology exemplar is scoped at the Large Scale Change event in Leeds (26 and 27
September 2018) and its scoping report goes to the Joint CCG Committee in January 2019, which
leads to a proposed section 13V pooled budget for the pathway from April 2020.
"""

import datetime
from decimal import Decimal

from accounts.models import User
from arrangements import services as arrangements
from arrangements.models import Arrangement
from exemplars import services as exemplars
from exemplars.models import Exemplar
from governance import services as documents
from hubs.models import CCG, IntegratedCareSystem, Place, ProgrammeOfCare
from oversight import boards, services
from oversight.models import GroupMember, OversightGroup

from .dating import dated

# Seed 003's paper asks the Joint CCG Committee to note the board and to send CCG representatives
# to scope cardiology at the Large Scale Change programme in Leeds on 26 and 27 September 2018.
BOARD_START = datetime.date(2018, 9, 1)
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
    draft = documents.version_draft_create(
        by=region,
        group=board,
        kind="terms_of_reference",
        body=None,
        change_summary="First draft from the national strategy board template.",
    )
    dated(draft, created_at=BOARD_START)
    project = _cardiology_exemplar(board, people["nec.hub@example.nhs.uk"])
    _proposed_pool(board, project, people["nec.hub@example.nhs.uk"])


def _cardiology_exemplar(board: OversightGroup, staff: User) -> Exemplar:
    """Seed 003, "Cardiology pathway as an 'exemplar' project", scoped and recommended."""
    project = exemplars.exemplar_create(
        by=staff,
        system=board.system,
        board=board,
        title="Cardiology pathway exemplar",
        pathway="Cardiology",
        start_date=BOARD_START,
        scope="The specialised and non-specialised cardiology services as one pathway: where "
        "separate ring-fenced budgets impede it, and whether a more formal place-based "
        "arrangement (a section 13V pooled budget) would serve patients better.",
    )
    programmes = {p.name: p for p in ProgrammeOfCare.objects.all()}
    for name, programme in [
        ("Adult congenital heart disease", "Women and Children"),
        ("Complex cardiac devices and electrophysiology", "Internal Medicine"),
        ("Community heart failure service", None),
        ("Cardiac rehabilitation", None),
        ("Rapid access chest pain clinic", None),
    ]:
        exemplars.service_add(
            by=staff,
            exemplar=project,
            name=name,
            specialised=programme is not None,
            programme=programmes.get(programme) if programme else None,
        )
    lsc = datetime.date(2018, 9, 26)
    for name, ods in [("Dr Ruth Adams", "00P"), ("Dr Omar Khan", "13T")]:
        exemplars.participant_add(
            by=staff,
            exemplar=project,
            name=name,
            role="CCG representative in scoping",
            joined_on=lsc,
            commissioner=CCG.objects.get(ods_code=ods),
        )
    exemplars.participant_add(
        by=staff,
        exemplar=project,
        name="Prof. Tom Bell",
        role="Provider clinician",
        joined_on=lsc,
        organisation="Newcastle upon Tyne Hospitals",
    )
    for title, due, done, note in [
        (
            "Scoping at the Large Scale Change event, Leeds",
            lsc,
            datetime.date(2018, 9, 27),
            "26 and 27 September 2018",
        ),
        (
            "Scoping report to the Joint CCG Committee",
            datetime.date(2019, 1, 15),
            datetime.date(2019, 1, 15),
            "Early in the new year, as the committee agreed",
        ),
        ("Options appraisal for a pooled budget", datetime.date(2019, 6, 30), None, ""),
    ]:
        exemplars.milestone_add(
            by=staff, exemplar=project, title=title, due_on=due, done_on=done, note=note
        )
    exemplars.report_version_add(
        by=staff,
        exemplar=project,
        change_summary="First version",
        text="Scoping of the cardiology pathway in the North East and North Cumbria: the "
        "services on the pathway, who commissions each, and the options for joining them up.",
    )
    project.refresh_from_db()
    exemplars.exemplar_mark_scoped(by=staff, exemplar=project, version=project.version)
    project.refresh_from_db()
    exemplars.recommendation_make(
        by=staff,
        exemplar=project,
        to="joint_ccg_committee",
        text="Explore a section 13V pooled budget for the cardiology pathway between NHS "
        "England and the system's CCGs.",
        made_on=datetime.date(2019, 1, 15),
    )
    return project


def _proposed_pool(board: OversightGroup, project: Exemplar, staff: User) -> None:
    """Seed 003, "Place Based Commissioning Options": a pooled budget between NHS England and
    CCGs for a jointly prioritised service (section 13V), proposed from the exemplar; it stays a
    proposal in the demo (drafts are read by their parties only)."""
    parties = [CCG.objects.get(ods_code=ods) for ods in ("00P", "13T")]
    pool = arrangements.arrangement_create(
        by=staff,
        system=board.system,
        title="Cardiology pathway pooled budget",
        kind=Arrangement.Kind.POOLED_BUDGET,
        legal_basis=Arrangement.LegalBasis.S13V,
        parties=parties,
        programmes=list(ProgrammeOfCare.objects.filter(name="Internal Medicine")),
        services="Specialised cardiac services (complex devices and electrophysiology) with the "
        "community heart failure and cardiac rehabilitation services of the same pathway.",
        start_date=datetime.date(2020, 4, 1),
        review_date=datetime.date(2021, 3, 31),
        board=board,
        exemplar=project,
        officer_name="Dr Asha Rao",
        officer_title="Regional Director, specialised commissioning",
    )
    for party, amount in [(None, 1_200_000), (parties[0], 150_000), (parties[1], 200_000)]:
        arrangements.contribution_add(
            by=staff, arrangement=pool, party=party, year=2020, amount=Decimal(amount)
        )
