"""Sign-in sessions in a real browser (issue 19): the idle-timeout warning as a dialog with
JavaScript and as a page without it, being signed out, and the sign-ins people and national
admins see. The timeouts are shortened to seconds here; waits are Playwright's own."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SECONDS = 1 / 60  # the settings are in minutes


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def short_sessions(settings):
    """Each page load counts as activity (written at once), so that seconds-long timeouts hold."""
    settings.SESSION_ACTIVITY_WRITE_SECONDS = 0

    def set_timeout(idle: int, warning: int) -> None:
        settings.SESSION_IDLE_TIMEOUT_MINUTES = idle * SECONDS
        settings.SESSION_TIMEOUT_WARNING_MINUTES = warning * SECONDS

    return set_timeout


def test_the_timeout_dialog_keeps_you_signed_in_then_signs_you_out(
    page, live_server, sunderland_lead, sign_in, a11y, short_sessions
):
    short_sessions(idle=30, warning=20)  # the dialog 10 seconds after a page loads
    sign_in(page, sunderland_lead)
    page.goto(f"{live_server.url}/account/")
    expect(heading(page)).to_have_text("Your account")
    a11y.strict(page)

    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(dialog).to_be_visible(timeout=20_000)
    expect(dialog).to_contain_text(re.compile(r"We will sign you out in \d+ seconds"))
    expect(dialog).to_contain_text("to protect your information")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    expect(stay).to_be_focused()  # focus moved into the dialog
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_focused()
    a11y.strict(page)

    # Escape means "Stay signed in": the dialog closes and the session goes on.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(heading(page)).to_have_text("Your account")

    # Next time, the button; then nothing more, until the session ends.
    expect(dialog).to_be_visible(timeout=20_000)
    stay.click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(heading(page)).to_have_text("Your account")  # still signed in

    expect(heading(page)).to_have_text("You have been signed out", timeout=45_000)
    expect(page).to_have_title(re.compile(r"^You have been signed out - "))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    a11y.strict(page)
    page.get_by_role("link", name="Sign in again").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Faccount%2F$"))


def test_without_javascript_a_page_warns_and_stay_signed_in_works(
    no_js_page, live_server, sunderland_lead, sign_in, a11y, short_sessions
):
    page = no_js_page
    short_sessions(idle=40, warning=28)  # the refresh 12 seconds after a page loads
    sign_in(page, sunderland_lead)

    expect(heading(page)).to_have_text("You will be signed out soon", timeout=30_000)
    expect(page).to_have_url(re.compile(r"/accounts/session-ending/\?next=%2F$"))
    expect(page.get_by_text("to protect your information")).to_be_visible()
    a11y.strict(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(heading(page)).to_have_text("My work")
    a11y(page)

    # Warned again, and this time no answer: signed out.
    expect(heading(page)).to_have_text("You will be signed out soon", timeout=30_000)
    expect(heading(page)).to_have_text("You have been signed out", timeout=45_000)
    a11y.strict(page)
    expect(page.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", "/accounts/login/?next=%2F"
    )


def test_people_see_their_sign_ins_and_national_admins_everyones(
    page, browser, live_server, sunderland_lead, national_admin, sign_in, a11y
):
    # David mistypes his password once, then signs in.
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(sunderland_lead.email)
    page.locator("#id_password").fill("not-my-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    sign_in(page, sunderland_lead)

    page.get_by_role("navigation", name="Account").get_by_role("link", name="David Lowe").click()
    expect(heading(page)).to_have_text("Your account")
    a11y.strict(page)
    table = page.get_by_role("table", name="Your recent sign-ins")
    expect(table).to_contain_text("Signed in")
    expect(table).to_contain_text("Wrong email address or password")
    expect(table).to_contain_text("Chrome on Linux")
    expect(table).to_contain_text(re.compile(r"\d{1,2} \w+ \d{4} at \d{1,2}(:\d{2})?(am|pm)"))
    expect(page.get_by_text("CCG lead, NHS Sunderland CCG")).to_be_visible()

    admin = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    try:
        sign_in(admin, national_admin)
        admin.goto(f"{live_server.url}/people/?q=david")
        admin.get_by_role("link", name="David Lowe").click()
        expect(heading(admin)).to_have_text("David Lowe")
        a11y(admin)
        sign_ins = admin.get_by_role("table", name="Sign-ins")
        expect(sign_ins).to_contain_text("Wrong email address or password")
        expect(sign_ins).to_contain_text("Signed in")

        admin.get_by_role("link", name="All sign-ins").click()
        expect(heading(admin)).to_have_text("Sign-ins")
        a11y.strict(admin)
        admin.get_by_label("What happened").select_option("failure")
        admin.get_by_role("button", name="Filter").click()
        expect(admin).to_have_url(re.compile(r"outcome=failure"))
        expect(admin.get_by_text("1 sign-in.")).to_be_visible()
        expect(admin.get_by_role("table", name="Sign-ins")).to_contain_text("David Lowe")
        a11y.strict(admin)
    finally:
        admin.context.close()
