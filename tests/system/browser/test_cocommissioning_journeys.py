"""A delegated co-commissioning application from draft to live (issue 15, seed 002: "Model 3:
Delegated arrangements", "Sign-off and approvals", "Arrangements for 2015/16"), in a real
browser, with no axe-core violation at all on any of the new pages.

The CCG lead works with JavaScript off (every page works without it). The window for
delegated commissioning from 1 April 2016 closed on 1 June 2015, long before the day these
tests run, so the journey goes the way a late proposal does: the lead's first submission is
refused with the deadline, the regional team records its agreement to a late application on
the application's page, and the lead submits again.
"""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from cocommissioning import services
from cocommissioning.timetable import windows_seed
from meetings import services as meetings
from tests.cocommissioning.conftest import commissioning_committee_meeting
from tests.factories import make_user

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Screenshots of each new page, for a person to look at: set SCREENSHOTS_DIR to keep them.
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


@pytest.fixture
def committee_member(register):
    """Cara, a member of NHS England's Commissioning Committee."""
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def other_page(browser) -> Page:
    return browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()


def attach(page: Page, kind: str, name: str, a11y) -> None:
    page.get_by_role("link", name="Attach a document").click()
    expect(heading(page)).to_have_text("Attach a document")
    page.get_by_label(kind).check()
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("#document-list")).to_contain_text(name)


def test_a_delegated_application_from_draft_to_live(
    no_js_page,
    browser,
    live_server,
    sunderland_lead,
    north_reviewer,
    committee_member,
    sign_in,
    a11y,
):
    windows_seed()
    lead = no_js_page
    sign_in(lead, sunderland_lead)

    # (a) The CCG lead drafts a delegated application.
    lead.goto(f"{live_server.url}/co-commissioning/applications/")
    expect(heading(lead)).to_have_text("Co-commissioning applications")
    a11y.strict(lead)
    shot(lead, "1-list-empty")
    lead.get_by_role("link", name="Start an application").click()
    expect(heading(lead)).to_have_text("Start an application")
    a11y.strict(lead)
    shot(lead, "2-new")
    lead.get_by_role("button", name="Start the application").click()
    expect(lead.locator("#id_model_error")).to_contain_text("Choose joint or delegated")
    a11y.strict(lead)
    shot(lead, "3-new-errors")
    lead.get_by_label("Delegated commissioning: the CCG takes on the functions").check()
    lead.get_by_label("1 April 2016", exact=False).check()
    lead.get_by_label("QOF (full delegation only)").check()
    lead.get_by_role("button", name="Start the application").click()
    expect(lead.locator("#id_functions_error")).to_contain_text("full delegation")
    for label in ("GMS and PMS contracts", "Enhanced services", "Property costs"):
        lead.get_by_label(label, exact=False).check()
    lead.locator("#id_summary").fill("Full delegation of general practice services.")
    lead.get_by_role("button", name="Start the application").click()
    expect(heading(lead)).to_have_text("Delegated commissioning from 1 April 2016")
    expect(lead.locator("#status")).to_have_text("Draft")
    a11y.strict(lead)
    url = lead.url
    attach(lead, "Constitution amendment", "constitution.pdf", a11y)
    lead.get_by_role("link", name="Attach a document").click()
    a11y.strict(lead)
    shot(lead, "4-attach")
    lead.go_back()
    attach(lead, "Conflicts of interest arrangements", "conflicts.pdf", a11y)
    lead.get_by_role("link", name="Submit to the region").click()
    # Issue 18, finding 1: checked first; the late application cannot go yet, and says why.
    expect(heading(lead)).to_have_text("Check the application before you submit it")
    expect(lead.locator("#confirm-gaps")).to_contain_text("due by 1 June 2015")
    expect(lead.get_by_role("button", name="Confirm and submit to the region")).to_have_count(0)
    a11y.strict(lead)
    shot(lead, "5-late")

    # The regional team agrees to the late application.
    region = other_page(browser)
    sign_in(region, north_reviewer)
    region.goto(url)
    a11y.strict(region)
    region.locator("#id_late_agree-reason").fill(
        "Agreed with the area team: the governing body met on 10 June."
    )
    region.get_by_role("button", name="Record agreement to a late application").click()
    expect(region.locator("#facts")).to_contain_text("the governing body met on 10 June")

    lead.goto(url)
    lead.get_by_role("link", name="Submit to the region").click()
    a11y.strict(lead)
    for width in (1280, 320):
        lead.set_viewport_size({"width": width, "height": 900})
        lead.screenshot(path=f"/tmp/confirm-submit-application-{width}.png", full_page=True)  # noqa: S108
    lead.set_viewport_size({"width": 1280, "height": 900})
    lead.get_by_role("button", name="Confirm and submit to the region").click()
    expect(lead.locator("#status")).to_have_text("Submitted")
    a11y.strict(lead)

    # (b) The regional team reviews: starts, asks, completes the checklist, recommends.
    region.goto(url)
    region.get_by_role("button", name="Start the review").click()
    expect(region.locator("#status")).to_have_text("Under regional review")
    region.locator("#id_question-text").fill("Who chairs the primary care committee?")
    region.get_by_role("button", name="Ask the question").click()
    expect(region.locator("#conversation ~ .nhsuk-card").first).to_contain_text("Who chairs")
    a11y.strict(region)
    shot(region, "6-region-review")
    lead.goto(url)
    lead.locator("#id_answer-text").fill("A lay member, with no GP interests.")
    lead.get_by_role("button", name="Send the answer").click()
    expect(lead.locator("#status")).to_have_text("Under regional review")
    region.get_by_role("link", name="Complete the conflicts of interest review").click()
    expect(heading(region)).to_have_text("Conflicts of interest review")
    a11y.strict(region)
    for name in ("register", "declarations", "exclusions", "gp_contracts"):
        region.locator(f"#id_{name}_0").check()
        region.locator(f"#id_{name}_evidence").fill("Set out in the constitution amendment.")
    region.get_by_label("Assured", exact=True).check()
    region.locator("#id_outcome_note").fill("Robust arrangements.")
    shot(region, "7-checklist")
    region.get_by_role("button", name="Save the review").click()
    expect(region.locator("#conflicts + dl")).to_contain_text("Assured on")
    region.get_by_role("link", name="Recommend to the Commissioning Committee").click()
    expect(heading(region)).to_have_text("Check the application before you recommend it")
    a11y.strict(region)
    region.get_by_role(
        "button", name="Confirm and recommend to the Commissioning Committee"
    ).click()
    expect(region.locator("#status")).to_have_text("Assured and recommended by the region")
    a11y.strict(region)

    # (c) The Commissioning Committee signs off at a meeting (its whole meeting in the browser
    # is test_committee_journeys.py): on the agenda, the meeting held, the decision recorded.
    meeting = commissioning_committee_meeting(committee_member, held=False)
    committee = other_page(browser)
    sign_in(committee, committee_member)
    committee.goto(f"{live_server.url}/co-commissioning/applications/")
    committee.get_by_role("link", name="NHS Sunderland CCG").click()
    a11y.strict(committee)
    shot(committee, "8-committee")
    committee.get_by_label("Commissioning Committee meeting").select_option(str(meeting.pk))
    committee.get_by_role("button", name="Put on the agenda").click()
    expect(committee.locator("#committee + .app-agenda-entry")).to_contain_text("Not yet decided")
    meetings.meeting_update(by=committee_member, meeting=meeting, version=1, status="held")
    committee.reload()
    committee.get_by_label("Signed off").check()
    committee.get_by_role("button", name="Record the decision").click()
    expect(committee.locator("#status")).to_have_text("Approved: implementing")
    expect(committee.locator(".app-agenda-entry")).to_contain_text("Took part: Committee Member 1")
    a11y.strict(committee)

    # (d) Go-live: the daily task on 1 April 2016.
    assert services.applications_go_live(day=datetime.date(2016, 4, 1)) == 1
    lead.goto(url)
    expect(lead.locator("#status")).to_have_text("Live")
    a11y.strict(lead)
    shot(lead, "9-live")
