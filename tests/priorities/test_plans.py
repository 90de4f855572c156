"""Priorities plans (issue 4, first slice): the plan's workflow and frozen versions, and CCG
proposals from draft to the group's decision, with access and bounded queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from priorities import services
from priorities.models import PlanVersion, PrioritiesPlan, Proposal
from tests.priorities.helpers import (
    OVERRIDE,
    propose,
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
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    plan = services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    assert plan.status == PrioritiesPlan.Status.PUBLISHED
    assert plan.assured_with_override
    assert plan.assured_by == north_reviewer
    with pytest.raises(services.PlanError, match="reason"):
        services.plan_reopen(by=nec_hub_officer, plan=plan, version=plan.version, reason=" ")
    plan = services.plan_reopen(
        by=nec_hub_officer, plan=plan, version=plan.version, reason="Correct the QIPP figures"
    )
    assert (plan.assured_at, plan.assured_with_override, plan.assurance_override_reason) == (
        None,
        False,
        "",
    )  # reopened: assured afresh after the next submission; the history keeps this one
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
