"""National service reviews and the joint programme of work (issue 17 part 4; seed 000 §3.6), in
a real browser, with axe-core on every page and no violation at all on the new pages (the
reviews' list and form, the joint programme and its way-forward form, the plan page's section).

A national admin records a national review of 2015/16 from the national structures (a review
ending before it starts is refused beside the field), opens the year's joint programme, finds
the North East and Cumbria priority that overlaps it and agrees the way forward (a missing
rationale is refused beside the field). A hub officer sees the overlap with its way forward on
the plan page, and the joint programme read-only.
"""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from national import service_reviews
from national.models import ServiceReview
from priorities import services as plans
from priorities.models import OverlapDecision
from tests.factories import make_group
from tests.priorities.programme_helpers import include, programme

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")
PRIORITY = "Two arterial centres for vascular surgery"
REVIEW = "Congenital heart disease services"
RATIONALE = "Vascular surgery is outside the review's scope: the local priority proceeds."


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def nec_plan(nec_hub_officer, sunderland_lead):
    """The North East and Cumbria 2015/16 plan with its included vascular priority (Internal
    Medicine, naming no CRG)."""
    plan = plans.plan_create(by=nec_hub_officer, group=make_group(by=nec_hub_officer), year=2015)
    include(plan, sunderland_lead, PRIORITY, programme_of_care=programme())
    return plan


def chd_review(admin) -> ServiceReview:
    return service_reviews.service_review_add(
        by=admin,
        year=2015,
        title=REVIEW,
        programme=programme(),
        scope="Standards for congenital heart disease services.",
        lead="National CHD review team",
        start_date=datetime.date(2015, 4, 1),
        end_date=datetime.date(2016, 3, 31),
        status="in_progress",
    )


def test_a_national_admin_records_a_review_and_agrees_a_way_forward(
    page, national_admin, nec_hub_officer, sunderland_lead, sign_in, a11y
):
    nec_plan(nec_hub_officer, sunderland_lead)
    sign_in(page, national_admin)
    page.get_by_role("contentinfo").get_by_role("link", name="Organisation register").click()
    a11y(page)
    page.get_by_role("link", name="National structures").click()
    expect(heading(page)).to_have_text("National structures")
    a11y.strict(page)
    page.get_by_role("link", name="National service reviews").click()
    expect(heading(page)).to_contain_text("National service reviews")
    expect(page.locator("#service-reviews")).to_contain_text("No national service reviews")
    a11y.strict(page)
    page.get_by_role("link", name="Record a national service review").click()
    expect(heading(page)).to_have_text("Record a national service review")
    a11y.strict(page)
    page.get_by_label("Financial year").select_option("2015")
    page.get_by_label("Service reviewed").fill(REVIEW)
    page.get_by_label("Programme of Care").select_option(label="Internal Medicine")
    page.get_by_label("Scope").fill("Standards for congenital heart disease services.")
    page.get_by_label("Review lead").fill("National CHD review team")
    page.get_by_label("Starts").fill("1 April 2015")
    page.get_by_label("Ends (optional)").fill("2015-01-31")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The review must end on or after the day it starts"
    )
    expect(page.locator("#id_end_date_error")).to_be_visible()
    a11y.strict(page)
    shot(page, "programme-1-review-error")
    assert not ServiceReview.objects.exists()
    page.get_by_label("Ends (optional)").fill("31 March 2016")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("body")).to_contain_text("National service review recorded.")
    expect(heading(page)).to_have_text("National service reviews 2015/16")
    expect(page.locator("#service-reviews")).to_contain_text(REVIEW)
    a11y.strict(page)
    shot(page, "programme-2-reviews")
    page.get_by_role("link", name="Joint programme of work 2015/16").click()
    expect(heading(page)).to_have_text("Joint programme of work 2015/16")
    row = page.locator("#overlap-table tbody tr").filter(has_text=PRIORITY)
    expect(row).to_contain_text(REVIEW)
    expect(row).to_contain_text("Same Programme of Care: Internal Medicine")
    expect(row).to_contain_text("Not yet agreed")
    a11y.strict(page)
    shot(page, "programme-3-joint")
    row.get_by_role("link", name="Agree the way forward").click()
    expect(heading(page)).to_have_text("Agree the way forward")
    expect(page.locator("body")).to_contain_text(
        "Why they overlap: same Programme of Care, Internal Medicine."
    )
    a11y.strict(page)
    page.get_by_label("The local priority proceeds").check()
    page.get_by_role("button", name="Save the way forward").click()
    expect(page.locator("#id_rationale_error")).to_contain_text(
        "Give the rationale for the way forward"
    )
    a11y.strict(page)
    shot(page, "programme-4-way-forward-error")
    assert not OverlapDecision.objects.exists()
    page.get_by_label("Rationale").fill(RATIONALE)
    page.get_by_role("button", name="Save the way forward").click()
    expect(page.locator("body")).to_contain_text("Way forward agreed.")
    row = page.locator("#overlap-table tbody tr").filter(has_text=PRIORITY)
    expect(row).to_contain_text("The local priority proceeds")
    expect(row).to_contain_text(RATIONALE)
    a11y.strict(page)
    shot(page, "programme-5-agreed")
    assert OverlapDecision.objects.get().way_forward == "proceeds"


def test_a_hub_officer_sees_the_overlap_on_the_plan(
    page, live_server, national_admin, nec_hub_officer, sunderland_lead, sign_in, a11y
):
    plan = nec_plan(nec_hub_officer, sunderland_lead)
    review = chd_review(national_admin)
    plans.overlap_agree(
        by=national_admin,
        proposal=plan.proposals.get(),
        review=review,
        way_forward="proceeds",
        rationale=RATIONALE,
    )
    sign_in(page, nec_hub_officer)
    page.goto(live_server.url + plan.get_absolute_url())
    expect(heading(page)).to_have_text("Priorities plan 2015/16")
    overlap = page.locator("#overlaps tbody tr").filter(has_text=PRIORITY)
    expect(overlap).to_contain_text(REVIEW)
    expect(overlap).to_contain_text("The local priority proceeds")
    expect(overlap).to_contain_text(RATIONALE)
    a11y.strict(page)
    shot(page, "programme-6-plan")
    page.get_by_role("link", name="Joint programme of work 2015/16").click()
    expect(heading(page)).to_have_text("Joint programme of work 2015/16")
    expect(page.locator("#overlap-table")).to_contain_text(RATIONALE)
    expect(page.get_by_role("link", name="Change the way forward")).to_have_count(0)
    mine = page.locator("#priority-table tbody tr").filter(has_text=PRIORITY)
    expect(mine).to_contain_text("North East and Cumbria")
    expect(mine).to_contain_text("Your hub")
    a11y.strict(page)
    shot(page, "programme-7-joint-read-only")
