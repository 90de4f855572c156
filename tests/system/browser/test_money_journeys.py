"""Money as people type and read it (issue 18, finding 8), in the browser: a CCG lead types
"£5,000,000,000" in both money boxes and hears of both at once, then "£250,000" and "1,500",
and reads them back as "£250,000 / £1,500". No axe violation of any impact; screenshots at
1280 and 320 pixels wide go to SHOTS_DIR (outside the repository) when it is set."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hubs.models import CCG
from oversight import services as group_services
from priorities import services
from priorities.models import Proposal
from tests.factories import make_group

pytestmark = pytest.mark.browser


def _shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_ccg_lead_types_money_as_they_write_it(
    page, live_server, nec_hub_officer, sunderland_lead, sign_in, a11y
):
    group = make_group(by=nec_hub_officer)
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    plan = services.plan_create(by=nec_hub_officer, group=group, year=2015)
    sign_in(page, sunderland_lead)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Propose a priority").click()
    page.locator("#id_title").fill("Two arterial centres for vascular surgery")
    page.locator("#id_problem").fill("Outcomes vary across seven small vascular units.")
    page.locator("#id_qipp_savings").fill("£5,000,000,000")
    page.locator("#id_costs").fill("£5,000,000,000")
    page.get_by_role("button", name="Save").click()
    # Both refusals at once, each beside its box and in the summary.
    expect(page.locator("#id_qipp_savings_error")).to_contain_text("more than £1bn")
    expect(page.locator("#id_costs_error")).to_contain_text("more than £1bn")
    expect(page.locator(".nhsuk-error-summary li")).to_have_count(2)
    a11y.strict(page)
    _shoot(page, "money-errors")
    page.locator("#id_qipp_savings").fill("£250,000")
    page.locator("#id_costs").fill("1,500")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Two arterial centres for vascular surgery"
    )
    expect(page.get_by_text("£250,000 / £1,500")).to_be_visible()
    a11y.strict(page)
    _shoot(page, "money-proposal")
    proposal = Proposal.objects.get()
    assert (proposal.qipp_savings, proposal.costs) == (250000, 1500)
