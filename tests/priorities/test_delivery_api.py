"""API: plan sections, deliveries and milestone status, each a permission ladder with the
version lock (409 on a stale version, nothing changed) and refusals keyed by field."""

import datetime
from decimal import Decimal

import pytest

from priorities import services
from priorities.models import Delivery, Milestone
from tests.priorities.helpers import included

pytestmark = pytest.mark.django_db

LADDER = ["london_hub_officer", "sunderland_lead", "north_reviewer"]
REFUSED = {"london_hub_officer": 404, "sunderland_lead": 403, "north_reviewer": 403}


def test_plan_sections_api(api_client, request, plan, nec_hub_officer):
    url = f"/api/v1/plans/{plan.pk}/"
    body = {"version": plan.version, "context": "Our context", "risks": "Workforce"}
    assert api_client.patch(url, body, format="json").status_code == 401
    for persona in LADDER:
        api_client.force_authenticate(request.getfixturevalue(persona))
        assert api_client.patch(url, body, format="json").status_code == REFUSED[persona]
    plan.refresh_from_db()
    assert plan.context == ""
    api_client.force_authenticate(nec_hub_officer)
    saved = api_client.patch(url, body, format="json")
    assert saved.status_code == 200
    assert (saved.json()["context"], saved.json()["risks"]) == ("Our context", "Workforce")
    stale = api_client.patch(url, {**body, "context": "Overwrite"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == saved.json()["version"]
    plan.refresh_from_db()
    assert plan.context == "Our context"
    services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan.refresh_from_db()
    frozen = api_client.patch(url, {"version": plan.version, "finance": "x"}, format="json")
    assert frozen.status_code == 400
    assert "reopen it" in frozen.json()["non_field_errors"][0]


@pytest.fixture
def priority(plan, nec_hub_officer, sunderland_lead):
    return included(plan, sunderland_lead, nec_hub_officer, "Vascular")


def test_deliveries_api(api_client, request, plan, priority, nec_hub_officer, london_hub_officer):
    body = {"proposal": priority.pk, "lead": "Dr Mehta", "kpis": "Mortality", "qipp_target": "5000"}
    assert api_client.post("/api/v1/deliveries/", body, format="json").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.post("/api/v1/deliveries/", body, format="json").status_code == 400
    for persona in ("sunderland_lead", "north_reviewer"):
        api_client.force_authenticate(request.getfixturevalue(persona))
        assert api_client.post("/api/v1/deliveries/", body, format="json").status_code == 403
    assert not Delivery.objects.exists()
    api_client.force_authenticate(nec_hub_officer)
    negative = api_client.post("/api/v1/deliveries/", {**body, "qipp_target": "-1"}, format="json")
    assert negative.status_code == 400
    assert "qipp_target" in negative.json()
    made = api_client.post("/api/v1/deliveries/", body, format="json")
    assert made.status_code == 201
    again = api_client.post("/api/v1/deliveries/", body, format="json")
    assert again.status_code == 400
    url = f"/api/v1/deliveries/{made.json()['id']}/"
    patch = {"version": made.json()["version"], "lead": "Ms Okafor"}
    for persona in LADDER:
        api_client.force_authenticate(request.getfixturevalue(persona))
        assert api_client.patch(url, patch, format="json").status_code == REFUSED[persona]
    api_client.force_authenticate(request.getfixturevalue("sunderland_lead"))
    assert api_client.get(url).json()["lead"] == "Dr Mehta"  # their CCG's priority
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get(url).status_code == 404
    assert api_client.get("/api/v1/deliveries/").json()["count"] == 0
    api_client.force_authenticate(nec_hub_officer)
    changed = api_client.patch(url, patch, format="json").json()
    assert (changed["lead"], changed["kpis"], changed["qipp_target"]) == (
        "Ms Okafor",
        "Mortality",
        "5000",
    )
    assert api_client.patch(url, {**patch, "lead": "Dr X"}, format="json").status_code == 409
    slip = api_client.patch(
        url, {"version": changed["version"], "qipp_target": "5000000000"}, format="json"
    )
    assert slip.status_code == 400
    delivery = Delivery.objects.get()
    assert (delivery.lead, delivery.qipp_target) == ("Ms Okafor", Decimal(5000))


def test_milestone_status_api(api_client, request, priority, nec_hub_officer):
    milestone = services.milestone_add(
        by=nec_hub_officer,
        proposal=priority,
        title="Consultation",
        due_date=datetime.date(2015, 6, 1),
    )
    url = f"/api/v1/milestones/{milestone.pk}/"
    body = {"version": milestone.version, "status": "done"}
    assert api_client.patch(url, body, format="json").status_code == 401
    for persona in LADDER:
        api_client.force_authenticate(request.getfixturevalue(persona))
        assert api_client.patch(url, body, format="json").status_code == REFUSED[persona]
    api_client.force_authenticate(nec_hub_officer)
    bad = api_client.patch(url, {**body, "status": "finished"}, format="json")
    assert bad.status_code == 400
    assert "status" in bad.json()
    done = api_client.patch(url, body, format="json")
    assert done.json()["status"] == "done"
    stale = api_client.patch(url, {**body, "status": "missed"}, format="json")
    assert stale.status_code == 409
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE


def test_delivery_api_lists_are_bounded(
    api_client, plan, nec_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    for i in range(40):
        priority = included(plan, sunderland_lead, nec_hub_officer, f"Priority {i}")
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            lead="L",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(1),
        )
    api_client.force_authenticate(nec_hub_officer)
    with django_assert_max_num_queries(6):
        listed = api_client.get("/api/v1/deliveries/", {"limit": 100}).json()
    assert listed["count"] == 40
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/criteria/").json()["count"] == 6
