"""Strategy boards in the browser's pages and the API (issue 16): access ladders, bad input,
conflicts, the seat check and bounded queries."""

import datetime

import pytest
from django.urls import reverse

from hubs.models import CCG
from oversight.models import OversightGroup
from tests.oversight.board_setup import S, add_member, nenc, place

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/groups/"
CARRIED = "/api/v1/carried-members/"


def _setup_url(group) -> str:
    return reverse("oversight:board-create", args=[group.pk])


def _form(scog, **changes) -> dict:
    data = {
        "version": scog.version,
        "system": nenc().pk,
        "name": "NENC Specialised Commissioning Strategy Board",
        "start_date": "2018-10-01",
        "purpose": "Joint, place-based leadership.",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [
        ("roleless_user", 404, 404),
        ("london_hub_officer", 404, 404),
        ("sunderland_lead", 404, 404),  # its CCG has no place in this group
        ("nenc_ics_lead", 404, 404),  # reads boards, not the groups before them
        ("national_admin", 403, 403),
        ("nec_hub_officer", 200, 302),
        ("north_reviewer", 200, 302),
    ],
)
def test_who_sets_up_a_board_from_the_page(client, request, scog, persona, get, post):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_setup_url(scog)).status_code == get
    response = client.post(_setup_url(scog), _form(scog))
    assert response.status_code == post
    boards = OversightGroup.objects.filter(kind="strategy_board")
    if post == 302:
        board = boards.get()
        assert response["Location"] == board.get_absolute_url()
    else:
        assert not boards.exists()


def test_anonymous_is_sent_to_sign_in(client, scog):
    response = client.get(_setup_url(scog))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_bad_input_is_shown_beside_the_field_and_changes_nothing(client, scog, north_reviewer):
    client.force_login(north_reviewer)
    response = client.post(_setup_url(scog), _form(scog, start_date="2018-03-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_start_date_error"' in html
    assert "not open on 1 March 2018" in html
    stale = client.post(_setup_url(scog), _form(scog, version=scog.version + 5))
    assert stale.status_code == 200
    assert "error-summary" in stale.content.decode()
    scog.refresh_from_db()
    assert scog.status != "closed"
    assert not OversightGroup.objects.filter(kind="strategy_board").exists()


def test_the_group_page_offers_the_board_then_points_to_it(client, scog, north_reviewer):
    client.force_login(north_reviewer)
    html = client.get(scog.get_absolute_url()).content.decode()
    assert "Set up the strategy board that succeeds this group" in html
    client.post(_setup_url(scog), _form(scog))
    html = client.get(scog.get_absolute_url()).content.decode()
    assert 'id="successor"' in html
    assert "Succeeded by" in html
    assert "Set up the strategy board" not in html


def test_the_board_page_shows_seats_gaps_and_carried_members(
    client, board, north_reviewer, nenc_ics_lead
):
    add_member(board, north_reviewer, "Fin Rep", seat=S.FINANCE)
    add_member(board, north_reviewer, "North Rep", seat=S.PLACE, place=place("North"))
    client.force_login(nenc_ics_lead)
    response = client.get(board.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "No representative of Central ICP" in html
    assert "No finance representative" not in html
    assert "Seats on 1 October 2018" not in html  # today, within the board's life
    assert 'id="carried"' in html
    assert "Dr Anna Lee" in html
    assert "Decide" not in html  # the ICS lead reads; the hub and region decide
    assert "Regional Leadership Group" in html
    dated = client.get(board.get_absolute_url(), {"on": "2018-10-01"}).content.decode()
    assert "Seats on 1 October 2018: 2 of 12 filled" in dated
    before = client.get(board.get_absolute_url(), {"on": "2017-01-01"}).content.decode()
    assert "Seats on 1 October 2018" in before  # never before the board's first day


def test_the_board_page_runs_a_bounded_number_of_queries(
    client, board, north_reviewer, django_assert_max_num_queries
):
    client.force_login(north_reviewer)
    client.get(board.get_absolute_url())  # warm the session's roles
    # Each date is a page of its own (none comes from the page cache).
    with django_assert_max_num_queries(30) as few:
        client.get(board.get_absolute_url(), {"on": "2018-12-01"})
    for i in range(15):
        add_member(board, north_reviewer, f"Member {i}", seat=S.HUB)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(board.get_absolute_url(), {"on": "2019-01-01"})
    assert page.content.decode().count("Member 1") >= 1


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [
        ("london_hub_officer", 404, 404),
        ("nenc_ics_lead", 403, 403),
        ("nenc_icb_lead", 403, 403),
        ("nec_hub_officer", 200, 302),
    ],
)
def test_who_decides_a_carried_member(client, request, board, persona, get, post):
    carried = board.carried.get(member__full_name="Dr Anna Lee")
    url = reverse("oversight:carried-decide", args=[carried.pk])
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == get
    response = client.post(
        url,
        {
            "version": carried.version,
            "decision": "confirmed",
            "seat": "place",
            "place": place("Central").pk,
        },
    )
    assert response.status_code == post
    carried.refresh_from_db()
    assert carried.decision == ("confirmed" if post == 302 else "pending")


def test_a_replacement_needs_a_name_beside_the_field(client, board, north_reviewer):
    carried = board.carried.get(member__full_name="Richard Barker")
    client.force_login(north_reviewer)
    response = client.post(
        reverse("oversight:carried-decide", args=[carried.pk]),
        {"version": carried.version, "decision": "replaced", "seat": "finance"},
    )
    html = response.content.decode()
    assert 'id="id_full_name_error"' in html
    carried.refresh_from_db()
    assert (carried.decision, board.members.count()) == ("pending", 0)


def test_the_member_form_offers_seats_on_a_board_only(
    client, board, scog, north_reviewer, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    assert (
        'name="seat"'
        in client.get(reverse("oversight:member-add", args=[board.pk])).content.decode()
    )
    client.force_login(north_reviewer)
    response = client.post(
        reverse("oversight:member-add", args=[board.pk]),
        {
            "full_name": "Cara Central",
            "organisation": "NHS Sunderland CCG",
            "sector": "ccg",
            "ccg": "00P",
            "role": "member",
            "seat": "place",
            "voting": "yes",
            "start_date": "2018-10-01",
        },
    )
    assert 'id="id_place_error"' in response.content.decode()
    assert not board.members.exists()


# --- the API -------------------------------------------------------------------------------


def test_the_api_sets_up_a_board_and_decides_carried_members(api_client, scog, north_reviewer):
    api_client.force_authenticate(north_reviewer)
    body = {
        "version": scog.version,
        "system": nenc().pk,
        "name": "Board",
        "start_date": "2018-10-01",
    }
    made = api_client.post(f"{GROUPS}{scog.pk}/board/", body, format="json")
    assert made.status_code == 201, made.json()
    board = made.json()
    assert (board["kind"], board["system"], board["predecessor"]) == (
        "strategy_board",
        nenc().pk,
        scog.pk,
    )
    assert "Regional Leadership Group" in board["recommends_to"]
    again = api_client.post(f"{GROUPS}{scog.pk}/board/", body, format="json")
    assert again.status_code in (403, 409)
    listed = api_client.get(CARRIED, {"board": board["id"]}).json()
    assert [c["member_name"] for c in listed["results"]] == ["Dr Anna Lee", "Richard Barker"]
    anna = listed["results"][0]
    decided = api_client.post(
        f"{CARRIED}{anna['id']}/decide/",
        {
            "version": anna["version"],
            "decision": "confirmed",
            "seat": "place",
            "place": place("Central").pk,
        },
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["decision"] == "confirmed"
    stale = api_client.post(
        f"{CARRIED}{anna['id']}/decide/",
        {"version": anna["version"], "decision": "removed"},
        format="json",
    )
    assert stale.status_code == 409
    seats = api_client.get(f"{GROUPS}{board['id']}/seats/", {"on": "2018-10-01"}).json()
    assert seats["filled_count"] == 1
    assert "No representative of Central ICP" not in seats["gaps"]
    assert "No finance representative" in seats["gaps"]


def test_the_api_refuses_another_hubs_system_and_wrong_people(
    api_client, scog, north_reviewer, nenc_ics_lead, london_hub_officer
):
    body = {
        "version": scog.version,
        "system": nenc().pk,
        "name": "Board",
        "start_date": "2018-10-01",
    }
    api_client.force_authenticate(london_hub_officer)
    assert api_client.post(f"{GROUPS}{scog.pk}/board/", body, format="json").status_code == 404
    api_client.force_authenticate(nenc_ics_lead)
    assert api_client.post(f"{GROUPS}{scog.pk}/board/", body, format="json").status_code == 404
    api_client.force_authenticate(north_reviewer)
    early = api_client.post(
        f"{GROUPS}{scog.pk}/board/", {**body, "start_date": "2015-01-01"}, format="json"
    )
    assert early.status_code == 400
    assert "start_date" in early.json()
    assert not OversightGroup.objects.filter(kind="strategy_board").exists()


def test_board_members_through_the_api_take_seats(api_client, board, north_reviewer, nenc_ics_lead):
    api_client.force_authenticate(north_reviewer)
    made = api_client.post(
        "/api/v1/group-members/",
        {
            "group": board.pk,
            "full_name": "Cara Central",
            "organisation": "NHS Sunderland CCG",
            "sector": "ccg",
            "ccg": "00P",
            "seat": "place",
            "place": place("Central").pk,
            "start_date": "2018-10-01",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["seat"], made.json()["place"]) == ("place", place("Central").pk)
    outside = api_client.post(
        "/api/v1/group-members/",
        {
            "group": board.pk,
            "full_name": "Lee Ds",
            "organisation": "Leeds",
            "sector": "ccg",
            "ccg": CCG.objects.filter(hub__slug="yorkshire-and-humber").first().ods_code,
            "start_date": "2018-10-01",
        },
        format="json",
    )
    assert outside.status_code == 400
    api_client.force_authenticate(nenc_ics_lead)
    assert api_client.get(f"{GROUPS}{board.pk}/").status_code == 200
    refused = api_client.post(
        "/api/v1/group-members/",
        {
            "group": board.pk,
            "full_name": "X",
            "organisation": "Y",
            "sector": "lay",
            "start_date": "2018-10-01",
        },
        format="json",
    )
    assert refused.status_code in (400, 403)


def test_a_board_recommendation_goes_to_the_rlg_and_the_ics(
    client, board, north_reviewer, nenc_ics_lead
):
    from meetings import services as meetings
    from meetings.models import Meeting

    meeting = meetings.meeting_schedule(
        by=north_reviewer,
        group=board,
        title="Strategy board",
        starts_at=datetime.datetime(2018, 11, 5, 14, tzinfo=datetime.UTC),
        location="Durham",
        online=False,
    )
    meeting = meetings.meeting_update(
        by=north_reviewer, meeting=meeting, version=meeting.version, status=Meeting.Status.HELD
    )
    made = meetings.recommendation_make(
        by=north_reviewer,
        meeting=meeting,
        title="Cardiology as the exemplar",
        detail="Scope the cardiology pathway as a proof of principle.",
    )
    client.force_login(nenc_ics_lead)
    html = client.get(made.get_absolute_url()).content.decode()
    assert "North Regional Leadership Group (RLG) and North East and North Cumbria ICS" in html
    assert "RLG&#x27;s response" in html or "RLG's response" in html
    assert "Record the" not in html  # the ICS lead reads; the region records the RLG's answer
    meeting_html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Recommendations to the RLG and the ICS" in meeting_html
    client.force_login(north_reviewer)
    assert "Record the RLG" in client.get(made.get_absolute_url()).content.decode()
