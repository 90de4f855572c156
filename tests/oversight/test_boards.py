"""Strategy boards succeed oversight groups (issue 16, "What to build" 2; seed 003)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from commissioning.concurrency import ConflictError
from commissioning.errors import StateConflict
from hubs.models import CCG, Hub
from oversight import services
from oversight.boards import board_create, carried_decide
from oversight.models import CarriedMember, OversightGroup
from oversight.permissions import can_manage_group, can_set_up_board, groups_visible_to
from oversight.seats import seat_check
from tests.oversight.board_setup import BOARD_START, S, add_member, make_board, nenc, place

pytestmark = pytest.mark.django_db


def test_a_board_succeeds_the_group_and_the_group_closes_the_day_before(scog, north_reviewer):
    board = make_board(scog, north_reviewer)
    scog.refresh_from_db()
    assert (board.kind, board.system, board.predecessor) == ("strategy_board", nenc(), scog)
    assert (board.status, board.hub_id, board.footprint_day) == (
        "forming",
        scog.hub_id,
        BOARD_START,
    )
    assert (scog.status, scog.closed_on) == ("closed", datetime.date(2018, 9, 30))
    assert scog.successor == board
    # Members of the group on its last day are offered to the board; a past member is not.
    carried = list(board.carried.select_related("member"))
    assert [c.member.full_name for c in carried] == ["Dr Anna Lee", "Richard Barker"]
    assert {c.decision for c in carried} == {"pending"}
    assert scog.history.first().status == "closed"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_date": datetime.date(2018, 3, 1)}, "start_date", "not open on 1 March 2018"),
        ({"start_date": datetime.date(2015, 4, 1)}, "start_date", "not open"),
        ({"name": "  "}, "name", "Enter the board's name"),
    ],
)
def test_bad_board_input_changes_nothing(scog, north_reviewer, changes, field, message):
    with pytest.raises(services.GroupError) as refused:
        make_board(scog, north_reviewer, **changes)
    assert refused.value.field == field
    assert message in str(refused.value)
    scog.refresh_from_db()
    assert scog.status == "forming"
    assert not OversightGroup.objects.filter(kind="strategy_board").exists()


def test_a_board_never_succeeds_another_hubs_group(london_hub_officer, north_reviewer):
    london = services.group_create(
        by=london_hub_officer,
        hub=Hub.objects.get(slug="london"),
        name="London group",
        start_date=datetime.date(2015, 4, 1),
    )
    with pytest.raises(services.GroupError) as refused:
        board_create(
            by=north_reviewer,
            group=london,
            version=london.version,
            system=nenc(),
            name="Board",
            start_date=BOARD_START,
        )
    assert refused.value.field == "system"
    assert "not London's" in str(refused.value)
    london.refresh_from_db()
    assert london.status != "closed"


def test_a_stale_group_version_or_a_second_successor_is_refused(scog, north_reviewer):
    with pytest.raises(ConflictError):
        board_create(
            by=north_reviewer,
            group=scog,
            version=scog.version - 1 if scog.version > 1 else 99,
            system=nenc(),
            name="Board",
            start_date=BOARD_START,
        )
    board = make_board(scog, north_reviewer)
    scog.refresh_from_db()
    with pytest.raises(services.GroupError):
        make_board(scog, north_reviewer)
    with pytest.raises(services.GroupError):
        board_create(
            by=north_reviewer,
            group=board,
            version=board.version,
            system=nenc(),
            name="Again",
            start_date=datetime.date(2019, 4, 1),
        )


def test_a_board_cannot_be_saved_without_its_system(scog):
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightGroup.objects.create(
            hub=scog.hub, name="Loose", kind="strategy_board", start_date=BOARD_START
        )


def test_carried_members_are_confirmed_removed_or_replaced(scog, north_reviewer):
    board = make_board(scog, north_reviewer)
    anna, richard = board.carried.select_related("member").order_by("member__full_name")
    confirmed = carried_decide(
        by=north_reviewer,
        carried=anna,
        version=anna.version,
        decision="confirmed",
        seat=S.PLACE,
        place=place("Central"),
    )
    joined = confirmed.board_member
    assert (joined.group, joined.full_name, joined.ccg.ods_code) == (board, "Dr Anna Lee", "00P")
    assert (joined.seat, joined.place, joined.start_date) == (
        "place",
        place("Central"),
        BOARD_START,
    )
    replaced = carried_decide(
        by=north_reviewer,
        carried=richard,
        version=richard.version,
        decision="replaced",
        seat=S.REGIONAL_DIRECTOR,
        replacement={
            "full_name": "Jane Doe",
            "email": "",
            "organisation": "NHS England North",
            "sector": "nhs_england",
            "ccg": None,
            "role": "chair",
            "voting": True,
        },
    )
    assert replaced.board_member.full_name == "Jane Doe"
    assert replaced.board_member.seat == "regional_director"
    with pytest.raises(StateConflict):
        carried_decide(
            by=north_reviewer, carried=replaced, version=replaced.version, decision="removed"
        )
    assert replaced.history.count() == 2


def test_a_carried_member_with_a_bad_seat_changes_nothing(scog, north_reviewer):
    board = make_board(scog, north_reviewer)
    anna = board.carried.get(member__full_name="Dr Anna Lee")
    with pytest.raises(services.GroupError) as refused:
        carried_decide(
            by=north_reviewer,
            carried=anna,
            version=anna.version,
            decision="confirmed",
            seat="place",
        )
    assert refused.value.field == "place"
    anna.refresh_from_db()
    assert (anna.decision, board.members.count()) == (CarriedMember.Decision.PENDING, 0)


def test_the_seat_check_names_the_seeds_gaps(scog, north_reviewer):
    board = make_board(scog, north_reviewer)
    for name, seat, where in [
        ("Regional Director", S.REGIONAL_DIRECTOR, None),
        ("ICS lead", S.ICS_LEAD, None),
        ("Medical Director", S.MEDICAL_DIRECTOR, None),
        ("Governance lead", S.ICS_GOVERNANCE_LEAD, None),
        ("Hub rep", S.HUB, None),
        ("North rep", S.PLACE, "North"),
        ("South rep", S.PLACE, "South"),
        ("Cumbria rep", S.PLACE, "North Cumbria"),
        ("Provider rep", S.PROVIDER, None),
        ("Lay rep", S.LAY, None),
    ]:
        add_member(board, north_reviewer, name, seat=seat, place=place(where) if where else None)
    members = list(board.members.all())
    check = seat_check(board, members, list(nenc().places.all()), BOARD_START)
    assert [r.gap for r in check.gaps] == [
        "No representative of Central ICP",
        "No finance representative",
    ]
    assert check.filled_count == len(check.rows) - 2 == 10  # 8 seats and 4 ICP areas
    # On a day before anyone joined, every seat is a gap: the check is for the date asked.
    before = seat_check(board, members, list(nenc().places.all()), datetime.date(2018, 9, 1))
    assert before.filled_count == 0


def test_seats_belong_to_boards_and_places_to_the_boards_system(scog, north_reviewer):
    with pytest.raises(services.GroupError):
        add_member(scog, north_reviewer, "Fin Lead", seat=S.FINANCE)
    board = make_board(scog, north_reviewer)
    with pytest.raises(services.GroupError) as refused:
        add_member(board, north_reviewer, "Fin", seat=S.FINANCE, place=place("North"))
    assert refused.value.field == "place"
    # A commissioner member speaks for a commissioner of the system on their first day.
    with pytest.raises(services.GroupError) as outside:
        add_member(
            board,
            north_reviewer,
            "Dr Leeds",
            sector="ccg",
            org="NHS Leeds CCG",
            ccg=CCG.objects.filter(hub__slug="yorkshire-and-humber").first(),
        )
    assert outside.value.field == "ccg"


def test_who_reads_and_runs_a_board(
    scog,
    north_reviewer,
    nec_hub_officer,
    nenc_ics_lead,
    nenc_icb_lead,
    sunderland_lead,
    london_hub_officer,
    roleless_user,
    national_admin,
):
    board = make_board(scog, north_reviewer)

    def reads(user):
        return set(
            groups_visible_to(user).filter(pk__in=[board.pk, scog.pk]).values_list("pk", flat=True)
        )

    both = {board.pk, scog.pk}
    for user in (national_admin, north_reviewer, nec_hub_officer, nenc_ics_lead, nenc_icb_lead):
        assert reads(user) == both, user
    assert reads(sunderland_lead) >= {board.pk}
    assert reads(london_hub_officer) == reads(roleless_user) == set()
    # A member of the board reads it through the email recorded on their membership.
    add_member(board, north_reviewer, "Una Novak", email="UNA@example.nhs.uk")
    assert reads(roleless_user) == both
    runs = [
        u
        for u in (north_reviewer, nec_hub_officer, nenc_ics_lead, national_admin)
        if can_manage_group(u, board)
    ]
    assert runs == [north_reviewer, nec_hub_officer]
    # The region runs a board but not an oversight group; neither sets up a second board.
    assert not can_manage_group(north_reviewer, scog)
    scog.refresh_from_db()
    assert not can_set_up_board(north_reviewer, scog)


def test_the_seats_date_box_gives_its_example_in_words(client, scog, north_reviewer):
    """Issue 18, finding 8: no ISO date ("2018-09-01") beside "1 September 2018" on a page."""
    board = make_board(scog, north_reviewer)
    client.force_login(north_reviewer)
    html = client.get(board.get_absolute_url()).content.decode()
    assert "For example, 1 October 2018" in html  # the board's first day
    assert 'id="seats-on" name="on" type="text"' in html
    assert "For example, 2018-10-01" not in html
    # The box takes the date as its hint writes it, and as ISO (a bookmarked link).
    for typed in ("2 October 2018", "2/10/2018", "2018-10-02"):
        html = client.get(board.get_absolute_url(), {"on": typed}).content.decode()
        assert "Seats on 2 October 2018" in html
        assert 'value="2 October 2018"' in html
