"""The national structures' pages (issue 17 parts 1 and 2): everyone signed in reads the boards,
CRGs and the seats view; only national admins get the keeping forms and decide nominations; hub
staff nominate; bad input goes beside its field and changes nothing; the pages' queries do not
grow with the data; the seats view downloads as CSV."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from national import services
from national.models import BoardHolding, ClinicalReferenceGroup, Nomination, SeatTerm

from .conftest import nominate, programme, snapshot

pytestmark = pytest.mark.django_db

READERS = [
    "roleless_user",
    "sunderland_lead",
    "nec_hub_officer",
    "london_hub_officer",
    "north_reviewer",
    "national_admin",
]
NOT_KEEPERS = READERS[:-1]


def as_user(client, request, name):
    user = request.getfixturevalue(name)
    client.force_login(user)
    return user


def test_anonymous_is_sent_to_sign_in(client, crg):
    for url in [
        reverse("national:index"),
        reverse("national:board", args=["internal-medicine"]),
        crg.get_absolute_url(),
        reverse("national:seats"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("name", READERS)
def test_everyone_signed_in_reads_boards_crgs_and_seats(client, request, name, crg):
    as_user(client, request, name)
    for url in [
        reverse("national:index"),
        reverse("national:board", args=["internal-medicine"]),
        crg.get_absolute_url(),
        reverse("national:seats"),
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("national:board", args=["nothing"])).status_code == 404
    assert client.get(reverse("national:crg-detail", args=[999999])).status_code == 404
    keeps = name == "national_admin"
    assert ("Add a Clinical Reference Group" in client.get(reverse("national:index")).text) == keeps


def _keeper_urls(crg, holding, document):
    return [
        reverse("national:crg-create"),
        reverse("national:crg-edit", args=[crg.pk]),
        reverse("national:seat-create", args=[crg.pk]),
        reverse("national:document-create", args=[crg.pk]),
        reverse("national:document-version-create", args=[document.pk]),
        reverse("national:holding-create", args=["internal-medicine"]),
        reverse("national:holding-edit", args=[holding.pk]),
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
        by=national_admin,
        crg=crg,
        title="Cardiac surgery (adult) service specification",
        kind="specification",
        url="https://www.england.nhs.uk/commissioning/spec-services/",
    )


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_keeping_forms_are_the_national_admins(client, request, name, crg, holding, document):
    as_user(client, request, name)
    for url in _keeper_urls(crg, holding, document):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_national_admin_opens_every_keeping_form(client, national_admin, crg, holding, document):
    client.force_login(national_admin)
    for url in _keeper_urls(crg, holding, document):
        assert client.get(url).status_code == 200, url


def test_admin_adds_a_crg_with_its_four_seats(client, national_admin):
    client.force_login(national_admin)
    response = client.post(
        reverse("national:crg-create"),
        {
            "name": "Renal Services",
            "programme": "internal-medicine",
            "chair": "",
            "with_seats": "on",
        },
    )
    assert response.status_code == 302
    crg = ClinicalReferenceGroup.objects.get(name="Renal Services")
    assert crg.seats.count() == 4


def test_fifth_seat_refused_beside_the_field(client, national_admin, crg):
    client.force_login(national_admin)
    before = snapshot()
    response = client.post(reverse("national:seat-create", args=[crg.pk]), {"region": "north"})
    assert response.status_code == 200
    assert "seat for the North region already" in response.context["form"].errors["region"][0]
    assert snapshot() == before


def test_second_board_holder_refused_beside_the_field(client, national_admin, holding):
    client.force_login(national_admin)
    before = snapshot()
    response = client.post(
        reverse("national:holding-create", args=["internal-medicine"]),
        {
            "seat": "chair",
            "name": "Dr Sam Ode",
            "organisation": "NHS England",
            "start_date": "2016-04-01",
        },
    )
    assert "Dr Jo Bell holds this seat" in response.context["form"].errors["start_date"][0]
    assert snapshot() == before


def test_stale_holding_edit_shows_the_conflict(client, national_admin, holding):
    services.holding_update(by=national_admin, holding=holding, version=1, organisation="NHSE")
    client.force_login(national_admin)
    before = snapshot()
    response = client.post(
        reverse("national:holding-edit", args=[holding.pk]),
        {
            "name": "Dr Jo Bell",
            "organisation": "Other",
            "start_date": "2015-04-01",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "saved this while you were editing" in response.text
    assert snapshot() == before


def test_document_upload_and_download(client, national_admin, crg, roleless_user):
    client.force_login(national_admin)
    upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 policy")
    response = client.post(
        reverse("national:document-create", args=[crg.pk]),
        {"title": "Clinical commissioning policy", "kind": "policy", "url": "", "file": upload},
    )
    assert response.status_code == 302
    version = crg.documents.get().versions.get()
    client.force_login(roleless_user)
    download = client.get(reverse("national:document-version-download", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


# --- nominations ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["roleless_user", "sunderland_lead", "north_reviewer"])
def test_only_hub_staff_nominate(client, request, name, crg):
    as_user(client, request, name)
    url = reverse("national:nominate", args=[crg.pk, "north"])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def _nomination_post(meeting) -> dict:
    return {
        "meeting": meeting.pk,
        "nominee_name": "Dr Priya Nair",
        "job_title": "GP clinical lead",
        "ccg": "00P",
        "email": "priya.nair@example.nhs.uk",
        "term_start": "2016-04-01",
        "term_end": "2019-03-31",
    }


def test_hub_officer_nominates_at_a_held_meeting(client, nec_hub_officer, crg, nec_meeting):
    client.force_login(nec_hub_officer)
    url = reverse("national:nominate", args=[crg.pk, "north"])
    assert nec_meeting.title in client.get(url).text
    assert client.post(url, _nomination_post(nec_meeting)).status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.seat.region.slug == "north"
    assert nomination.meeting == nec_meeting
    assert client.get(reverse("national:nominate", args=[crg.pk, "nowhere"])).status_code == 404


def test_nomination_from_another_region_refused_beside_the_field(
    client, london_hub_officer, crg, london_meeting, nec_meeting
):
    client.force_login(london_hub_officer)
    url = reverse("national:nominate", args=[crg.pk, "north"])
    before = snapshot()
    response = client.post(url, {**_nomination_post(london_meeting), "ccg": "07L"})
    assert "London region" in response.context["form"].errors["meeting"][0]
    # Another hub's meeting is not even a choice.
    response = client.post(url, _nomination_post(nec_meeting))
    assert "meeting" in response.context["form"].errors
    assert snapshot() == before


NOMINATION_READERS = {
    "national_admin": True,
    "nec_hub_officer": True,
    "north_reviewer": True,
    "london_hub_officer": False,
    "roleless_user": False,
}


@pytest.mark.parametrize(("name", "reads"), NOMINATION_READERS.items())
def test_who_reads_nominations_and_who_decides(client, request, name, reads, nomination):
    as_user(client, request, name)
    page = client.get(nomination.seat.crg.get_absolute_url()).text
    assert ("Dr Priya Nair" in page) == reads
    assert ("Accept<span" in page) == (name == "national_admin")
    accept = reverse("national:nomination-accept", args=[nomination.pk])
    decline = reverse("national:nomination-decline", args=[nomination.pk])
    if name == "national_admin":
        assert client.get(decline).status_code == 200
        return
    expected = 403 if reads else 404
    assert client.post(accept, {"version": 1}).status_code == expected
    assert client.get(decline).status_code == expected
    assert not SeatTerm.objects.exists()


def test_admin_accepts_and_the_seat_is_filled(client, national_admin, nomination):
    client.force_login(national_admin)
    accept = reverse("national:nomination-accept", args=[nomination.pk])
    response = client.post(accept, {"version": 1}, follow=True)
    assert "holds the seat for the term" in response.text
    assert SeatTerm.objects.get().holder_name == "Dr Priya Nair"
    # A second press (stale) changes nothing.
    before = snapshot()
    response = client.post(accept, {"version": 1}, follow=True)
    assert "saved this while you were editing" in response.text
    assert snapshot() == before


def test_decline_needs_a_reason_beside_the_field(client, national_admin, nomination):
    client.force_login(national_admin)
    url = reverse("national:nomination-decline", args=[nomination.pk])
    before = snapshot()
    response = client.post(url, {"version": 1, "reason": ""})
    assert "reason" in response.context["form"].errors
    assert snapshot() == before
    assert client.post(url, {"version": 1, "reason": "Already two from NEC"}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DECLINED


# --- the seats view -------------------------------------------------------------------------


@pytest.fixture
def filled(crg, nomination, national_admin):
    services.nomination_accept(by=national_admin, nomination=nomination, version=1)
    return crg


def test_seats_view_on_a_date_sort_and_region(client, national_admin, north_reviewer, filled):
    services.crg_create(
        by=national_admin,
        name="Adult Critical Care",
        programme=programme("Trauma"),
        with_seats=True,
    )
    client.force_login(national_admin)
    url = reverse("national:seats")
    rows = client.get(url, {"on": "2017-01-01", "sort": "vacancies"}).context["rows"]
    assert [(r.crg.name, r.vacancies) for r in rows] == [
        ("Adult Critical Care", 4),
        ("Cardiac Services", 3),
    ]
    rows = client.get(url, {"on": "2017-01-01", "sort": "poc"}).context["rows"]
    assert [r.crg.programme.name for r in rows] == ["Internal Medicine", "Trauma"]
    rows = client.get(url, {"on": "2020-01-01"}).context["rows"]
    assert [r.vacancies for r in rows] == [4, 4]
    # The North regional team sees its own region by default.
    client.force_login(north_reviewer)
    response = client.get(url, {"on": "2017-01-01"})
    assert [r.name for r in response.context["shown"]] == ["North"]
    assert "Dr Priya Nair" in response.text
    assert client.get(url, {"region": "nowhere"}).status_code == 404


def test_seats_csv(client, national_admin, filled):
    services.crg_create(
        by=national_admin, name="=Hostile", programme=programme("Trauma"), with_seats=False
    )
    client.force_login(national_admin)
    response = client.get(
        reverse("national:seats"), {"on": "2017-01-01", "region": "all", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["CRG", "Programme of Care", "Vacancies"]
    assert rows[0][3:6] == ["London holder", "London CCG or ICB", "London term"]
    assert rows[1][0] == "'=Hostile"
    assert rows[1][2] == "4"
    north = rows[0].index("North holder")
    assert rows[2][:3] == ["Cardiac Services", "Internal Medicine", "3"]
    assert rows[2][north : north + 3] == [
        "Dr Priya Nair",
        "NHS Sunderland CCG",
        "1 April 2016 to 31 March 2019",
    ]


# --- bounded queries ------------------------------------------------------------------------


def _more(national_admin, nec_meeting, nec_hub_officer, n):
    for i in range(n):
        crg = services.crg_create(
            by=national_admin,
            name=f"CRG {i}",
            programme=programme(),
            chair=f"Chair {i}",
            with_seats=True,
        )
        seat = crg.seats.get(region__slug="north")
        done = nominate(seat, nec_meeting, nec_hub_officer, nominee_name=f"Dr {i}")
        services.nomination_accept(by=national_admin, nomination=done, version=1)
        nominate(
            seat,
            nec_meeting,
            nec_hub_officer,
            nominee_name=f"Dr next {i}",
            term_start=datetime.date(2019, 4, 1),
            term_end=datetime.date(2022, 3, 31),
        )
        services.document_add(
            by=national_admin, crg=crg, title=f"Doc {i}", kind="policy", url="https://example.org/"
        )
        services.holding_add(
            by=national_admin,
            programme=programme(),
            seat="chair",
            name=f"Chair {i}",
            organisation="NHSE",
            start_date=datetime.date(2000 + i, 1, 1),
            end_date=datetime.date(2000 + i, 12, 31),
        )
    return crg


@pytest.mark.parametrize("name", ["national_admin", "north_reviewer", "nec_hub_officer"])
def test_pages_queries_do_not_grow(
    client,
    request,
    name,
    national_admin,
    nec_meeting,
    nec_hub_officer,
    django_assert_max_num_queries,
):
    crg = _more(national_admin, nec_meeting, nec_hub_officer, 5)
    as_user(client, request, name)
    urls = [
        reverse("national:index"),
        reverse("national:board", args=["internal-medicine"]),
        crg.get_absolute_url() + "?on=2017-01-01",
        reverse("national:seats") + "?region=all&on=2017-01-01",
        reverse("national:seats") + "?format=csv&region=all",
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    _more_again = _more  # same shape, more rows
    for i in range(3):
        services.crg_create(
            by=national_admin, name=f"Extra {i}", programme=programme(), with_seats=True
        )
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
    assert BoardHolding.objects.count() == 5
