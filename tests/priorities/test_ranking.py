"""Assessment (issue 4): default criteria and weights, the ranking and its spread, who scores,
the weights form and decisions from the ranking, with bounded queries."""

import pytest
from django.urls import reverse

from priorities import services
from priorities.models import Proposal
from tests.priorities.helpers import (
    score_all,
    submitted,
)

pytestmark = pytest.mark.django_db


# --- assessment -----------------------------------------------------------------------------


def test_default_criteria_and_weights_lock_once_scoring_starts(
    plan, nec_hub_officer, sunderland_lead
):
    assert [c.name for c in plan.criteria.all()][:2] == [
        "Reducing inequalities",
        "Quality and outcomes",
    ]
    first = plan.criteria.first()
    first = services.criterion_update(
        by=nec_hub_officer, criterion=first, version=first.version, weight=5
    )
    with pytest.raises(services.PlanError, match="1 to 10"):
        services.criterion_update(
            by=nec_hub_officer, criterion=first, version=first.version, weight=11
        )
    services.assessor_add(by=nec_hub_officer, plan=plan, user=nec_hub_officer)
    score_all(nec_hub_officer, submitted(plan, sunderland_lead, "A"), 3)
    with pytest.raises(services.PlanError, match="Scoring has started"):
        services.criterion_update(
            by=nec_hub_officer, criterion=first, version=first.version, weight=2
        )


def test_ranking_weighs_averages_and_spreads(
    plan, nec_hub_officer, north_reviewer, sunderland_lead
):
    services.assessor_add(by=nec_hub_officer, plan=plan, user=nec_hub_officer)
    services.assessor_add(by=nec_hub_officer, plan=plan, user=north_reviewer)
    strong = submitted(plan, sunderland_lead, "Strong")
    weak = submitted(plan, sunderland_lead, "Weak")
    score_all(nec_hub_officer, strong, 5)
    score_all(north_reviewer, strong, 3)
    score_all(nec_hub_officer, weak, 1)
    rows = services.ranking(plan)
    assert [r.proposal.title for r in rows] == ["Strong", "Weak"]
    assert (rows[0].weighted, rows[0].spread, rows[0].assessors) == (80.0, 40.0, 2)
    assert (rows[1].weighted, rows[1].spread) == (20.0, 0.0)
    score_all(north_reviewer, strong, 5)  # re-scoring replaces only one's own scores
    assert services.ranking(plan)[0].weighted == 100.0


def test_scoring_rules(plan, nec_hub_officer, london_hub_officer, sunderland_lead):
    proposal = submitted(plan, sunderland_lead, "A")
    with pytest.raises(services.PlanError, match=r"Only the plan.s assessors and the hub.s staff"):
        score_all(london_hub_officer, proposal, 3)
    services.assessor_add(by=nec_hub_officer, plan=plan, user=nec_hub_officer)
    with pytest.raises(services.PlanError, match="from 0 to 5"):
        score_all(nec_hub_officer, proposal, 6)
    with pytest.raises(services.PlanError, match="Score every criterion"):
        services.scores_record(by=nec_hub_officer, proposal=proposal, scores={})
    assert not proposal.scores.exists()


def test_an_outside_assessor_sees_the_plan_they_assess(
    client, plan, nec_hub_officer, london_hub_officer, sunderland_lead
):
    proposal = submitted(plan, sunderland_lead, "A")
    client.force_login(london_hub_officer)
    assert client.get(plan.get_absolute_url()).status_code == 404
    services.assessor_add(by=nec_hub_officer, plan=plan, user=london_hub_officer)
    assert client.get(reverse("priorities:ranking", args=[plan.pk])).status_code == 200
    url = reverse("priorities:proposal-score", args=[proposal.pk])
    data = {f"score-{c.pk}": "4" for c in plan.criteria.all()}
    bad = client.post(url, {**data, f"score-{plan.criteria.first().pk}": ""})
    assert "from 0 to 5" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    assert proposal.scores.count() == plan.criteria.count()


def test_ranking_queries_are_bounded(
    client, plan, nec_hub_officer, north_reviewer, sunderland_lead, django_assert_max_num_queries
):
    services.assessor_add(by=nec_hub_officer, plan=plan, user=nec_hub_officer)
    services.assessor_add(by=nec_hub_officer, plan=plan, user=north_reviewer)
    for i in range(100):
        proposal = submitted(plan, sunderland_lead, f"P{i}")
        if i < 30:
            score_all(nec_hub_officer, proposal, i % 6)
            score_all(north_reviewer, proposal, 5 - i % 6)
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("priorities:ranking", args=[plan.pk]))
    assert len(page.context["rows"]) == 100


def test_weights_form(client, plan, nec_hub_officer, north_reviewer, sunderland_lead):
    first = plan.criteria.first()
    url = reverse("priorities:criteria", args=[plan.pk])
    data = {"form": "weights"}
    for c in plan.criteria.all():
        data.update({f"weight-{c.pk}": str(c.weight), f"version-{c.pk}": str(c.version)})
    client.force_login(north_reviewer)
    assert client.post(url, {**data, f"weight-{first.pk}": "9"}).status_code == 403
    client.force_login(nec_hub_officer)
    refused = client.post(url, {**data, f"weight-{first.pk}": "12"})
    assert f'id="id_weight-{first.pk}_error"' in refused.content.decode()
    first.refresh_from_db()
    assert first.weight != 12
    assert client.post(url, {**data, f"weight-{first.pk}": "9"}).status_code == 302
    first.refresh_from_db()
    assert first.weight == 9


def test_decision_errors_sit_by_the_field(client, plan, nec_hub_officer, sunderland_lead):
    proposal = submitted(plan, sunderland_lead, "A")
    client.force_login(nec_hub_officer)
    url = reverse("priorities:proposal-action", args=[proposal.pk, "decide"])
    response = client.post(
        url, {"version": proposal.version, "status": "included", "rationale": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_rationale_error"' in html
    assert "Give the group" in html
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    comment = client.post(
        reverse("priorities:proposal-action", args=[proposal.pk, "comment"]), {"body": ""}
    )
    assert 'id="id_body_error"' in comment.content.decode()
