"""National template journeys (issue 13 part 7, seed 000 §3.4.2), with axe-core on every page
visited: a national admin opens a new version of the terms of reference template, is told what
is missing, saves and publishes it; a hub officer's group then starts its terms of reference
from that version, and the agreed document says where it came from."""

import re

import pytest
from playwright.sync_api import Page, expect

from governance.models import NationalTemplate, NationalTemplateVersion
from governance.national_drafts import install
from tests.factories import make_group

pytestmark = pytest.mark.browser

NEW_TEXT = "Terms of reference, national draft 2: the group meets every month."


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def first_versions(register):
    """The first national drafts the data migration installs (a journey before this one may
    have flushed them: live-server tests are transactional)."""
    install(NationalTemplate, NationalTemplateVersion)


def test_national_admin_publishes_a_template_version_and_a_group_starts_from_it(
    page, browser, live_server, national_admin, nec_hub_officer, first_versions, sign_in, a11y
):
    sign_in(page, national_admin)
    # Not in the header (issue 18: at most seven links): through All services.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="All services").click()
    page.get_by_role("main").get_by_role("link", name="National templates").click()
    expect(heading(page)).to_have_text("National templates")
    expect(page.locator("#terms_of_reference + p")).to_contain_text("Published Version 1")
    a11y(page)

    page.get_by_role("link", name="Start a new version of the terms of reference template").click()
    expect(heading(page)).to_have_text("New version: national terms of reference template")
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^\[Name of hub\]"))
    a11y(page)

    page.locator("#id_body").fill("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#id_body_error")).to_contain_text("Enter the text of the template")
    expect(page.locator("#id_body")).to_have_attribute("aria-invalid", "true")
    a11y(page)

    page.locator("#id_body").fill(NEW_TEXT)
    page.locator("#id_change_summary").fill("Monthly meetings")
    page.get_by_role("button", name="Save draft").click()
    expect(heading(page)).to_have_text("Terms of reference, version 2")
    expect(page.locator("#version-status")).to_have_text("Draft")
    a11y(page)

    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator("#version-status")).to_have_text("Published")
    expect(page.get_by_role("status")).to_contain_text("Version 2 is published")
    expect(page.get_by_role("link", name="Change this draft")).to_have_count(0)
    a11y(page)

    page.get_by_role("link", name="All national templates").click()
    expect(page.locator("#terms_of_reference + p")).to_contain_text("Published Version 2")
    rows = page.get_by_role("table").first.locator("tbody tr")
    expect(rows.nth(1)).to_contain_text("Archived")
    a11y(page)

    # The hub officer's group starts its terms of reference from version 2.
    group = make_group(by=nec_hub_officer)
    officer = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    try:
        sign_in(officer, nec_hub_officer)
        officer.goto(f"{live_server.url}/groups/{group.pk}/documents/")
        expect(heading(officer)).to_have_text("Governance documents")
        a11y(officer)
        officer.get_by_role("link", name="Start a new draft of the terms of reference").click()
        expect(officer.locator("#template-start")).to_contain_text(
            "national terms of reference template, version 2"
        )
        expect(officer.locator("#id_body")).to_have_value(NEW_TEXT)
        a11y(officer)
        officer.get_by_role("button", name="Save draft").click()
        expect(heading(officer)).to_have_text("Terms of reference, version 1")
        expect(officer.locator("#from-template")).to_contain_text(
            "national terms of reference template, version 2"
        )
        a11y(officer)
    finally:
        officer.context.close()
