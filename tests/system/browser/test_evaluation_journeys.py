"""Evaluation of what works (issue 17, "What to build" 6; seed 000 §4.2.1), in a real browser,
with no axe-core violation at all on the pages built for it (everything under /evaluations/,
and the learning library that now shows shared evaluations).

The live server runs on today's date, long after 31 March 2016, when North East and Cumbria's
2015/16 plan's year ended. Helen, the hub's officer, goes from the plan to its evaluation page,
is refused an empty evaluation beside its fields, records one for the included vascular
priority, and shares it to the learning library and the idea exchange; the library shows it.
Nadia, a national admin, finds it in the national summary by Programme of Care and theme.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from hubs.models import CCG, Hub, ProgrammeOfCare
from ideas.models import Post
from oversight import services as group_services
from priorities import services as plans
from tests.priorities.helpers import included

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")
TITLE = "Two arterial centres"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


@pytest.fixture
def priority(nec_hub_officer, sunderland_lead):
    """North East and Cumbria's 2015/16 plan with the vascular priority included, its delivery
    target £200,000 and a KPI."""
    group = group_services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC Group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    plan = plans.plan_create(by=nec_hub_officer, group=group, year=2015)
    proposal = included(plan, sunderland_lead, nec_hub_officer, TITLE)
    proposal.programme_of_care = ProgrammeOfCare.objects.get(name="Internal Medicine")
    proposal.benefits = "Lower mortality; 24/7 interventional radiology."
    proposal.save(update_fields=["programme_of_care", "benefits"])
    plans.delivery_set(
        by=nec_hub_officer,
        proposal=proposal,
        lead="Vascular network lead",
        subgroup=None,
        kpis="Mortality after aneurysm repair under 3%",
        qipp_target=Decimal(200000),
    )
    return proposal


def test_a_hub_officer_evaluates_and_shares_and_a_national_admin_sees_the_summary(
    page, live_server, priority, nec_hub_officer, national_admin, sign_in, a11y
):
    sign_in(page, nec_hub_officer)
    page.goto(f"{live_server.url}{priority.plan.get_absolute_url()}")
    a11y(page)
    page.get_by_role("link", name="Evaluate this plan's priorities").click()
    expect(heading(page)).to_have_text("Evaluation of the plan's priorities")
    expect(page.locator("#priorities")).to_contain_text("200,000")
    a11y.strict(page)
    shot(page, "evaluations-1-plan")

    page.get_by_role("link", name=f"Evaluate {TITLE}").click()
    expect(heading(page)).to_have_text(f"Evaluate {TITLE}")
    expect(page.locator("#planned")).to_contain_text("Mortality after aneurysm repair under 3%")
    a11y.strict(page)
    page.get_by_role("button", name="Record the evaluation").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.locator("#id_rating_error")).to_contain_text(
        "Choose whether the planned aims were met"
    )
    expect(page.locator("#id_benefits_error")).to_contain_text(
        "Describe the benefits realised against the planned aims"
    )
    a11y.strict(page)
    shot(page, "evaluations-2-errors")
    assert not Evaluation.objects.exists()

    page.get_by_label("Partly met").check()
    page.get_by_label("QIPP savings realised (£)").fill("180000")
    page.get_by_label("Benefits realised").fill(
        "Mortality after aneurysm repair fell from 4.1% to 2.6%."
    )
    page.get_by_label("Perverse incentives found (optional)").fill(
        "Spoke hospitals lost tariff income for the procedures that moved."
    )
    page.get_by_label("System blockages (optional)").fill("Interventional radiology posts.")
    page.get_by_label("Good practice (optional)").fill("A joint monthly governance meeting.")
    page.get_by_label("Theme").select_option(label="Pathway redesign")
    page.get_by_role("button", name="Record the evaluation").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("Evaluation recorded.")).to_be_visible()
    expect(page.locator("#qipp")).to_contain_text("£180,000")
    expect(page.locator("#evaluation-tags")).to_contain_text("Aims partly met")
    a11y.strict(page)
    shot(page, "evaluations-3-detail")

    # Shared to the learning library, then to the idea exchange.
    page.get_by_role("link", name="Share to the learning library").click()
    expect(heading(page)).to_have_text("Share to the learning library")
    a11y.strict(page)
    page.get_by_role("button", name="Share to the learning library").click()
    expect(page.get_by_text("Shared to the learning library.")).to_be_visible()
    expect(page.locator("#shared-library")).to_contain_text("In the learning library since")
    a11y.strict(page)
    page.get_by_role("link", name="Share on the idea exchange").click()
    expect(heading(page)).to_have_text("Share on the idea exchange")
    a11y.strict(page)
    page.get_by_role("button", name="Share on the idea exchange").click()
    expect(page.get_by_text("Shared on the idea exchange.")).to_be_visible()
    a11y.strict(page)
    shot(page, "evaluations-4-shared")
    post = Post.objects.get()
    assert (post.hub.slug, post.theme_values) == ("north-east-and-cumbria", ["pathway"])
    page.locator("#shared-ideas").get_by_role("link", name=post.title).click()
    expect(heading(page)).to_have_text(f"Evaluated: {TITLE}")
    expect(page.locator("#post-tags")).to_contain_text("Internal Medicine")
    expect(page.locator("#post-results")).to_contain_text("Spoke hospitals lost tariff income")
    a11y.strict(page)

    # The learning library shows it beside the peer review findings.
    page.goto(f"{live_server.url}/reviews/learning/")
    expect(heading(page)).to_have_text("Learning library")
    expect(page.locator("#learning-evaluations")).to_contain_text(TITLE)
    a11y.strict(page)
    shot(page, "evaluations-5-learning")
    page.locator("#learning-evaluations").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("#shared-qipp")).to_contain_text("£200,000")
    a11y.strict(page)
    sign_out(page)

    # Nadia finds it in the national summary.
    sign_in(page, national_admin)
    page.get_by_role("contentinfo").get_by_role("link", name="Organisation register").click()
    a11y(page)
    page.get_by_role("link", name="National structures").click()
    a11y.strict(page)
    page.get_by_role(
        "link", name="Evaluations of priorities by Programme of Care and theme"
    ).click()
    expect(heading(page)).to_have_text("Evaluations of 2015/16 priorities")
    expect(page.locator("#totals")).to_contain_text("1 of 1 included")
    expect(page.locator("#totals")).to_contain_text("£180,000 against £200,000 planned")
    row = page.locator("#by-programme tbody tr", has_text="Internal Medicine")
    expect(row).to_contain_text("200,000")
    a11y.strict(page)
    shot(page, "evaluations-6-summary")
    page.get_by_label("Region").select_option(label="London")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#totals")).to_contain_text("0 of 0 included")
    a11y.strict(page)
    page.get_by_label("Region").select_option(label="All regions")
    page.get_by_role("button", name="Show").click()
    page.locator("#evaluations").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("link", name="Change the evaluation")).to_have_count(0)
    a11y.strict(page)
