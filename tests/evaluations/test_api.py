"""The evaluations' REST API (issue 17, "What to build" 6 and 7): the permission ladder, 400 by
field with nothing changed, 409 on a stale version or a second share, audit, the summary, and the
schema."""

import datetime

import pytest
import time_machine

from tests.evaluations.conftest import at, audited, form_data, snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations/"


def body(priority, **overrides) -> dict:
    return {"proposal": priority.pk, **form_data(**overrides)}


def test_the_api_ladder(
    api_client,
    evaluation,
    priority,
    roleless_user,
    london_hub_officer,
    sunderland_lead,
    north_reviewer,
    national_admin,
):
    one = f"{URL}{evaluation.pk}/"
    assert api_client.get(URL).status_code in (401, 403)
    for outsider in (roleless_user, london_hub_officer):
        api_client.force_authenticate(outsider)
        assert api_client.get(URL).json()["results"] == []
        assert api_client.get(one).status_code == 404
        assert api_client.put(one, {**form_data(), "version": 1}).status_code == 404
        assert api_client.post(f"{one}share-to-library/", {"version": 1}).status_code == 404
    for reader in (sunderland_lead, north_reviewer, national_admin):
        api_client.force_authenticate(reader)
        assert [e["id"] for e in api_client.get(URL).json()["results"]] == [evaluation.pk]
        assert api_client.get(one).json()["qipp_realised"] == "180000"
        before = snapshot()
        assert api_client.put(one, {**form_data(), "version": 1}).status_code == 403
        for action in ("archive", "share-to-library", "share-to-ideas"):
            answer = api_client.post(f"{one}{action}/", {"version": 1, "reason": "r"})
            assert answer.status_code == 403, (reader, action)
        answer = api_client.post(URL, body(priority), format="json")
        assert answer.status_code == 403, reader
        assert snapshot() == before
    api_client.force_authenticate(london_hub_officer)
    answer = api_client.post(URL, body(priority), format="json")
    assert answer.status_code == 400
    assert "proposal" in answer.json()


def test_hub_staff_record_change_share_and_archive(api_client, priority, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    created = api_client.post(URL, body(priority), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["planned_qipp"], data["rating"], data["hub"]) == (
        "200000",
        "partly_met",
        "north-east-and-cumbria",
    )
    one = f"{URL}{data['id']}/"
    changed = api_client.put(one, {**form_data(rating="met"), "version": 1}, format="json")
    assert changed.json()["version"] == 2
    stale = api_client.put(one, {**form_data(rating="not_met"), "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    shared = api_client.post(f"{one}share-to-library/", {"version": 2}, format="json")
    assert shared.json()["library_shared_at"]
    posted = api_client.post(f"{one}share-to-ideas/", {"version": 3}, format="json")
    assert posted.json()["idea_post"]
    again = api_client.post(f"{one}share-to-ideas/", {"version": 4}, format="json")
    assert again.status_code == 409
    archived = api_client.post(f"{one}archive/", {"version": 4, "reason": "Duplicate"})
    assert archived.json()["is_archived"] is True
    assert api_client.get(URL).json()["results"] == []
    assert [e["id"] for e in api_client.get(URL, {"archived": "true"}).json()["results"]] == [
        data["id"]
    ]
    assert audited("evaluation_recorded").count() == 1
    assert audited("evaluation_archived").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"qipp_realised": "-1"}, "qipp_realised"),
        ({"benefits": ""}, "benefits"),
        ({"benefits": "x" * 20_001}, "benefits"),
        ({"theme": "nonsense"}, "theme"),
        ({"rating": "brilliant"}, "rating"),
    ],
)
def test_bad_input_is_400_by_field(api_client, priority, nec_hub_officer, overrides, field):
    api_client.force_authenticate(nec_hub_officer)
    before = snapshot()
    answer = api_client.post(URL, body(priority, **overrides), format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert snapshot() == before


def test_too_early_a_second_time_and_not_included_are_400_on_the_proposal(
    api_client, evaluation, priority, deferred, nec_hub_officer
):
    api_client.force_authenticate(nec_hub_officer)
    before = snapshot()
    second = api_client.post(URL, body(priority), format="json")
    assert second.status_code == 400
    assert "change that evaluation instead" in second.json()["proposal"][0]
    not_included = api_client.post(URL, body(deferred), format="json")
    assert "Only priorities the group included" in not_included.json()["proposal"][0]
    with time_machine.travel(at(datetime.date(2016, 3, 1)), tick=False):
        early = api_client.post(URL, body(deferred), format="json")
    assert early.status_code == 400
    assert snapshot() == before


def test_the_summary(api_client, evaluation, north_reviewer, national_admin, nec_hub_officer):
    url = "/api/v1/evaluation-summary/"
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.get(url).status_code == 403
    api_client.force_authenticate(north_reviewer)
    data = api_client.get(url, {"year": 2015}).json()
    assert data["regions"] == ["north"]
    assert data["total"]["evaluated"] == 1
    assert data["total"]["qipp_realised"] == "180000"
    assert api_client.get(url, {"region": "london"}).status_code == 403
    api_client.force_authenticate(national_admin)
    data = api_client.get(url, {"year": 2015}).json()
    assert len(data["regions"]) == 4
    poc = {row["label"]: row for row in data["by_programme"]}
    assert (poc["Internal Medicine"]["partly_met"], poc["Internal Medicine"]["included"]) == (1, 1)
    theme = {row["key"]: row for row in data["by_theme"]}
    assert theme["pathway"]["evaluated"] == 1
    assert api_client.get(url, {"region": "nowhere"}).status_code == 400


def test_the_schema_documents_the_endpoints(api_client, national_admin):
    api_client.force_authenticate(national_admin)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/evaluations/",
        "/api/v1/evaluations/{id}/",
        "/api/v1/evaluations/{id}/archive/",
        "/api/v1/evaluations/{id}/share-to-library/",
        "/api/v1/evaluations/{id}/share-to-ideas/",
        "/api/v1/evaluation-summary/",
    ):
        assert path in paths, path
    assert "409" in paths["/api/v1/evaluations/{id}/"]["put"]["responses"]
    enums = schema["components"]["schemas"]
    assert enums["EvaluationRatingEnum"]["enum"] == ["met", "partly_met", "not_met"]
    assert "pathway" in enums["EvaluationThemeEnum"]["enum"]
