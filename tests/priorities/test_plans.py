"""Priorities plans (issue 4, first slice): the plan's workflow and frozen versions, and CCG
proposals from draft to the group's decision, with access and bounded queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from commissioning.concurrency import ConflictError
from priorities import services
from priorities.models import PlanVersion, PrioritiesPlan, Proposal
from tests.priorities.helpers import (
    included,
    propose,
    score_all,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_one_plan_per_group_and_year(plan, nec_hub_officer):
    assert plan.year_label == "2015/16"
    with pytest.raises(services.PlanError, match="already has a plan for 2015/16"):
        services.plan_create(by=nec_hub_officer, group=plan.group, year=2015)


def test_workflow_freezes_versions(plan, nec_hub_officer, north_reviewer, sunderland_lead):
    proposal = propose(plan, sunderland_lead)
    services.proposal_submit(by=sunderland_lead, proposal=proposal, version=proposal.version)
    proposal.refresh_from_db()
    services.proposal_decide(
        by=nec_hub_officer,
        proposal=proposal,
        version=proposal.version,
        status="included",
        rationale="Strong evidence",
    )
    plan = services.plan_update(
        by=nec_hub_officer, plan=plan, version=plan.version, context="Our context"
    )
    plan = services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    with pytest.raises(services.PlanError, match="reopen it"):
        services.plan_update(by=nec_hub_officer, plan=plan, version=plan.version, context="x")
    frozen = PlanVersion.objects.get()
    assert frozen.content["sections"]["context"] == "Our context"
    assert [p["title"] for p in frozen.content["priorities"]] == ["Vascular surgery"]
    assert frozen.content["governance"]["footprint"] == 11
    plan = services.plan_assure(by=north_reviewer, plan=plan, version=plan.version)
    plan = services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    assert plan.status == PrioritiesPlan.Status.PUBLISHED
    with pytest.raises(services.PlanError, match="reason"):
        services.plan_reopen(by=nec_hub_officer, plan=plan, version=plan.version, reason=" ")
    plan = services.plan_reopen(
        by=nec_hub_officer, plan=plan, version=plan.version, reason="Correct the QIPP figures"
    )
    services.plan_update(by=nec_hub_officer, plan=plan, version=plan.version, context="Changed")
    first = PlanVersion.objects.get(number=1)
    assert first.content["sections"]["context"] == "Our context"  # frozen as it was
    assert PlanVersion.objects.count() == 2


def test_plan_steps_in_the_wrong_order_are_refused(plan, nec_hub_officer):
    with pytest.raises(services.PlanError, match="cannot be assured"):
        services.plan_assure(by=nec_hub_officer, plan=plan, version=plan.version)
    stale = plan.version
    services.plan_update(by=nec_hub_officer, plan=plan, version=stale, risks="New risk")
    with pytest.raises(ConflictError):
        services.plan_update(by=nec_hub_officer, plan=plan, version=stale, risks="Other")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"qipp_savings": Decimal(-5)}, "qipp_savings", "cannot be negative"),
        ({"costs": Decimal(5_000_000_000)}, "costs", "typing slip"),
    ],
)
def test_bad_money_is_refused(plan, sunderland_lead, fields, field, message):
    with pytest.raises(services.PlanError, match=message) as raised:
        propose(plan, sunderland_lead, **fields)
    assert raised.value.field == field
    assert not Proposal.objects.exists()


def test_proposal_lifecycle(plan, nec_hub_officer, sunderland_lead):
    proposal = propose(plan, sunderland_lead)
    services.proposal_submit(by=sunderland_lead, proposal=proposal, version=proposal.version)
    proposal.refresh_from_db()
    with pytest.raises(services.PlanError, match="cannot be changed"):
        services.proposal_update(
            by=sunderland_lead,
            proposal=proposal,
            version=proposal.version,
            title="New",
            problem="p",
        )
    services.proposal_request_info(
        by=nec_hub_officer,
        proposal=proposal,
        version=proposal.version,
        message="What are the costs?",
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.INFO_REQUESTED
    assert proposal.comments.get().body == "What are the costs?"
    services.proposal_update(
        by=sunderland_lead,
        proposal=proposal,
        version=proposal.version,
        title="Vascular surgery",
        problem="Too many small units",
        costs=Decimal(100000),
    )
    proposal.refresh_from_db()
    services.proposal_submit(by=sunderland_lead, proposal=proposal, version=proposal.version)
    proposal.refresh_from_db()
    with pytest.raises(services.PlanError, match="rationale"):
        services.proposal_decide(
            by=nec_hub_officer,
            proposal=proposal,
            version=proposal.version,
            status="deferred",
            rationale="",
        )
    services.proposal_decide(
        by=nec_hub_officer,
        proposal=proposal,
        version=proposal.version,
        status="deferred",
        rationale="Next year",
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DEFERRED
    assert proposal.history.count() >= 5


@pytest.mark.parametrize(
    ("persona", "plan_page", "own_proposal", "edit", "decide"),
    [
        ("london_hub_officer", 404, 404, 404, 404),
        ("north_reviewer", 200, 200, 403, 403),
        ("sunderland_lead", 200, 200, 200, 403),
        # Allowed, but refused by the rules: the proposal awaits more information.
        ("nec_hub_officer", 200, 200, 403, 200),
    ],
)
def test_access_ladder(
    client, request, plan, sunderland_lead, persona, plan_page, own_proposal, edit, decide
):
    proposal = propose(plan, sunderland_lead)
    services.proposal_submit(by=sunderland_lead, proposal=proposal, version=proposal.version)
    proposal.refresh_from_db()
    services.proposal_request_info(
        by=request.getfixturevalue("nec_hub_officer"),
        proposal=proposal,
        version=proposal.version,
        message="More",
    )
    proposal.refresh_from_db()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(plan.get_absolute_url()).status_code == plan_page
    assert client.get(proposal.get_absolute_url()).status_code == own_proposal
    assert client.get(reverse("priorities:proposal-edit", args=[proposal.pk])).status_code == edit
    decided = client.post(
        reverse("priorities:proposal-action", args=[proposal.pk, "decide"]),
        {"version": proposal.version, "status": "included", "rationale": "Yes"},
    )
    assert decided.status_code == decide


def test_ccg_leads_see_only_their_own_proposals(client, plan, nec_hub_officer, sunderland_lead):
    theirs = propose(plan, sunderland_lead)
    hubs_own = propose(plan, nec_hub_officer, ods=None, title="Hub idea")
    client.force_login(sunderland_lead)
    page = client.get(plan.get_absolute_url())
    assert [p.pk for p in page.context["proposals"]] == [theirs.pk]
    assert client.get(hubs_own.get_absolute_url()).status_code == 404


def test_proposal_form_errors_sit_by_the_field(client, plan, sunderland_lead):
    client.force_login(sunderland_lead)
    response = client.post(
        reverse("priorities:proposal-create", args=[plan.pk]),
        {"title": "", "problem": "", "qipp_savings": "-1", "costs": "0"},
    )
    html = response.content.decode()
    for field in ("title", "problem", "qipp_savings"):
        assert f'id="id_{field}_error"' in html
    assert not Proposal.objects.exists()


def test_plan_page_queries_are_bounded(
    client, plan, nec_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    for i in range(100):
        proposal = propose(plan, sunderland_lead, title=f"Priority {i}")
        if i < 40:
            Proposal.objects.filter(pk=proposal.pk).update(status="included", rationale="ok")
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(16):
        page = client.get(plan.get_absolute_url())
    assert len(page.context["included"]) == 40
    assert len(page.context["proposals"]) == 100


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
    with pytest.raises(services.PlanError, match="Only the plan's assessors"):
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


# --- cross-hub view ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sunderland_lead", "nec_hub_officer", "roleless_user"])
def test_cross_hub_view_is_for_regions_and_national(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("priorities:cross-hub")).status_code == 403


def test_cross_hub_view(
    client,
    plan,
    nec_hub_officer,
    north_reviewer,
    national_admin,
    sunderland_lead,
    django_assert_max_num_queries,
):
    from hubs.models import ProgrammeOfCare

    cancer = ProgrammeOfCare.objects.get(name="Cancer")
    for i in range(12):
        proposal = submitted(plan, sunderland_lead, f"Cancer priority {i}")
        Proposal.objects.filter(pk=proposal.pk).update(
            status="included", rationale="ok", programme_of_care=cancer
        )
    client.force_login(north_reviewer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("priorities:cross-hub"), {"year": "2015"})
    rows = {r["hub"].slug: r["plan"] for r in page.context["rows"]}
    assert set(rows) == {"north-east-and-cumbria", "north-west", "yorkshire-and-humber"}
    nec = rows["north-east-and-cumbria"]
    assert (nec.proposal_count, nec.included_count, nec.qipp) == (12, 12, Decimal(3000000))
    assert [name for name, _ in page.context["themes"]] == ["Cancer"]
    client.force_login(national_admin)
    assert len(client.get(reverse("priorities:cross-hub")).context["rows"]) == 10


# --- PDF ---------------------------------------------------------------------------------------


def test_plan_pdf_shows_the_plan_and_knows_when_it_is_stale(
    client, plan, nec_hub_officer, sunderland_lead, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    from exports.models import Export

    proposal = submitted(plan, sunderland_lead, "Two arterial centres")
    services.proposal_decide(
        by=nec_hub_officer,
        proposal=proposal,
        version=proposal.version,
        status="included",
        rationale="Yes",
    )
    client.force_login(sunderland_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("priorities:plan-pdf", args=[plan.pk]))
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert export.status == Export.Status.READY, export.error
    pages = PdfReader(export.file.open("rb")).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Priorities plan 2015/16" in text
    assert "Two arterial centres" in text
    assert "Page 1 of" in text
    assert not export.is_stale
    plan.refresh_from_db()
    services.plan_update(by=nec_hub_officer, plan=plan, version=plan.version, risks="New")
    assert export.is_stale
    assert b"Out of date" in client.get(export.get_absolute_url()).content


def test_next_years_plan_carries_included_priorities(plan, nec_hub_officer, sunderland_lead):
    kept = submitted(plan, sunderland_lead, "Kept")
    services.proposal_decide(
        by=nec_hub_officer, proposal=kept, version=kept.version, status="included", rationale="Yes"
    )
    dropped = submitted(plan, sunderland_lead, "Dropped")
    services.proposal_decide(
        by=nec_hub_officer,
        proposal=dropped,
        version=dropped.version,
        status="not_included",
        rationale="No",
    )
    first = plan.criteria.first()
    services.criterion_update(by=nec_hub_officer, criterion=first, version=first.version, weight=7)
    new = services.plan_roll_forward(by=nec_hub_officer, plan=plan)
    assert new.year_label == "2016/17"
    carried = new.proposals.get()
    assert (carried.title, carried.status) == ("Kept", Proposal.Status.DRAFT)
    assert "Carried forward from 2015/16" in carried.benefits
    assert new.criteria.get(name=first.name).weight == 7
    assert plan.proposals.count() == 2  # the old plan is untouched
    with pytest.raises(services.PlanError, match="already has a plan for 2016/17"):
        services.plan_roll_forward(by=nec_hub_officer, plan=plan)


def test_proposals_csv_respects_access(client, plan, nec_hub_officer, sunderland_lead):
    import csv
    import io

    submitted(plan, sunderland_lead, "Theirs")
    propose(plan, nec_hub_officer, ods=None, title="Hub idea")
    client.force_login(sunderland_lead)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("priorities:plan-csv", args=[plan.pk])).content.decode())
        )
    )
    assert [r[0] for r in rows] == ["Title", "Theirs"]
    client.force_login(nec_hub_officer)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("priorities:plan-csv", args=[plan.pk])).content.decode())
        )
    )
    assert [r[0] for r in rows[1:]] == ["Hub idea", "Theirs"]


# --- delivery monitoring ----------------------------------------------------------------------


def test_delivery_rules(plan, nec_hub_officer, sunderland_lead):
    draft = propose(plan, sunderland_lead, title="Not yet included")
    with pytest.raises(services.PlanError, match="Only priorities included"):
        services.milestone_add(
            by=nec_hub_officer, proposal=draft, title="M", due_date=datetime.date(2015, 6, 1)
        )
    priority = included(plan, sunderland_lead, nec_hub_officer, "Vascular")
    with pytest.raises(services.PlanError, match="must fall in 2015/16") as raised:
        services.milestone_add(
            by=nec_hub_officer,
            proposal=priority,
            title="Too late",
            due_date=datetime.date(2016, 4, 1),
        )
    assert raised.value.field == "due_date"
    with pytest.raises(services.PlanError, match="cannot be negative"):
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            lead="X",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(-1),
        )
    delivery = services.delivery_set(
        by=nec_hub_officer,
        proposal=priority,
        lead="Dr Mehta",
        subgroup=None,
        kpis="30-day mortality",
        qipp_target=Decimal(200000),
    )
    stale = delivery.version
    services.delivery_set(
        by=nec_hub_officer,
        proposal=priority,
        version=stale,
        lead="A",
        subgroup=None,
        kpis="",
        qipp_target=Decimal(1),
    )
    with pytest.raises(ConflictError):
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            version=stale,
            lead="B",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(2),
        )


def test_dashboard_figures(
    client, plan, nec_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    today = datetime.date(2015, 10, 1)
    for i in range(40):
        priority = included(plan, sunderland_lead, nec_hub_officer, f"Priority {i:02d}")
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            lead="L",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(100000),
        )
        for month in (5, 8, 11, 2):
            year = 2016 if month == 2 else 2015
            services.milestone_add(
                by=nec_hub_officer,
                proposal=priority,
                title=f"M{month}",
                due_date=datetime.date(year, month, 1),
            )
        services.update_add(
            by=nec_hub_officer,
            proposal=priority,
            rag=["green", "amber", "red"][i % 3],
            commentary="On track",
            qipp_realised=Decimal(25000),
            reported_on=datetime.date(2015, 9, 30),
        )
    for i in range(60):  # 100 proposals in all, 40 of them included priorities
        propose(plan, sunderland_lead, title=f"Not included {i}")
    rows = services.dashboard(plan, today)
    assert len(rows) == 40
    assert rows[0].target == Decimal(100000)
    assert rows[0].realised == Decimal(25000)
    assert (rows[0].milestones_overdue, rows[0].milestones_due) == (2, 2)
    client.force_login(nec_hub_officer)
    noon = datetime.datetime(2015, 10, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(noon), django_assert_max_num_queries(12):
        page = client.get(reverse("priorities:plan-dashboard", args=[plan.pk]))
    html = page.content.decode()
    assert html.count('class="app-chart"') == 3  # QIPP, status by priority, milestones
    assert 'role="img"' in html
    assert page.context["totals"]["target"] == Decimal(4000000)
    status = {b.label: b.value for b in page.context["status_chart"].bars}
    assert status == {"Red": 13, "Amber": 13, "Green": 14, "No update yet": 0}
    milestones = {b.label: b.value for b in page.context["milestone_chart"].bars}
    # 1 October: May and August overdue; November is 31 days off; February later.
    assert milestones == {
        "Done": 0,
        "Due in the next 30 days": 0,
        "Overdue or missed": 80,
        "Planned for later": 80,
    }
    assert page.context["milestone_chart"].total == 160
    priority = plan.proposals.first()
    with django_assert_max_num_queries(16):
        client.get(reverse("priorities:priority-delivery", args=[priority.pk]))


def test_delivery_page_forms(client, plan, nec_hub_officer, north_reviewer, sunderland_lead):
    priority = included(plan, sunderland_lead, nec_hub_officer, "Vascular")
    url = reverse("priorities:priority-delivery", args=[priority.pk])
    client.force_login(north_reviewer)
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"form": "milestone", "milestone-title": "M", "milestone-due_date": "2015-06-01"}
    )
    assert refused.status_code == 403
    client.force_login(nec_hub_officer)
    bad = client.post(
        url, {"form": "milestone", "milestone-title": "M", "milestone-due_date": "2017-06-01"}
    )
    assert 'id="id_milestone-due_date_error"' in bad.content.decode()
    assert (
        client.post(
            url,
            {
                "form": "milestone",
                "milestone-title": "Consultation",
                "milestone-due_date": "2015-06-01",
            },
        ).status_code
        == 302
    )
    assert priority.milestones.count() == 1


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
    assert (
        api_client.post(
            f"/api/v1/proposals/{made['id']}/scores/", scores, format="json"
        ).status_code
        == 403
    )  # not an assessor
    step = {"step": "submit", "version": plan.version}
    api_client.force_authenticate(north_reviewer)
    assert api_client.post(f"/api/v1/plans/{plan.pk}/step/", step, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    moved = api_client.post(f"/api/v1/plans/{plan.pk}/step/", step, format="json")
    assert moved.json()["status"] == "submitted"
    api_client.force_authenticate(north_reviewer)
    assured = api_client.post(
        f"/api/v1/plans/{plan.pk}/step/",
        {"step": "assure", "version": moved.json()["version"]},
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
