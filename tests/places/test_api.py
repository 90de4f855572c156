"""The integrated care systems through the REST API, /api/v1/systems/ (issue 16 part 1): any
signed-in user reads, on a date if they ask; national admins add and change (201/200), others
are refused (403) and nothing changes; bad input is 400 by field, a stale version 409."""

import pytest

from hubs.models import IntegratedCareSystem

from .conftest import APRIL_2018, audited, fresh, snapshot

pytestmark = pytest.mark.django_db

SYSTEMS = "/api/v1/systems/"
OTHERS = ["sunderland_lead", "nenc_icb_lead", "nec_hub_officer", "north_reviewer", "roleless_user"]


def writes(nenc) -> list[tuple[str, str, dict]]:
    """Each write (method, URL, body) a national admin may make."""
    qhm = nenc.members.get(commissioner__ods_code="QHM")
    central = nenc.places.get(name="Central")
    return [
        (
            "post",
            SYSTEMS,
            {
                "name": "Cheshire and Merseyside",
                "short_name": "CM",
                "kind": "stp",
                "hub": "north-west",
                "valid_from": "2018-04-01",
            },
        ),
        (
            "put",
            f"{SYSTEMS}{nenc.pk}/",
            {
                "name": "North East and North Cumbria ICS",
                "short_name": "NENC ICS",
                "kind": "ics",
                "hub": "north-east-and-cumbria",
                "valid_from": "2018-04-01",
                "version": nenc.version,
            },
        ),
        (
            "post",
            f"{SYSTEMS}{nenc.pk}/places/",
            {"name": "Tees Valley", "valid_from": "2021-04-01"},
        ),
        (
            "post",
            f"{SYSTEMS}{nenc.pk}/members/",
            {
                "commissioner": "QE1",
                "place": central.pk,
                "valid_from": "2022-07-01",
                "valid_to": "2022-12-31",
            },
        ),
        ("post", f"{SYSTEMS}members/{qhm.pk}/end/", {"valid_to": "2030-03-31"}),
    ]


WRITE_NAMES = ["create", "update", "places", "members", "member-end"]
WRITE_CODES = [201, 200, 201, 201, 200]


def send(api_client, method: str, url: str, body: dict):
    return getattr(api_client, method)(url, body, format="json")


# --- reading ----------------------------------------------------------------------------------


def test_anonymous_gets_nothing(api_client, nenc):
    for url in [SYSTEMS, f"{SYSTEMS}{nenc.pk}/"]:
        response = api_client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("form", range(len(WRITE_NAMES)), ids=WRITE_NAMES)
def test_anonymous_writes_nothing(api_client, nenc, form):
    method, url, body = writes(nenc)[form]
    before = snapshot()
    assert send(api_client, method, url, body).status_code == 401
    assert snapshot() == before


@pytest.mark.parametrize("who", [*OTHERS, "national_admin"])
def test_anyone_signed_in_reads(api_client, request, nenc, who):
    api_client.force_authenticate(request.getfixturevalue(who))
    listing = api_client.get(SYSTEMS)
    assert listing.status_code == 200
    (row,) = listing.json()["results"]
    assert row["name"] == "North East and North Cumbria ICS"
    detail = api_client.get(f"{SYSTEMS}{nenc.pk}/").json()
    assert detail == row
    assert (detail["short_name"], detail["kind"], detail["hub"]) == (
        "NENC",
        "ics",
        "north-east-and-cumbria",
    )
    assert detail["version"] == nenc.version
    assert len(detail["places"]) == 4
    assert len(detail["members"]) == 14  # every membership, without ?on=


def by_code(body: dict) -> dict[str, dict]:
    return {m["commissioner"]: m for m in body["members"]}


def test_on_a_day_shows_that_days_places_and_commissioners(api_client, sunderland_lead, nenc):
    api_client.force_authenticate(sunderland_lead)
    url = f"{SYSTEMS}{nenc.pk}/"
    in_2019 = api_client.get(url, {"on": "2019-04-01"}).json()
    assert {code for code, m in by_code(in_2019).items() if m["place"] == "Central"} == {
        "00P",
        "00N",
        "00D",
        "00J",
    }
    sunderland = by_code(in_2019)["00P"]
    assert sunderland["commissioner_name"] == "NHS Sunderland CCG"
    assert (sunderland["valid_from"], sunderland["valid_to"]) == ("2018-04-01", "2022-06-30")
    in_2020 = api_client.get(url, {"on": "2020-04-01"}).json()
    assert {"84H", "16C"} <= set(by_code(in_2020))
    assert not {"00D", "00J"} & set(by_code(in_2020))
    in_2022 = api_client.get(url, {"on": "2022-07-01"}).json()
    assert [(m["commissioner"], m["place"]) for m in in_2022["members"]] == [("QHM", None)]
    assert len(in_2022["places"]) == 4
    listing = api_client.get(SYSTEMS, {"on": "2022-07-01"}).json()
    assert listing["results"] == [in_2022]


def test_on_a_day_before_the_system_finds_none(api_client, sunderland_lead, nenc):
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get(SYSTEMS, {"on": "2017-04-01"}).json()["results"] == []
    assert api_client.get(f"{SYSTEMS}{nenc.pk}/", {"on": "2017-04-01"}).status_code == 404


@pytest.mark.parametrize("bad", ["31/02/2019", "2019-02-30", "yesterday"])
def test_bad_on_is_400(api_client, sunderland_lead, nenc, bad):
    api_client.force_authenticate(sunderland_lead)
    for url in [SYSTEMS, f"{SYSTEMS}{nenc.pk}/"]:
        response = api_client.get(url, {"on": bad})
        assert response.status_code == 400
        assert response.json() == {"on": ["Enter a real date, for example 2019-04-01."]}


def test_unknown_system_is_404(api_client, sunderland_lead, register):
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get(f"{SYSTEMS}999999/").status_code == 404


def test_list_queries_are_bounded(
    api_client, national_admin, nenc, lancashire, django_assert_max_num_queries
):
    api_client.force_authenticate(national_admin)
    with django_assert_max_num_queries(10) as small:
        api_client.get(SYSTEMS, {"on": "2020-04-01"})
    # Counted now: the requests below reset the connection's query log it reads from.
    limit = len(small.captured_queries)
    assert limit > 0
    for n in range(5):
        send(api_client, *writes(nenc)[0][:2], {**writes(nenc)[0][2], "name": f"System {n}"})
        system = IntegratedCareSystem.objects.get(name=f"System {n}")
        for place in ["East", "West"]:
            url = f"{SYSTEMS}{system.pk}/places/"
            assert (
                send(
                    api_client, "post", url, {"name": place, "valid_from": "2019-04-01"}
                ).status_code
                == 201
            )
        url = f"{SYSTEMS}{system.pk}/members/"
        body = {"commissioner": "12F", "valid_from": "2019-04-01", "valid_to": "2022-06-30"}
        assert send(api_client, "post", url, body).status_code == 201
    with django_assert_max_num_queries(limit):
        response = api_client.get(SYSTEMS, {"on": "2020-04-01"})
    assert response.json()["count"] == 7


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", OTHERS)
@pytest.mark.parametrize("form", range(len(WRITE_NAMES)), ids=WRITE_NAMES)
def test_only_national_admins_write(api_client, request, nenc, who, form):
    api_client.force_authenticate(request.getfixturevalue(who))
    method, url, body = writes(nenc)[form]
    before = snapshot()
    assert send(api_client, method, url, body).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("form", range(len(WRITE_NAMES)), ids=WRITE_NAMES)
def test_national_admin_writes(api_client, national_admin, nenc, form):
    api_client.force_authenticate(national_admin)
    method, url, body = writes(nenc)[form]
    before = snapshot()
    response = send(api_client, method, url, body)
    assert response.status_code == WRITE_CODES[form]
    assert snapshot() != before
    assert set(response.json()) >= {"id", "name", "version", "places", "members"}


def test_create_answers_the_new_system(api_client, national_admin, register):
    api_client.force_authenticate(national_admin)
    response = send(api_client, *writes(IntegratedCareSystem.objects.get(short_name="NENC"))[0])
    body = response.json()
    system = IntegratedCareSystem.objects.get(pk=body["id"])
    assert (system.name, system.kind, system.hub.slug) == (
        "Cheshire and Merseyside",
        "stp",
        "north-west",
    )
    assert body["version"] == 1
    assert (body["places"], body["members"]) == ([], [])
    assert audited("system.created", system).get().actor == national_admin


def test_update_moves_the_version_on(api_client, national_admin, nenc):
    api_client.force_authenticate(national_admin)
    response = send(api_client, *writes(nenc)[1])
    assert response.json()["version"] == nenc.version + 1
    assert response.json()["short_name"] == "NENC ICS"
    assert fresh(nenc).short_name == "NENC ICS"


def test_stale_update_is_409_and_changes_nothing(api_client, national_admin, nenc):
    api_client.force_authenticate(national_admin)
    method, url, body = writes(nenc)[1]
    assert send(api_client, method, url, body).status_code == 200
    before = snapshot()
    stale = send(api_client, method, url, {**body, "short_name": "Mine"})
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["current_version"] == body["version"] + 1
    assert "Nadia Shah saved this while you were editing" in answer["detail"]
    assert snapshot() == before
    assert fresh(nenc).short_name == "NENC ICS"


def test_added_member_and_place_are_in_the_answer(api_client, national_admin, nenc):
    api_client.force_authenticate(national_admin)
    places = send(api_client, *writes(nenc)[2]).json()
    assert "Tees Valley" in [p["name"] for p in places["places"]]
    members = send(api_client, *writes(nenc)[3]).json()
    (added,) = [m for m in members["members"] if m["commissioner"] == "QE1"]
    assert (added["place"], added["valid_from"], added["valid_to"]) == (
        "Central",
        "2022-07-01",
        "2022-12-31",
    )
    ended = send(api_client, *writes(nenc)[4]).json()
    assert by_code(ended)["QHM"]["valid_to"] == "2030-03-31"


@pytest.mark.parametrize(
    ("form", "change", "field", "text"),
    [
        (0, {"name": ""}, "name", "This field may not be blank."),
        (0, {"hub": "narnia"}, "hub", "Object with slug=narnia does not exist."),
        (0, {"kind": "icp"}, "kind", '"icp" is not a valid choice.'),
        (0, {"valid_from": "31/02/2019"}, "valid_from", "Date has wrong format"),
        (0, {"valid_to": "2017-01-01"}, "valid_to", "The end date must be on or after"),
        (0, {"name": "North East and North Cumbria ICS"}, "name", "There is a system called"),
        (1, {"version": 0}, "version", "greater than or equal to 1"),
        (1, {"valid_from": "2019-04-01"}, "valid_from", "A commissioner is in the system before"),
        (2, {"name": "central"}, "name", "has a place called central already"),
        (2, {"valid_from": "2018-03-31"}, "valid_from", "cannot start before the system"),
        (3, {"commissioner": "ZZZ"}, "commissioner", "Object with ods_code=ZZZ does not exist."),
        (3, {"place": 999999}, "place", "Choose a place of this system."),
        (3, {"valid_from": "2022-06-30"}, "commissioner", "was not open on 30 June 2022"),
        (
            3,
            {"commissioner": "00P", "place": None, "valid_from": "2019-04-01", "valid_to": None},
            "valid_to",
            "closed on 30 June 2022",
        ),
        (
            3,
            {"commissioner": "00P", "valid_from": "2019-04-01", "valid_to": "2020-03-31"},
            "valid_from",
            "already from 1 April 2018",
        ),
        (4, {"valid_to": "2022-06-30"}, "valid_to", "The end date must be on or after"),
        (4, {"valid_to": None}, "valid_to", "This field may not be null."),
    ],
)
def test_bad_input_is_400_by_field(api_client, national_admin, nenc, form, change, field, text):
    api_client.force_authenticate(national_admin)
    method, url, body = writes(nenc)[form]
    before = snapshot()
    response = send(api_client, method, url, {**body, **change})
    assert response.status_code == 400
    answer = response.json()
    assert field in answer, answer
    assert any(text in message for message in answer[field]), answer
    assert snapshot() == before


def test_a_place_of_another_system_is_400(api_client, national_admin, nenc, lancashire):
    api_client.force_authenticate(national_admin)
    fylde = send(
        api_client,
        "post",
        f"{SYSTEMS}{lancashire.pk}/places/",
        {"name": "Fylde Coast", "valid_from": "2019-04-01"},
    ).json()["places"][0]
    method, url, body = writes(nenc)[3]
    before = snapshot()
    response = send(api_client, method, url, {**body, "place": fylde["id"]})
    assert response.status_code == 400
    assert response.json() == {"place": ["Choose a place of this system."]}
    assert snapshot() == before


def test_ending_a_member_twice_is_refused(api_client, national_admin, nenc):
    api_client.force_authenticate(national_admin)
    sunderland = nenc.members.get(commissioner__ods_code="00P")
    before = snapshot()
    response = send(
        api_client, "post", f"{SYSTEMS}members/{sunderland.pk}/end/", {"valid_to": "2021-03-31"}
    )
    assert response.status_code == 400
    assert response.json() == {"valid_to": ["It left on 30 June 2022 already."]}
    assert snapshot() == before


def test_unknown_member_or_system_is_404_for_a_national_admin(api_client, national_admin, register):
    api_client.force_authenticate(national_admin)
    assert (
        send(
            api_client, "post", f"{SYSTEMS}members/999999/end/", {"valid_to": "2030-01-01"}
        ).status_code
        == 404
    )
    assert (
        send(
            api_client,
            "post",
            f"{SYSTEMS}999999/places/",
            {"name": "X", "valid_from": "2019-04-01"},
        ).status_code
        == 404
    )


def test_patch_and_delete_are_not_offered(api_client, national_admin, nenc):
    api_client.force_authenticate(national_admin)
    before = snapshot()
    assert (
        api_client.patch(f"{SYSTEMS}{nenc.pk}/", {"version": 1}, format="json").status_code == 405
    )
    assert api_client.delete(f"{SYSTEMS}{nenc.pk}/").status_code == 405
    assert snapshot() == before
    assert fresh(nenc).valid_from == APRIL_2018
