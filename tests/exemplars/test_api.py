"""Exemplar projects through the REST API, /api/v1/exemplars/ (issue 16 items 4 and 5): the
same ladder as the pages (outsiders 404, readers 200 but 403 on every write, the system's hub
staff and regional team write), 400 by field with nothing changed, 409 on a stale version or a
closed project, a nested read, and a list whose queries do not grow with the data."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exemplars import services

from .conftest import START, fresh, pdf, snapshot
from .test_pages import _grow

pytestmark = pytest.mark.django_db

BASE = "/api/v1/exemplars/"
READERS = ["nenc_ics_lead", "nenc_icb_lead", "national_admin"]
WRITERS = ["nec_hub_officer", "north_reviewer"]


def writes(exemplar) -> list[tuple[str, str, dict, str]]:
    """Each write (method, URL, body, format) a writer may make on the full exemplar."""
    pk = exemplar.pk
    service = exemplar.services.get(specialised=False)
    participant = exemplar.participants.get()
    milestone = exemplar.milestones.get()
    recommendation = exemplar.recommendations.get()
    return [
        (
            "post",
            BASE,
            {
                "system": exemplar.system_id,
                "title": "Stroke",
                "pathway": "Stroke",
                "start_date": "2019-04-01",
            },
            "json",
        ),
        (
            "put",
            f"{BASE}{pk}/",
            {
                "title": "Cardiology",
                "pathway": "Cardiology",
                "start_date": "2018-07-01",
                "version": exemplar.version,
            },
            "json",
        ),
        (
            "post",
            f"{BASE}{pk}/services/",
            {"name": "Chest pain clinic", "specialised": False},
            "json",
        ),
        (
            "put",
            f"{BASE}services/{service.pk}/",
            {"name": service.name, "specialised": False, "removed": True, "version": 1},
            "json",
        ),
        (
            "post",
            f"{BASE}{pk}/participants/",
            {"name": "Bob", "role": "Rep", "commissioner": "00N", "joined_on": "2018-09-26"},
            "json",
        ),
        (
            "put",
            f"{BASE}participants/{participant.pk}/",
            {
                "name": participant.name,
                "role": "Chair",
                "commissioner": "00P",
                "joined_on": "2018-09-26",
                "version": 1,
            },
            "json",
        ),
        (
            "post",
            f"{BASE}{pk}/milestones/",
            {"title": "Scoping report to the Joint CCG Committee", "due_on": "2019-01-15"},
            "json",
        ),
        (
            "put",
            f"{BASE}milestones/{milestone.pk}/",
            {
                "title": milestone.title,
                "due_on": "2018-09-26",
                "done_on": "2018-09-27",
                "version": 1,
            },
            "json",
        ),
        (
            "post",
            f"{BASE}{pk}/report/",
            {"text": "Options appraisal", "change_summary": "Version 2"},
            "multipart",
        ),
        (
            "post",
            f"{BASE}recommendations/{recommendation.pk}/decision/",
            {"decision": "agreed", "decided_on": "2019-01-20", "version": 1},
            "json",
        ),
        (
            "post",
            f"{BASE}{pk}/close/",
            {"closed_on": "2019-06-30", "reason": "Done", "version": exemplar.version},
            "json",
        ),
    ]


NAMES = [
    "create",
    "update",
    "service-add",
    "service-update",
    "participant-add",
    "participant-update",
    "milestone-add",
    "milestone-update",
    "report",
    "decision",
    "close",
]


def send(api_client, method, url, body, fmt):
    return getattr(api_client, method)(url, body, format=fmt)


def test_anonymous_is_refused(api_client, full):
    assert api_client.get(BASE).status_code in (401, 403)
    assert api_client.get(f"{BASE}{full.pk}/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["london_hub_officer", "west_midlands_officer"])
def test_outsiders_see_nothing(api_client, request, full, who):
    api_client.force_authenticate(request.getfixturevalue(who))
    assert api_client.get(BASE).json()["count"] == 0
    assert api_client.get(f"{BASE}{full.pk}/").status_code == 404
    before = snapshot()
    for name, (method, url, body, fmt) in zip(NAMES, writes(full), strict=True):
        response = send(api_client, method, url, body, fmt)
        if name == "create":  # a system not theirs to see is, to them, no system at all
            assert response.status_code == 400
            assert response.json() == {"system": ["No such system."]}
        else:
            assert response.status_code == 404, name
    assert snapshot() == before


@pytest.mark.parametrize("who", READERS)
def test_readers_read_nested_and_may_not_write(api_client, request, full, who):
    api_client.force_authenticate(request.getfixturevalue(who))
    listing = api_client.get(BASE, {"system": full.system_id}).json()
    assert [e["id"] for e in listing["results"]] == [full.pk]
    body = api_client.get(f"{BASE}{full.pk}/").json()
    assert body["status"] == "recommended"
    assert {s["name"]: s["programme"] for s in body["services"]} == {
        "Adult congenital heart disease": "women-and-children",
        "Community heart failure service": None,
    }
    assert body["participants"][0]["commissioner"] == "00P"
    assert body["milestones"][0]["is_overdue"] is True
    assert body["report_versions"][0]["number"] == 1
    assert body["report_versions"][0]["download_url"].startswith("/exemplars/report/")
    assert body["recommendations"][0]["decision"] == "awaiting"
    before = snapshot()
    for name, (method, url, body_, fmt) in zip(NAMES, writes(full), strict=True):
        assert send(api_client, method, url, body_, fmt).status_code == 403, name
    assert snapshot() == before


@pytest.mark.parametrize("who", WRITERS)
@pytest.mark.parametrize("write", range(len(NAMES)), ids=NAMES)
def test_writers_make_every_change(api_client, request, full, who, write):
    api_client.force_authenticate(request.getfixturevalue(who))
    method, url, body, fmt = writes(full)[write]
    before = snapshot()
    response = send(api_client, method, url, body, fmt)
    assert response.status_code in (200, 201), response.json()
    assert snapshot() != before
    assert "services" in response.json()


def test_a_report_upload_and_a_recommendation(api_client, cardiology, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    response = api_client.post(
        f"{BASE}{cardiology.pk}/report/",
        {"file": pdf(), "change_summary": "First version"},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["report_versions"][0]["content_type"] == "application/pdf"
    scoped = api_client.post(f"{BASE}{cardiology.pk}/scoped/", {"version": 1}, format="json")
    assert scoped.json()["status"] == "scoped"
    made = api_client.post(
        f"{BASE}{cardiology.pk}/recommendations/",
        {"to": "both", "text": "Pool the budget", "made_on": "2019-01-15"},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["recommendations"][0]["to"] == "both"
    assert fresh(cardiology).status == "recommended"


@pytest.mark.parametrize(
    ("url", "body", "fmt", "field"),
    [
        (
            "{pk}/participants/",
            {"name": "Ann", "role": "Rep", "commissioner": "84H", "joined_on": "2018-09-26"},
            "json",
            "commissioner",
        ),
        (
            "{pk}/milestones/",
            {"title": "Scoping", "due_on": "2018-09-26", "done_on": "2018-06-01"},
            "json",
            "done_on",
        ),
        ("{pk}/services/", {"name": "ACHD", "specialised": True}, "json", "programme"),
        (
            "{pk}/report/",
            {"file": SimpleUploadedFile("empty.pdf", b""), "change_summary": "v2"},
            "multipart",
            "file",
        ),
        (
            "{pk}/report/",
            {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 20), "change_summary": "v2"},
            "multipart",
            "file",
        ),
        ("{pk}/report/", {"change_summary": "v2"}, "multipart", "file"),
    ],
)
def test_bad_input_is_400_by_field_and_changes_nothing(
    api_client, full, nec_hub_officer, url, body, fmt, field
):
    api_client.force_authenticate(nec_hub_officer)
    before = snapshot()
    response = api_client.post(BASE + url.format(pk=full.pk), body, format=fmt)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_a_board_of_another_kind_is_400(api_client, nenc, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    response = api_client.post(
        BASE,
        {
            "system": nenc.pk,
            "title": "Stroke",
            "pathway": "Stroke",
            "start_date": "2019-04-01",
            "board": 999999,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "board" in response.json()


def test_a_stale_version_is_409(api_client, full, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    body = {"title": "A", "pathway": "Cardiology", "start_date": "2018-07-01"}
    first = api_client.put(f"{BASE}{full.pk}/", {**body, "version": full.version}, format="json")
    assert first.status_code == 200
    before = snapshot()
    stale = api_client.put(
        f"{BASE}{full.pk}/", {**body, "title": "B", "version": full.version}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == full.version + 1
    assert snapshot() == before


def test_a_closed_project_is_409(api_client, full, nec_hub_officer):
    services.exemplar_close(
        by=nec_hub_officer,
        exemplar=full,
        version=full.version,
        closed_on=datetime.date(2019, 6, 30),
        reason="Done",
    )
    api_client.force_authenticate(nec_hub_officer)
    response = api_client.post(
        f"{BASE}{full.pk}/milestones/", {"title": "X", "due_on": "2019-01-01"}, format="json"
    )
    assert response.status_code == 409


def test_the_list_queries_are_bounded(
    api_client, full, nenc, nec_hub_officer, django_assert_max_num_queries
):
    api_client.force_authenticate(nec_hub_officer)
    with django_assert_max_num_queries(20) as small:
        api_client.get(BASE)
    limit = len(small.captured_queries)
    for i in range(3):
        other = services.exemplar_create(
            by=nec_hub_officer,
            system=nenc,
            title=f"Pathway {i}",
            pathway="Renal",
            start_date=START,
        )
        _grow(other, nec_hub_officer, 2)
    with django_assert_max_num_queries(limit):
        response = api_client.get(BASE)
    assert response.json()["count"] == 4
