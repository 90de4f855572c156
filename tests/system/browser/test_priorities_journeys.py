"""Priorities plan journeys (issue 4, first slice), with axe-core on every page visited."""

import io
import re

import pytest
from playwright.sync_api import Page, expect

from hubs.models import CCG
from oversight import services as group_services
from priorities import services
from priorities.models import Proposal
from tests.factories import make_group
from tests.system.browser.screens import shots

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_ccg_lead_drafts_and_submits_a_proposal(
    page, live_server, nec_hub_officer, sunderland_lead, sign_in, a11y
):
    group = make_group(by=nec_hub_officer)
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    plan = services.plan_create(by=nec_hub_officer, group=group, year=2015)

    sign_in(page, sunderland_lead)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(heading(page)).to_have_text("Priorities plan 2015/16")
    a11y(page)
    page.get_by_role("link", name="Propose a priority").click()
    a11y(page)
    page.locator("#id_qipp_savings").fill("-100")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_title_error")).to_contain_text("Enter a title for the priority")
    expect(page.locator("#id_qipp_savings_error")).to_contain_text("cannot be negative")
    a11y(page)
    page.locator("#id_title").fill("Two arterial centres for vascular surgery")
    page.locator("#id_problem").fill("Outcomes vary across seven small vascular units.")
    page.locator("#id_qipp_savings").fill("250000")
    page.get_by_label("NHS South Tyneside CCG").check()
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Two arterial centres for vascular surgery")
    expect(page.locator("#proposal-status")).to_have_text("Draft")
    a11y(page)
    page.get_by_role("button", name="Submit to the hub").click()
    expect(page.locator("#proposal-status")).to_have_text("Submitted")
    a11y(page)
    proposal = Proposal.objects.get()
    assert proposal.ccg.ods_code == "00P"
    assert [c.ods_code for c in proposal.ccgs_affected.all()] == ["00N"]


def test_hub_staff_assess_rank_and_decide(
    page, live_server, nec_hub_officer, sunderland_lead, sign_in, a11y
):
    from decimal import Decimal

    group = make_group(by=nec_hub_officer)
    plan = services.plan_create(by=nec_hub_officer, group=group, year=2015)
    proposal = services.proposal_create(
        by=sunderland_lead,
        plan=plan,
        ccg=CCG.objects.get(ods_code="00P"),
        title="Two arterial centres",
        problem="Variation",
        issues="",
        population="",
        benefits="",
        qipp_savings=Decimal(1000),
        costs=Decimal(0),
        risks="",
        service="",
        programme_of_care=None,
        suggested_subgroup=None,
    )
    services.proposal_submit(by=sunderland_lead, proposal=proposal, version=proposal.version)

    sign_in(page, nec_hub_officer)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Assessment and ranking").click()
    a11y(page)
    page.get_by_role("link", name="Change the criteria and weights").click()
    expect(heading(page)).to_have_text("Assessment criteria")
    a11y(page)
    page.locator("#id_add-name").fill("Patient experience")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.locator("#id_add-name_error")).to_contain_text("already has a criterion called")
    a11y(page)
    page.locator("#id_add-name").fill("Equity of access")
    page.locator("#id_add-weight").fill("2")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.locator("#criteria")).to_contain_text("Equity of access")
    page.get_by_role("button", name="Archive Sustainability").click()
    expect(page.locator("#archived")).to_contain_text("Sustainability")
    a11y(page)
    # Issue 18: scoring starts from the plan page; hub staff become assessors by scoring.
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    score = page.locator("#score")
    expect(score).to_contain_text("Score these proposals")
    expect(score.get_by_role("button", name="I will assess")).to_be_visible()
    a11y(page)
    score.get_by_role("link", name="Score Two arterial centres").click()
    expect(page.locator("#score-proposal")).to_contain_text("NHS Sunderland CCG")
    expect(page.locator("#score-scale")).to_contain_text("5: excellent")
    expect(page.get_by_label("Note on value and QIPP (optional)")).to_be_visible()
    a11y.strict(page)
    shots(page, "score-form")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a score from 0 to 5")
    a11y.strict(page)
    shots(page, "score-form-error")
    for select in page.locator("select").all():
        select.select_option("4")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator("#to-score")).to_contain_text("Scored")
    expect(page.locator("#score").get_by_role("button", name="I will assess")).to_have_count(0)
    a11y(page)
    page.get_by_role("link", name="Assessment and ranking").click()
    expect(page.locator("#ranking")).to_contain_text("80.0%")
    a11y(page)
    page.get_by_role("link", name="Two arterial centres", exact=True).click()
    page.get_by_label("Included in the plan").check()
    page.locator("#id_rationale").fill("Strong evidence and good value.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#proposal-status")).to_have_text("Included in the plan")
    a11y(page)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator("#priorities")).to_contain_text("Two arterial centres")
    a11y(page)

    page.get_by_role("link", name="Delivery of Two arterial centres").click()
    a11y(page)
    page.locator("#id_milestone-title").fill("Public consultation")
    page.locator("#id_milestone-due_date").fill("2015-09-30")
    page.get_by_role("button", name="Add milestone").click()
    expect(page.locator("#milestones")).to_contain_text("Public consultation")
    page.locator("#id_update-rag").select_option("amber")
    page.locator("#id_update-commentary").fill("Consultation delayed by a month.")
    page.locator("#id_update-qipp_realised").fill("0")
    page.locator("#id_update-reported_on").fill("2015-10-01")
    page.get_by_role("button", name="Add update").click()
    expect(page.locator("#updates")).to_contain_text("Amber")
    a11y(page)
    page.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/")
    expect(page.locator("#dashboard")).to_contain_text("Amber")
    expect(page.locator("#status-desc")).to_contain_text("Amber: 1")
    expect(page.locator("#milestones-desc")).to_contain_text("Done: 0")
    a11y(page)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("button", name="Download the plan as a PDF").click()
    expect(page.get_by_text("Your PDF is ready")).to_be_visible(timeout=30000)
    a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download ")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Priorities plan 2015/16" in " ".join(text.split())


def test_regional_team_reads_the_cross_hub_view(
    page, live_server, nec_hub_officer, north_reviewer, sign_in, a11y
):
    group = make_group(by=nec_hub_officer)
    services.plan_create(by=nec_hub_officer, group=group, year=2015)
    sign_in(page, north_reviewer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="All services").click()
    page.get_by_role("main").get_by_role("link", name="Plans", exact=True).click()
    expect(heading(page)).to_have_text("Priorities plans across hubs")
    expect(page.locator("#plans")).to_contain_text("North East and Cumbria")
    expect(page.locator("#plans")).to_contain_text("Draft")
    a11y(page)
    page.get_by_role("link", name="Draft").click()
    expect(heading(page)).to_have_text("Priorities plan 2015/16")
    a11y(page)
