"""Criteria management: add, rename, reweight and archive until scoring starts; archived
criteria leave scoring and the ranking; pages and API as a permission ladder."""

import pytest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from priorities import services
from priorities.models import Criterion
from tests.priorities.helpers import score_all, submitted

pytestmark = pytest.mark.django_db


def _start_scoring(plan, nec_hub_officer, sunderland_lead):
    services.assessor_add(by=nec_hub_officer, plan=plan, user=nec_hub_officer)
    score_all(nec_hub_officer, submitted(plan, sunderland_lead, "Scored"), 3)


def test_add_rename_reweight_and_archive(plan, nec_hub_officer):
    added = services.criterion_add(
        by=nec_hub_officer, plan=plan, name=" Equity of access ", weight=4
    )
    assert (added.name, added.weight, added.order) == ("Equity of access", 4, 6)
    renamed = services.criterion_update(
        by=nec_hub_officer, criterion=added, version=added.version, name="Equity", weight=5
    )
    assert (renamed.name, renamed.weight, renamed.version) == ("Equity", 5, 2)
    archived = services.criterion_archive(
        by=nec_hub_officer, criterion=renamed, version=renamed.version
    )
    assert archived.archived
    assert Criterion.objects.filter(pk=added.pk).exists()  # kept on record
    assert "Equity" not in [c.name for c in plan.criteria.active()]
    # an archived name is free again among the active criteria
    services.criterion_add(by=nec_hub_officer, plan=plan, name="Equity", weight=2)
    assert archived.history.count() == 3
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"criteria.added", "criteria.changed", "criteria.archived"} <= verbs


@pytest.mark.parametrize(
    ("name", "weight", "field", "message"),
    [
        ("", 3, "name", "Enter the criterion's name"),
        ("quality and outcomes", 3, "name", "already has a criterion called"),
        ("New", 0, "weight", "from 1 to 10"),
        ("New", 11, "weight", "from 1 to 10"),
    ],
)
def test_bad_criteria_are_refused(plan, nec_hub_officer, name, weight, field, message):
    before = list(plan.criteria.values_list("name", "weight"))
    with pytest.raises(services.PlanError, match=message) as raised:
        services.criterion_add(by=nec_hub_officer, plan=plan, name=name, weight=weight)
    assert raised.value.field == field
    assert list(plan.criteria.values_list("name", "weight")) == before


def test_renaming_onto_another_active_name_is_refused(plan, nec_hub_officer):
    first, second = plan.criteria.all()[:2]
    with pytest.raises(services.PlanError, match="already has a criterion") as raised:
        services.criterion_update(
            by=nec_hub_officer, criterion=second, version=second.version, name=first.name
        )
    assert raised.value.field == "name"


def test_criteria_are_fixed_once_scoring_starts(plan, nec_hub_officer, sunderland_lead):
    first = plan.criteria.first()
    _start_scoring(plan, nec_hub_officer, sunderland_lead)
    refusals = [
        lambda: services.criterion_add(by=nec_hub_officer, plan=plan, name="Late", weight=1),
        lambda: services.criterion_update(
            by=nec_hub_officer, criterion=first, version=first.version, name="Renamed"
        ),
        lambda: services.criterion_archive(
            by=nec_hub_officer, criterion=first, version=first.version
        ),
    ]
    for refuse in refusals:
        with pytest.raises(services.PlanError, match="Scoring has started"):
            refuse()
    first.refresh_from_db()
    assert (first.name, first.archived, plan.criteria.count()) == (
        "Reducing inequalities",
        False,
        6,
    )


def test_the_last_criterion_cannot_be_archived(plan, nec_hub_officer):
    criteria = list(plan.criteria.all())
    for c in criteria[:-1]:
        services.criterion_archive(by=nec_hub_officer, criterion=c, version=c.version)
    last = criteria[-1]
    with pytest.raises(services.PlanError, match="at least one"):
        services.criterion_archive(by=nec_hub_officer, criterion=last, version=last.version)


def test_stale_criterion_edits_are_refused(plan, nec_hub_officer):
    first = plan.criteria.first()
    stale = first.version
    services.criterion_update(by=nec_hub_officer, criterion=first, version=stale, weight=7)
    with pytest.raises(ConflictError):
        services.criterion_update(by=nec_hub_officer, criterion=first, version=stale, weight=9)
    with pytest.raises(ConflictError):
        services.criterion_archive(by=nec_hub_officer, criterion=first, version=stale)
    first.refresh_from_db()
    assert (first.weight, first.archived) == (7, False)


def test_archived_criteria_leave_scoring_and_ranking(
    plan, nec_hub_officer, north_reviewer, sunderland_lead
):
    criteria = list(plan.criteria.all())
    gone = criteria[0]  # "Reducing inequalities", weight 3
    services.criterion_archive(by=nec_hub_officer, criterion=gone, version=gone.version)
    services.assessor_add(by=nec_hub_officer, plan=plan, user=nec_hub_officer)
    proposal = submitted(plan, sunderland_lead, "A")
    with pytest.raises(services.PlanError, match="Score every criterion"):
        services.scores_record(
            by=nec_hub_officer, proposal=proposal, scores={c.pk: (5, "") for c in criteria}
        )
    score_all(nec_hub_officer, proposal, 5)
    assert not proposal.scores.filter(criterion=gone).exists()
    assert services.ranking(plan)[0].weighted == 100.0


def test_weights_are_saved_together_or_not_at_all(plan, nec_hub_officer):
    first, second = plan.criteria.all()[:2]
    with pytest.raises(services.PlanError) as raised:
        services.criteria_set_weights(
            by=nec_hub_officer,
            plan=plan,
            weights={first.pk: (first.version, 8), second.pk: (second.version, 40)},
        )
    assert raised.value.field == f"weight-{second.pk}"
    first.refresh_from_db()
    assert first.weight == 3


# --- the criteria page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),
        ("london_hub_officer", 404),
        ("sunderland_lead", 403),
        ("north_reviewer", 200),
        ("nec_hub_officer", 200),
    ],
)
def test_criteria_page_ladder(client, request, plan, persona, status):
    criterion = plan.criteria.first()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("priorities:criteria", args=[plan.pk]))
    assert page.status_code == status
    if status == 200:
        assert "Reducing inequalities" in page.content.decode()
    writer = persona == "nec_hub_officer"
    add = client.post(
        reverse("priorities:criteria", args=[plan.pk]),
        {"form": "add", "add-name": "Equity", "add-weight": "2"},
    )
    assert add.status_code == (302 if writer else {200: 403}.get(status, status))
    rename = client.post(
        reverse("priorities:criterion-rename", args=[criterion.pk]),
        {"name": "Inequalities", "version": criterion.version},
    )
    assert rename.status_code == (302 if writer else {200: 403}.get(status, status))
    archive = client.post(
        reverse("priorities:criterion-archive", args=[criterion.pk]),
        {"version": criterion.version + (1 if writer else 0)},
    )
    assert archive.status_code == (302 if writer else {200: 403}.get(status, status))
    criterion.refresh_from_db()
    assert plan.criteria.filter(name="Equity").exists() == writer
    assert criterion.name == ("Inequalities" if writer else "Reducing inequalities")
    assert criterion.archived == writer


def test_criteria_page_refusals_sit_by_the_field(client, plan, nec_hub_officer, sunderland_lead):
    url = reverse("priorities:criteria", args=[plan.pk])
    client.force_login(nec_hub_officer)
    clash = client.post(url, {"form": "add", "add-name": "Sustainability", "add-weight": "2"})
    html = clash.content.decode()
    assert 'id="id_add-name_error"' in html
    assert "already has a criterion called" in html
    assert plan.criteria.count() == 6
    first = plan.criteria.first()
    data = {"form": "weights"}
    for c in plan.criteria.all():
        data.update({f"weight-{c.pk}": str(c.weight), f"version-{c.pk}": str(c.version)})
    _start_scoring(plan, nec_hub_officer, sunderland_lead)
    late = client.post(url, {**data, f"weight-{first.pk}": "9"})
    html = late.content.decode()
    assert f'id="id_weight-{first.pk}_error"' in html
    assert "Scoring has started" in html
    first.refresh_from_db()
    assert first.weight == 3
    assert "the criteria and their weights are fixed" in client.get(url).content.decode()


def test_a_stale_weights_form_is_refused_and_shows_the_change(client, plan, nec_hub_officer):
    url = reverse("priorities:criteria", args=[plan.pk])
    first = plan.criteria.first()
    data = {"form": "weights"}
    for c in plan.criteria.all():
        data.update({f"weight-{c.pk}": str(c.weight), f"version-{c.pk}": str(c.version)})
    services.criterion_update(by=nec_hub_officer, criterion=first, version=first.version, weight=6)
    client.force_login(nec_hub_officer)
    refused = client.post(url, {**data, f"weight-{first.pk}": "9"})
    assert "saved this while you were editing" in refused.content.decode()
    first.refresh_from_db()
    assert first.weight == 6
    again = client.post(url, {**data, f"weight-{first.pk}": "9", f"version-{first.pk}": "2"})
    assert again.status_code == 302


def test_criteria_page_queries_are_bounded(
    client, plan, nec_hub_officer, django_assert_max_num_queries
):
    for i in range(30):
        services.criterion_add(by=nec_hub_officer, plan=plan, name=f"Extra {i}", weight=1)
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("priorities:criteria", args=[plan.pk]))
    assert len(page.context["criteria"]) == 36


# --- API -----------------------------------------------------------------------------------


def test_criteria_api_ladder(
    api_client, plan, nec_hub_officer, north_reviewer, sunderland_lead, london_hub_officer
):
    criterion = plan.criteria.first()
    body = {"plan": plan.pk, "name": "Equity", "weight": 2}
    patch = f"/api/v1/criteria/{criterion.pk}/"
    archive = f"/api/v1/criteria/{criterion.pk}/archive/"
    assert api_client.get("/api/v1/criteria/").status_code == 401
    assert api_client.post("/api/v1/criteria/", body, format="json").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get("/api/v1/criteria/").json()["count"] == 0
    assert api_client.post("/api/v1/criteria/", body, format="json").status_code == 400
    assert api_client.patch(patch, {"version": 1, "weight": 9}, format="json").status_code == 404
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get("/api/v1/criteria/").json()["count"] == 0
    assert api_client.post("/api/v1/criteria/", body, format="json").status_code == 403
    assert api_client.patch(patch, {"version": 1, "weight": 9}, format="json").status_code == 403
    assert api_client.post(archive, {"version": 1}, format="json").status_code == 403
    api_client.force_authenticate(north_reviewer)
    assert api_client.get("/api/v1/criteria/", {"plan": plan.pk}).json()["count"] == 6
    assert api_client.patch(patch, {"version": 1, "weight": 9}, format="json").status_code == 403
    criterion.refresh_from_db()
    assert (criterion.weight, plan.criteria.count()) == (3, 6)
    api_client.force_authenticate(nec_hub_officer)
    made = api_client.post("/api/v1/criteria/", body, format="json")
    assert made.status_code == 201
    assert made.json()["name"] == "Equity"
    clash = api_client.post("/api/v1/criteria/", body, format="json")
    assert clash.status_code == 400
    assert "name" in clash.json()
    changed = api_client.patch(
        patch, {"version": 1, "weight": 9, "name": "Fairness"}, format="json"
    )
    assert changed.json()["weight"] == 9
    assert api_client.patch(patch, {"version": 1, "weight": 2}, format="json").status_code == 409
    bad = api_client.patch(patch, {"version": 2, "weight": 11}, format="json")
    assert bad.status_code == 400
    assert "weight" in bad.json()
    assert api_client.post(archive, {"version": 1}, format="json").status_code == 409
    done = api_client.post(archive, {"version": 2}, format="json")
    assert done.json()["archived"] is True
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight, criterion.archived) == ("Fairness", 9, True)
    active = api_client.get("/api/v1/criteria/", {"plan": plan.pk, "archived": "false"}).json()
    assert active["count"] == 6


def test_assessors_api_ladder(
    api_client, plan, nec_hub_officer, north_reviewer, sunderland_lead, london_hub_officer
):
    body = {"plan": plan.pk, "email": north_reviewer.email}
    assert api_client.post("/api/v1/assessors/", body, format="json").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.post("/api/v1/assessors/", body, format="json").status_code == 400
    api_client.force_authenticate(sunderland_lead)
    assert api_client.post("/api/v1/assessors/", body, format="json").status_code == 403
    api_client.force_authenticate(north_reviewer)
    assert api_client.post("/api/v1/assessors/", body, format="json").status_code == 403
    assert not plan.assessors.exists()
    api_client.force_authenticate(nec_hub_officer)
    unknown = api_client.post(
        "/api/v1/assessors/", {**body, "email": "nobody@example.nhs.uk"}, format="json"
    )
    assert unknown.status_code == 400
    assert "email" in unknown.json()
    added = api_client.post("/api/v1/assessors/", body, format="json")
    assert added.status_code == 201
    assert added.json()["email"] == north_reviewer.email
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get("/api/v1/assessors/").json()["count"] == 0
    api_client.force_authenticate(north_reviewer)
    assert api_client.get("/api/v1/assessors/", {"plan": plan.pk}).json()["count"] == 1
