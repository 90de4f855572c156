"""The formal arrangements through the REST API, /api/v1/formal-arrangements/ (issue 16, "What
to build" 5): the pages' reading rules (404 not visible, 403 not yours to change), 400 by field
with nothing changed, 409 on a stale version, bounded list queries, and the schema."""

from decimal import Decimal

import pytest

from arrangements import services
from arrangements.models import Arrangement

from .conftest import agreed, cardiology, fresh, pdf, pool, snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/formal-arrangements/"


@pytest.fixture
def both(nec_hub_officer, nenc):
    proposed = pool(nec_hub_officer, nenc, title="Proposed pool")
    done = agreed(nec_hub_officer, pool(nec_hub_officer, nenc, title="Agreed pool"))
    return proposed, fresh(done)


def body(**overrides) -> dict:
    data = {
        "title": "Cardiology pool",
        "kind": "pooled_budget",
        "legal_basis": "s13v",
        "parties": ["QHM"],
        "programmes": [cardiology().slug],
        "services": "Cardiac surgery",
        "start_date": "2022-07-01",
    }
    data.update(overrides)
    return data


def writes(arrangement) -> list[tuple[str, str, dict]]:
    contribution = arrangement.contributions.first()
    calls = [
        (
            "put",
            f"{URL}{arrangement.pk}/",
            body(parties=["00P"], start_date="2021-04-01", version=arrangement.version),
        ),
        (
            "post",
            f"{URL}{arrangement.pk}/status/",
            {"status": "ended", "end_date": "2024-03-31", "version": arrangement.version},
        ),
        (
            "post",
            f"{URL}{arrangement.pk}/contributions/",
            {"party": None, "year": 2023, "amount": "5"},
        ),
    ]
    if contribution is not None:
        calls.append(
            (
                "put",
                f"/api/v1/formal-contributions/{contribution.pk}/",
                {"amount": "7", "version": 1},
            )
        )
    return calls


def test_anonymous_is_401(api_client, both):
    assert api_client.get(URL).status_code == 401
    assert api_client.get(f"{URL}{both[0].pk}/").status_code == 401


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("london_hub_officer", []),
        ("nenc_ics_lead", ["Agreed pool"]),
        ("nenc_icb_lead", ["Agreed pool"]),
        ("sunderland_lead", ["Agreed pool", "Proposed pool"]),
        ("nec_hub_officer", ["Agreed pool", "Proposed pool"]),
        ("north_reviewer", ["Agreed pool", "Proposed pool"]),
        ("national_admin", ["Agreed pool", "Proposed pool"]),
    ],
)
def test_the_ladder(api_client, request, both, who, sees):
    user = request.getfixturevalue(who)
    api_client.force_authenticate(user)
    listed = api_client.get(URL).json()["results"]
    assert sorted(a["title"] for a in listed) == sees
    writer = who in ("nec_hub_officer", "north_reviewer")
    for arrangement in both:
        visible = arrangement.title in sees
        got = api_client.get(f"{URL}{arrangement.pk}/")
        assert got.status_code == (200 if visible else 404)
        agreements = api_client.get(f"{URL}{arrangement.pk}/agreements/")
        assert agreements.status_code == (200 if visible else 404)
        if writer:
            continue
        before = snapshot()
        for method, url, data in writes(arrangement):
            answer = getattr(api_client, method)(url, data, format="json")
            assert answer.status_code == (403 if visible else 404), (url, answer.content)
        upload = api_client.post(
            f"{URL}{arrangement.pk}/agreements/", {"file": pdf()}, format="multipart"
        )
        assert upload.status_code == (403 if visible else 404)
        assert snapshot() == before
    if not writer:
        answer = api_client.post(URL, {**body(), "system": both[0].system_id}, format="json")
        assert answer.status_code == (404 if who == "london_hub_officer" else 403)


def test_a_writer_records_and_moves_an_arrangement(api_client, nec_hub_officer, nenc):
    api_client.force_authenticate(nec_hub_officer)
    created = api_client.post(URL, {**body(), "system": nenc.pk}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "proposed"
    assert data["parties"] == ["QHM"]
    assert data["host"] is None
    assert data["host_name"] == "NHS England"
    pk = data["id"]
    for party in (None, "QHM"):
        answer = api_client.post(
            f"{URL}{pk}/contributions/",
            {"party": party, "year": 2022, "amount": "100"},
            format="json",
        )
        assert answer.status_code == 201, answer.content
    moved = api_client.post(f"{URL}{pk}/status/", {"status": "agreed", "version": 1}, format="json")
    assert moved.status_code == 200
    assert moved.json()["status"] == "agreed"
    refused = api_client.post(f"{URL}{pk}/status/", {"status": "live", "version": 2}, format="json")
    assert refused.status_code == 400
    assert "status" in refused.json()
    upload = api_client.post(f"{URL}{pk}/agreements/", {"file": pdf()}, format="multipart")
    assert upload.status_code == 201
    assert upload.json()["number"] == 1
    live = api_client.post(f"{URL}{pk}/status/", {"status": "live", "version": 2}, format="json")
    assert live.status_code == 200
    assert live.json()["status"] == "live"
    got = api_client.get(f"{URL}{pk}/").json()
    assert [c["amount"] for c in got["contributions"]] == ["100", "100"]


def test_bad_input_is_400_by_field_and_a_stale_version_409(api_client, nec_hub_officer, both):
    proposed, done = both
    api_client.force_authenticate(nec_hub_officer)
    before = snapshot()
    answer = api_client.post(
        URL, {**body(services=""), "system": proposed.system_id}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["services"] == ["A pooled budget needs the services it pools."]
    answer = api_client.post(
        URL, {**body(start_date="2021-04-01"), "system": proposed.system_id}, format="json"
    )
    assert answer.status_code == 400
    assert "was not open" in answer.json()["parties"][0]
    answer = api_client.post(
        f"{URL}{proposed.pk}/contributions/",
        {"party": None, "year": 2021, "amount": "-1"},
        format="json",
    )
    assert answer.status_code == 400
    assert "negative" in answer.json()["amount"][0]
    answer = api_client.put(
        f"{URL}{done.pk}/",
        body(parties=["00P"], start_date="2021-04-01", version=1),
        format="json",
    )
    assert answer.status_code == 409
    assert answer.json()["current_version"] == done.version
    assert snapshot() == before


def test_the_list_runs_a_bounded_number_of_queries(
    api_client, national_admin, nec_hub_officer, nenc, django_assert_max_num_queries
):
    for n in range(5):
        arrangement = agreed(nec_hub_officer, pool(nec_hub_officer, nenc, title=f"P{n}"))
        services.contribution_add(
            by=nec_hub_officer, arrangement=arrangement, party=None, year=2022, amount=Decimal(1)
        )
    api_client.force_authenticate(national_admin)
    with django_assert_max_num_queries(10):
        answer = api_client.get(URL)
    assert answer.json()["count"] == Arrangement.objects.count() == 5


def test_the_schema_has_the_endpoints(api_client, national_admin):
    api_client.force_authenticate(national_admin)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/formal-arrangements/",
        "/api/v1/formal-arrangements/{id}/",
        "/api/v1/formal-arrangements/{id}/status/",
        "/api/v1/formal-arrangements/{id}/contributions/",
        "/api/v1/formal-contributions/{id}/",
        "/api/v1/formal-arrangements/{id}/agreements/",
    ):
        assert path in paths, path
    enums = schema.json()["components"]["schemas"]
    assert {"FormalArrangementKindEnum", "FormalArrangementStatusEnum", "LegalBasisEnum"} <= set(
        enums
    )
