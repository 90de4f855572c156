"""Personal API tokens in a real browser (issue 19): a CCG lead makes one, sees it once, uses
it against the live server's API, revokes it and is refused; without JavaScript the token is
still there to copy; a national admin revokes a person's token from the person's page."""

import datetime
import json
import re
import urllib.error
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import tokens
from commissioning.dates import nhs_date

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def call_api(base_url: str, raw: str) -> tuple[int, dict]:
    """GET /api/v1/me/ as a script would: no browser, no cookies, only the token."""
    request = urllib.request.Request(  # noqa: S310 (the live test server's own address)
        f"{base_url}/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_ccg_lead_creates_uses_and_revokes_a_token(
    page, live_server, sunderland_lead, sign_in, a11y
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, sunderland_lead)
    page.goto(f"{live_server.url}/account/tokens/")
    expect(heading(page)).to_have_text("API tokens")
    expect(page.locator("#api-tokens")).to_contain_text("You have no API tokens.")
    a11y(page)
    a11y.strict(page)

    # Nothing entered, then an expiry beyond the year allowed: each refused beside its field.
    page.get_by_role("button", name="Create token").click()
    expect(page).to_have_title(re.compile(r"^API tokens - Error - "))
    expect(page.locator("#id_name_error")).to_contain_text("Enter a name for the token")
    a11y.strict(page)
    page.locator("#id_name").fill("Monthly report")
    too_late = timezone.localdate() + datetime.timedelta(days=400)
    page.locator("#id_expires_on").fill(nhs_date(too_late))
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#id_expires_on_error")).to_contain_text("no later than")
    a11y.strict(page)

    expiry = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_expires_on").fill(nhs_date(expiry))
    page.get_by_role("button", name="Create token").click()
    expect(heading(page)).to_have_text("Your new API token: Monthly report")
    expect(page.locator("main")).to_contain_text("Copy this token now. You will not see it again.")
    raw = page.locator("#new-token").input_value()
    assert re.fullmatch(r"cc_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", raw)
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_role("status")).to_have_text("Token copied.")
    assert page.evaluate("navigator.clipboard.readText()") == raw
    a11y.strict(page)

    status, body = call_api(live_server.url, raw)
    assert (status, body["email"]) == (200, sunderland_lead.email)

    page.get_by_role("link", name="Back to your API tokens").click()
    row = page.locator("#api-tokens tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Monthly report")
    expect(row).to_contain_text(raw[:11])
    expect(row).to_contain_text(nhs_date(expiry))
    expect(row).to_contain_text("Active")
    expect(row).not_to_contain_text("Never used")  # the call above was recorded
    expect(page.locator("main")).not_to_contain_text(raw)  # never shown again
    a11y.strict(page)

    page.get_by_role("link", name="Revoke token Monthly report").click()
    expect(heading(page)).to_have_text("Revoke API token Monthly report?")
    a11y.strict(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(heading(page)).to_have_text("API tokens")
    expect(page.locator("main")).to_contain_text("Revoked Monthly report. It no longer works.")
    expect(row).to_contain_text("Revoked")
    expect(page.get_by_role("link", name="Revoke token Monthly report")).to_have_count(0)
    a11y.strict(page)

    status, body = call_api(live_server.url, raw)
    assert (status, body) == (401, {"detail": "This token has been revoked."})


def test_without_javascript_the_token_is_there_to_copy_and_an_admin_revokes_it(
    no_js_page, browser, live_server, sunderland_lead, national_admin, sign_in, a11y
):
    page = no_js_page
    sign_in(page, sunderland_lead)
    page.goto(f"{live_server.url}/account/tokens/")
    page.locator("#id_name").fill("Nightly sync")
    page.get_by_role("button", name="Create token").click()
    expect(heading(page)).to_have_text("Your new API token: Nightly sync")
    expect(page.get_by_role("button", name="Copy token")).to_be_hidden()
    raw = page.locator("#new-token").input_value()
    assert tokens.looks_like_token(raw)
    a11y.strict(page)
    assert call_api(live_server.url, raw)[0] == 200

    admin = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    try:
        sign_in(admin, national_admin)
        admin.goto(f"{live_server.url}/people/{sunderland_lead.pk}/")
        table = admin.locator("#api-tokens")
        expect(table).to_contain_text("Nightly sync")
        expect(table).to_contain_text("Active")
        a11y(admin)
        a11y.strict(admin)
        admin.get_by_role("link", name="Revoke token Nightly sync").click()
        expect(heading(admin)).to_have_text("Revoke David Lowe's API token Nightly sync?")
        a11y.strict(admin)
        admin.get_by_role("button", name="Revoke token").click()
        expect(heading(admin)).to_have_text("David Lowe")
        expect(table).to_contain_text("Revoked")
        expect(table).to_contain_text("by Nadia Shah")
        a11y(admin)
    finally:
        admin.context.close()

    assert call_api(live_server.url, raw)[0] == 401
    page.goto(f"{live_server.url}/account/tokens/")
    expect(page.locator("#api-tokens")).to_contain_text("by Nadia Shah")
    a11y.strict(page)
