"""The priorities API: plans and proposals through their workflow, what each may list, and
delivery writes, with the same access and refusals as the pages."""

import pytest

from tests.priorities.helpers import (
    included,
    propose,
)

pytestmark = pytest.mark.django_db


# --- API ---------------------------------------------------------------------------------------


def test_plans_and_proposals_api(
    api_client, plan, nec_hub_officer, north_reviewer, sunderland_lead, london_hub_officer
):
    body = {
        "plan": plan.pk,
        "ccg": "00P",
        "title": "Via the API",
        "problem": "Evidence",
        "qipp_savings": "1000",
    }
    assert api_client.post("/api/v1/proposals/", body, format="json").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.post("/api/v1/proposals/", body, format="json").status_code == 400
    assert api_client.get("/api/v1/plans/").json()["count"] == 0
    api_client.force_authenticate(north_reviewer)
    assert api_client.post("/api/v1/proposals/", body, format="json").status_code == 403
    api_client.force_authenticate(sunderland_lead)
    bad = api_client.post("/api/v1/proposals/", {**body, "qipp_savings": "-5"}, format="json")
    assert bad.status_code == 400
    made = api_client.post("/api/v1/proposals/", body, format="json").json()
    act = f"/api/v1/proposals/{made['id']}/act/"
    submitted = api_client.post(
        act, {"action": "submit", "version": made["version"]}, format="json"
    )
    assert submitted.json()["status"] == "submitted"
    decide = {
        "action": "decide",
        "version": submitted.json()["version"],
        "status": "included",
        "rationale": "Good",
    }
    assert api_client.post(act, decide, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.post(act, decide, format="json").json()["status"] == "included"
    assert api_client.post(act, decide, format="json").status_code == 409
    scores = {"scores": {str(c.pk): 4 for c in plan.criteria.all()}}
    api_client.force_authenticate(sunderland_lead)
    assert (
        api_client.post(
            f"/api/v1/proposals/{made['id']}/scores/", scores, format="json"
        ).status_code
        == 403
    )  # neither an assessor nor the hub's staff
    api_client.force_authenticate(nec_hub_officer)
    assert (
        api_client.post(
            f"/api/v1/proposals/{made['id']}/scores/", scores, format="json"
        ).status_code
        == 400
    )  # the hub's staff may score, but only submitted proposals are scored
    step = {"step": "submit", "version": plan.version}
    api_client.force_authenticate(north_reviewer)
    assert api_client.post(f"/api/v1/plans/{plan.pk}/step/", step, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    moved = api_client.post(f"/api/v1/plans/{plan.pk}/step/", step, format="json")
    assert moved.json()["status"] == "submitted"
    api_client.force_authenticate(north_reviewer)
    assured = api_client.post(
        f"/api/v1/plans/{plan.pk}/step/",
        {"step": "assure", "version": moved.json()["version"], "override": True, "reason": "Why"},
        format="json",
    )
    assert assured.json()["status"] == "assured"


def test_proposals_api_lists_only_what_each_may_see(
    api_client, plan, nec_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    for i in range(30):
        propose(plan, sunderland_lead, title=f"P{i}")
    propose(plan, nec_hub_officer, ods=None, title="Hub idea")
    api_client.force_authenticate(sunderland_lead)
    with django_assert_max_num_queries(6):
        listed = api_client.get("/api/v1/proposals/", {"limit": 100}).json()
    assert listed["count"] == 30
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.get("/api/v1/proposals/").json()["count"] == 31


def test_delivery_api(api_client, plan, nec_hub_officer, north_reviewer, sunderland_lead):
    priority = included(plan, sunderland_lead, nec_hub_officer, "Vascular")
    milestone = {"proposal": priority.pk, "title": "Consultation", "due_date": "2015-06-30"}
    update = {
        "proposal": priority.pk,
        "rag": "amber",
        "commentary": "Delayed",
        "qipp_realised": "0",
        "reported_on": "2015-07-01",
    }
    api_client.force_authenticate(north_reviewer)
    assert api_client.post("/api/v1/milestones/", milestone, format="json").status_code == 403
    assert api_client.post("/api/v1/delivery-updates/", update, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    late = api_client.post(
        "/api/v1/milestones/", {**milestone, "due_date": "2016-06-30"}, format="json"
    )
    assert late.status_code == 400
    assert "due_date" in late.json()
    assert api_client.post("/api/v1/milestones/", milestone, format="json").status_code == 201
    assert api_client.post("/api/v1/delivery-updates/", update, format="json").status_code == 201
    api_client.force_authenticate(north_reviewer)
    assert api_client.get("/api/v1/milestones/").json()["count"] == 1
    assert api_client.get("/api/v1/delivery-updates/").json()["results"][0]["rag"] == "amber"
