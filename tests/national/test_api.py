"""The national structures API (issue 17, "What to build" 7): everyone signed in reads boards,
CRGs, documents and seats; national admins write them and decide nominations (others 403,
nothing changed); hub staff nominate; nominations are read by national admins, the group's
readers and the seat's region's team (others 404); bad input 400 by field; stale version 409."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from national import services
from national.models import ClinicalReferenceGroup, Nomination, SeatTerm

from .conftest import nominate, programme, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/"
READERS = [
    "roleless_user",
    "sunderland_lead",
    "nec_hub_officer",
    "london_hub_officer",
    "north_reviewer",
    "national_admin",
]


@pytest.fixture
def holding(national_admin):
    return services.holding_add(
        by=national_admin,
        programme=programme(),
        seat="chair",
        name="Dr Jo Bell",
        organisation="NHS England North",
        start_date=datetime.date(2015, 4, 1),
    )


@pytest.fixture
def document(crg, national_admin):
    return services.document_add(
        by=national_admin, crg=crg, title="Spec", kind="specification", url="https://x.org/"
    )


def reads(crg, holding, document):
    return [
        f"{API}poc-boards/",
        f"{API}poc-boards/internal-medicine/",
        f"{API}poc-board-holders/",
        f"{API}poc-board-holders/{holding.pk}/",
        f"{API}crgs/",
        f"{API}crgs/{crg.pk}/",
        f"{API}crg-documents/",
        f"{API}crg-documents/{document.pk}/",
        f"{API}crg-seats/",
        f"{API}crg-seats/{crg.seats.first().pk}/",
        f"{API}crg-seats/overview/",
    ]


def writes(crg, holding, document):
    return [
        (
            "post",
            f"{API}poc-board-holders/",
            {
                "programme": "trauma",
                "seat": "chair",
                "name": "Dr A",
                "organisation": "NHSE",
                "start_date": "2015-04-01",
            },
        ),
        ("put", f"{API}poc-board-holders/{holding.pk}/", {"name": "Dr B", "version": 1}),
        ("post", f"{API}crgs/", {"name": "Renal Services", "programme": "internal-medicine"}),
        ("put", f"{API}crgs/{crg.pk}/", {"chair": "Dr C", "version": 1}),
        (
            "post",
            f"{API}crg-documents/",
            {"crg": crg.pk, "title": "Policy", "kind": "policy", "url": "https://x.org/p"},
        ),
        ("put", f"{API}crg-documents/{document.pk}/", {"title": "Spec 2", "version": 1}),
    ]


CODES = [201, 200, 201, 200, 201, 200]


def test_anonymous_gets_nothing(api_client, crg, holding, document):
    for url in reads(crg, holding, document):
        assert api_client.get(url).status_code == 401, url


@pytest.mark.parametrize("who", READERS)
def test_everyone_signed_in_reads(api_client, request, who, crg, holding, document):
    api_client.force_authenticate(request.getfixturevalue(who))
    for url in reads(crg, holding, document):
        assert api_client.get(url).status_code == 200, url
    board = api_client.get(f"{API}poc-boards/internal-medicine/").json()
    assert board["holdings"][0]["name"] == "Dr Jo Bell"
    assert board["crgs"] == [{"id": crg.pk, "name": "Cardiac Services", "archived": False}]
    assert api_client.get(f"{API}crgs/{crg.pk}/").json()["programme"] == "internal-medicine"


@pytest.mark.parametrize("who", READERS[:-1])
def test_only_national_admins_write(api_client, request, who, crg, holding, document):
    api_client.force_authenticate(request.getfixturevalue(who))
    before = snapshot()
    for method, url, body in writes(crg, holding, document):
        assert getattr(api_client, method)(url, body, format="json").status_code == 403, url
    seat = {"crg": crg.pk, "region": "north"}
    assert api_client.post(f"{API}crg-seats/", seat, format="json").status_code == 403
    assert snapshot() == before


def test_national_admin_writes(api_client, national_admin, crg, holding, document):
    api_client.force_authenticate(national_admin)
    for (method, url, body), code in zip(writes(crg, holding, document), CODES, strict=True):
        response = getattr(api_client, method)(url, body, format="json")
        assert response.status_code == code, (url, response.json())
    assert ClinicalReferenceGroup.objects.get(name="Renal Services").seats.count() == 4
    upload = SimpleUploadedFile("v.pdf", b"%PDF-1.4 v")
    response = api_client.post(
        f"{API}crg-documents/{document.pk}/versions/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["versions"][0]["number"] == 1
    assert api_client.delete(f"{API}crgs/{crg.pk}/").status_code == 405


def test_bad_input_is_400_by_field_and_stale_is_409(api_client, national_admin, crg, holding):
    api_client.force_authenticate(national_admin)
    before = snapshot()
    response = api_client.post(
        f"{API}crg-seats/", {"crg": crg.pk, "region": "north"}, format="json"
    )
    assert response.status_code == 400
    assert "region" in response.json()
    response = api_client.post(
        f"{API}poc-board-holders/",
        {
            "programme": "internal-medicine",
            "seat": "chair",
            "name": "Dr Two",
            "organisation": "X",
            "start_date": "2016-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "start_date" in response.json()
    services.crg_update(by=national_admin, crg=crg, version=1, chair="Dr New")
    before = snapshot()
    response = api_client.put(
        f"{API}crgs/{crg.pk}/", {"archived": True, "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert snapshot() == before


def _nomination_body(seat, meeting, **changes):
    body = {
        "seat": seat.pk,
        "meeting": meeting.pk,
        "nominee_name": "Dr Priya Nair",
        "ccg": "00P",
        "email": "priya@example.nhs.uk",
        "job_title": "GP lead",
        "term_start": "2016-04-01",
        "term_end": "2019-03-31",
    }
    return {**body, **changes}


def test_hub_staff_nominate_others_do_not(
    api_client, nec_hub_officer, north_reviewer, london_hub_officer, north_seat, nec_meeting
):
    url = f"{API}crg-nominations/"
    api_client.force_authenticate(north_reviewer)
    assert api_client.post(url, _nomination_body(north_seat, nec_meeting)).status_code == 403
    api_client.force_authenticate(london_hub_officer)
    response = api_client.post(url, _nomination_body(north_seat, nec_meeting))
    assert response.status_code == 400
    assert "meeting" in response.json()
    assert not Nomination.objects.exists()
    api_client.force_authenticate(nec_hub_officer)
    response = api_client.post(url, _nomination_body(north_seat, nec_meeting), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting"


def test_nomination_from_another_region_is_400(
    api_client, london_hub_officer, north_seat, london_meeting
):
    api_client.force_authenticate(london_hub_officer)
    response = api_client.post(
        f"{API}crg-nominations/",
        _nomination_body(north_seat, london_meeting, ccg="07L"),
        format="json",
    )
    assert response.status_code == 400
    assert "London region" in response.json()["meeting"][0]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("roleless_user", 404),
        ("london_hub_officer", 404),
        ("nec_hub_officer", 403),
        ("north_reviewer", 403),
    ],
)
def test_nomination_ladder(api_client, request, who, code, nomination):
    api_client.force_authenticate(request.getfixturevalue(who))
    listed = api_client.get(f"{API}crg-nominations/").json()["results"]
    assert len(listed) == (0 if code == 404 else 1)
    assert api_client.get(f"{API}crg-nominations/{nomination.pk}/").status_code == (
        404 if code == 404 else 200
    )
    url = f"{API}crg-nominations/{nomination.pk}/"
    assert api_client.post(f"{url}accept/", {"version": 1}).status_code == code
    assert api_client.post(f"{url}decline/", {"version": 1, "reason": "No"}).status_code == code
    assert not SeatTerm.objects.exists()


def test_national_admin_accepts_then_stale_is_409(api_client, national_admin, nomination):
    api_client.force_authenticate(national_admin)
    url = f"{API}crg-nominations/{nomination.pk}/"
    response = api_client.post(f"{url}accept/", {"version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert api_client.post(f"{url}accept/", {"version": 1}).status_code == 409
    overview = api_client.get(f"{API}crg-seats/overview/", {"on": "2017-01-01"}).json()
    assert overview["regions"] == ["london", "midlands-and-east", "north", "south"]
    (row,) = overview["rows"]
    assert row["vacancies"] == 3
    north = next(s for s in row["seats"] if s["region"] == "north")
    assert north["holder"]["holder_name"] == "Dr Priya Nair"
    assert api_client.get(f"{API}crg-seats/overview/", {"sort": "x"}).status_code == 400


def test_lists_are_bounded(
    api_client,
    national_admin,
    nec_meeting,
    nec_hub_officer,
    django_assert_max_num_queries,
):
    for i in range(4):
        crg = services.crg_create(
            by=national_admin, name=f"CRG {i}", programme=programme(), with_seats=True
        )
        nominate(crg.seats.get(region__slug="north"), nec_meeting, nec_hub_officer)
        services.document_add(
            by=national_admin, crg=crg, title="D", kind="policy", url="https://x.org/"
        )
    api_client.force_authenticate(national_admin)
    for url in [
        "poc-boards/",
        "poc-board-holders/",
        "crgs/",
        "crg-documents/",
        "crg-seats/",
        "crg-seats/overview/",
        "crg-nominations/",
    ]:
        with django_assert_max_num_queries(12):
            assert api_client.get(f"{API}{url}").status_code == 200, url
