"""The joint programme of work through the API (issue 17 parts 4 and 7): `joint-programme/{year}/`
and `overlap-decisions/` are read by national admins, regional teams and hub staff (others 403,
anonymous 401); national admins record and change the way forward; bad input is 400 by field
(a pair that is not an overlap on `review`), a stale version 409, nothing changed; bounded."""

import datetime

import pytest

from priorities import services
from priorities.models import OverlapDecision

from .programme_helpers import include, make_crg, make_review, programme, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/"
READERS = ["nec_hub_officer", "london_hub_officer", "north_reviewer", "national_admin"]


@pytest.fixture
def review(national_admin):
    return make_review(national_admin)


@pytest.fixture
def priority(plan, sunderland_lead):
    return include(plan, sunderland_lead, "Two arterial centres", programme_of_care=programme())


@pytest.fixture
def decision(national_admin, priority, review):
    return services.overlap_agree(
        by=national_admin,
        proposal=priority,
        review=review,
        way_forward="proceeds",
        rationale="Outside the review's scope.",
    )


def test_anonymous_gets_401(api_client, decision):
    for url in [f"{API}joint-programme/2015/", f"{API}overlap-decisions/"]:
        assert api_client.get(url).status_code == 401


@pytest.mark.parametrize("name", ["roleless_user", "sunderland_lead"])
def test_others_get_403(api_client, request, name, decision, priority, review):
    api_client.force_authenticate(request.getfixturevalue(name))
    for url in [
        f"{API}joint-programme/2015/",
        f"{API}overlap-decisions/",
        f"{API}overlap-decisions/{decision.pk}/",
    ]:
        assert api_client.get(url).status_code == 403, url
    body = {"proposal": priority.pk, "review": review.pk, "way_forward": "waits", "rationale": "x"}
    assert api_client.post(f"{API}overlap-decisions/", body, format="json").status_code == 403


@pytest.mark.parametrize("name", READERS)
def test_readers_read_the_programme(api_client, request, name, decision, priority, review):
    api_client.force_authenticate(request.getfixturevalue(name))
    body = api_client.get(f"{API}joint-programme/2015/").json()
    assert body["year_label"] == "2015/16"
    assert [r["title"] for r in body["reviews"]] == [review.title]
    assert [(p["id"], p["hub"]) for p in body["priorities"]] == [
        (priority.pk, "north-east-and-cumbria")
    ]
    (overlap,) = body["overlaps"]
    assert (overlap["proposal"], overlap["review"]) == (priority.pk, review.pk)
    assert overlap["reason"] == "Same Programme of Care"
    assert overlap["decision"]["way_forward"] == "proceeds"
    listed = api_client.get(f"{API}overlap-decisions/", {"year": 2015}).json()["results"]
    assert [d["id"] for d in listed] == [decision.pk]
    assert api_client.get(f"{API}overlap-decisions/", {"year": 2016}).json()["results"] == []
    assert api_client.get(f"{API}overlap-decisions/", {"year": "x"}).status_code == 400
    assert api_client.get(f"{API}joint-programme/1999/").status_code == 404
    assert api_client.get(f"{API}overlap-decisions/999999/").status_code == 404
    if name != "national_admin":
        before = snapshot()
        url = f"{API}overlap-decisions/{decision.pk}/"
        body = {"way_forward": "waits", "rationale": "x", "version": 1}
        assert api_client.put(url, body, format="json").status_code == 403
        assert snapshot() == before


def test_national_admin_records_changes_and_is_refused(
    api_client, national_admin, plan, sunderland_lead, priority, review
):
    api_client.force_authenticate(national_admin)
    url = f"{API}overlap-decisions/"
    body = {"proposal": priority.pk, "review": review.pk, "way_forward": "waits"}
    before = snapshot()
    response = api_client.post(url, {**body, "rationale": "  "}, format="json")
    assert response.status_code == 400
    assert "rationale" in response.json()
    response = api_client.post(url, {**body, "rationale": "x" * 20_001}, format="json")
    assert "rationale" in response.json()
    response = api_client.post(url, {**body, "way_forward": "later", "rationale": "x"})
    assert "way_forward" in response.json()
    response = api_client.post(url, {**body, "proposal": 999999, "rationale": "x"})
    assert "proposal" in response.json()
    response = api_client.post(url, {**body, "review": 999999, "rationale": "x"})
    assert "review" in response.json()
    other = include(plan, sunderland_lead, "Trauma", programme_of_care=programme("Trauma"))
    response = api_client.post(url, {**body, "proposal": other.pk, "rationale": "x"})
    assert response.status_code == 400
    assert "does not overlap" in response.json()["review"][0]
    assert snapshot() == before
    response = api_client.post(url, {**body, "rationale": "Wait for the review."}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["way_forward"], created["version"], created["decided_by"]) == (
        "waits",
        1,
        "Nadia Shah",
    )
    # A second first record is a conflict, not a second decision.
    response = api_client.post(url, {**body, "rationale": "Again"}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    detail = f"{url}{created['id']}/"
    change = {"way_forward": "folded", "rationale": "Folded in.", "version": 1}
    response = api_client.put(detail, change, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    before = snapshot()
    response = api_client.put(detail, {**change, "way_forward": "proceeds"}, format="json")
    assert response.status_code == 409
    assert snapshot() == before
    assert api_client.delete(detail).status_code == 405
    assert OverlapDecision.objects.get().way_forward == "folded"


def test_api_is_bounded(
    api_client, national_admin, plan, sunderland_lead, django_assert_max_num_queries
):
    def grow(n, offset):
        crg = make_crg(national_admin, f"CRG {offset}")
        for i in range(n):
            p = include(plan, sunderland_lead, f"P {offset} {i}", programme_of_care=programme())
            r = make_review(
                national_admin,
                title=f"R {offset} {i}",
                crg=crg if i % 2 else None,
                start_date=datetime.date(2015, 6, 1),
            )
            services.overlap_agree(
                by=national_admin, proposal=p, review=r, way_forward="waits", rationale="x"
            )

    grow(2, 0)
    api_client.force_authenticate(national_admin)
    counts = {}
    for url in ["joint-programme/2015/", "overlap-decisions/"]:
        with django_assert_max_num_queries(12) as captured:
            assert api_client.get(f"{API}{url}", {"on": "1"}).status_code == 200
        counts[url] = len(captured)
    grow(8, 1)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            assert api_client.get(f"{API}{url}", {"on": "2"}).status_code == 200
