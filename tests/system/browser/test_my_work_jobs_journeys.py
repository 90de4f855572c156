"""My work's next jobs (issue 18, finding 6) in a real browser, with no axe violation at all
and screenshots at 1280 and 320 px: a CCG lead goes straight to the plan and its proposals,
hub staff to the proposals to score, the North's team to the panel it must form."""

import pytest
from playwright.sync_api import Page, expect

from tests.priorities.conftest import group, plan  # noqa: F401  (fixtures)
from tests.priorities.helpers import propose, submitted
from tests.reviews.conftest import (  # noqa: F401  (fixtures)
    cycle,
    invited_review,
    nec_group,
    ready_review,
    submitted_plan,
)
from tests.system.browser.screens import shots

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_a_ccg_lead_and_hub_staff_go_straight_to_their_next_job(
    page,
    sign_in,
    a11y,
    plan,  # noqa: F811
    sunderland_lead,
    nec_hub_officer,
):
    propose(plan, sunderland_lead, title="One-stop renal assessment clinic")
    submitted(plan, sunderland_lead, "Two arterial centres")
    sign_in(page, sunderland_lead)
    jobs = page.locator(".app-next-jobs")
    expect(jobs).to_contain_text("Priorities plan 2015/16")
    expect(jobs).to_contain_text("One-stop renal assessment clinic: draft")
    expect(jobs).to_contain_text("Two arterial centres: submitted")
    a11y.strict(page)
    shots(page, "my-work-ccg-lead")
    jobs.get_by_role("link", name="Two arterial centres").click()
    expect(heading(page)).to_have_text("Two arterial centres")
    page.go_back()
    page.locator(".app-next-jobs").get_by_role("link", name="Priorities plan 2015/16").click()
    expect(heading(page)).to_have_text("Priorities plan 2015/16")

    page.context.clear_cookies()
    sign_in(page, nec_hub_officer)
    a11y.strict(page)
    shots(page, "my-work-hub-staff")
    page.get_by_role("link", name="Score and decide 1 submitted proposal").click()
    expect(page.locator("#score")).to_contain_text("Score Two arterial centres")
    a11y(page)


def test_a_regional_team_is_sent_to_the_panel_it_must_form(
    page,
    sign_in,
    a11y,
    invited_review,  # noqa: F811
    north_reviewer,
):
    sign_in(page, north_reviewer)
    jobs = page.locator(".app-next-jobs")
    expect(jobs).to_contain_text("Form the panel for North East and Cumbria's peer review")
    a11y.strict(page)
    shots(page, "my-work-region")
    jobs.get_by_role("link", name="Form the panel for North East and Cumbria's peer review").click()
    expect(heading(page)).to_have_text("Build the panel")
    a11y(page)
