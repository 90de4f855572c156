"""Assurance follows the peer review (issue 13 part 6), with axe-core on every page visited:
the regional team is refused assurance before the first peer review report on the submitted
version is issued, then assures the plan once it is; or assures without it, giving the reason
that the plan's page and its history then show."""

import pytest
from playwright.sync_api import Page, expect

from priorities.models import PrioritiesPlan
from reviews import services
from reviews.models import PeerReview, Reviewer
from tests.reviews import conftest as review_fixtures

pytestmark = pytest.mark.browser

# The peer review fixtures live in tests/reviews/conftest.py, out of this folder's reach;
# binding them here makes pytest register them for this module.
cycle = review_fixtures.cycle
nec_group = review_fixtures.nec_group
submitted_plan = review_fixtures.submitted_plan
ready_review = review_fixtures.ready_review
invited_review = review_fixtures.invited_review
review_in_progress = review_fixtures.review_in_progress
wessex_officer = review_fixtures.wessex_officer
yorkshire_officer = review_fixtures.yorkshire_officer

REASON = "The panel met on 2 June and found no concerns; the written report follows."


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def issue_the_report(review: PeerReview, lead) -> None:
    """The panel's reviews submitted and the lead's report issued, through the services."""
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        review_fixtures.rate_all(review, place)
    review.refresh_from_db()
    review = services.review_consolidate(
        by=lead,
        review=review,
        version=review.version,
        overall_rating="assured",
        summary="A clear plan built with the CCGs.",
    )
    services.report_issue(by=lead, review=review, version=review.version)


def open_assure_page(page: Page, a11y, plan) -> None:
    expect(heading(page)).to_have_text("Priorities plan 2015/16")
    expect(page.locator("#plan-status")).to_have_text("Submitted for peer review")
    a11y(page)
    page.get_by_role("link", name="Assure the plan").click()
    expect(heading(page)).to_have_text("Assure the priorities plan 2015/16")
    a11y(page)


def test_regional_team_assures_a_plan_after_its_review_report(
    page, live_server, north_reviewer, wessex_officer, review_in_progress, sign_in, a11y
):
    plan = PrioritiesPlan.objects.get(pk=review_in_progress.plan_version.plan_id)
    sign_in(page, north_reviewer)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    open_assure_page(page, a11y, plan)
    expect(page.locator("#assurance-basis")).to_contain_text("Not issued for this version yet")

    page.get_by_role("button", name="Mark as assured").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.locator("#id_override_error")).to_contain_text(
        "You can assure this plan once the first peer review report for its submitted version "
        "has been issued, or give a reason to assure it without one."
    )
    a11y(page)
    plan.refresh_from_db()
    assert plan.status == PrioritiesPlan.Status.SUBMITTED

    issue_the_report(review_in_progress, wessex_officer)
    page.goto(page.url)  # a GET: reloading would post the form again
    expect(page.locator("#assurance-basis")).to_contain_text("report version 1")
    expect(page.get_by_label("Assure the plan without the peer review report")).to_have_count(0)
    a11y(page)
    page.get_by_role("button", name="Mark as assured").click()
    expect(page.locator("#plan-status")).to_have_text("Assured")
    expect(page.locator("#assurance")).to_contain_text(f"Assured by {north_reviewer.full_name}")
    expect(page.locator("#assurance")).to_contain_text("after the first peer review report")
    a11y(page)
    page.get_by_role("link", name="History of this plan").click()
    expect(page.get_by_role("cell", name="Plan assured", exact=True)).to_be_visible()
    a11y(page)
    plan.refresh_from_db()
    assert (plan.status, plan.assured_with_override) == (PrioritiesPlan.Status.ASSURED, False)


def test_regional_team_assures_without_the_report_giving_a_reason(
    page, live_server, north_reviewer, submitted_plan, sign_in, a11y
):
    sign_in(page, north_reviewer)
    page.goto(f"{live_server.url}{submitted_plan.get_absolute_url()}")
    open_assure_page(page, a11y, submitted_plan)
    page.get_by_label("Assure the plan without the peer review report").check()
    page.get_by_role("button", name="Mark as assured").click()
    expect(page.locator("#id_reason_error")).to_contain_text(
        "Give the reason for assuring the plan without its peer review report."
    )
    a11y(page)
    page.get_by_label("Assure the plan without the peer review report").check()
    page.get_by_label("Reason for assuring without the peer review report").fill(REASON)
    page.get_by_role("button", name="Mark as assured").click()
    expect(page.locator("#plan-status")).to_have_text("Assured")
    expect(page.locator("#assurance")).to_contain_text("without the first peer review report")
    expect(page.locator("#assurance")).to_contain_text(REASON)
    a11y(page)
    page.get_by_role("link", name="History of this plan").click()
    row = page.locator("tr", has_text="Plan assured without its peer review report")
    expect(row).to_contain_text(REASON)
    a11y(page)
