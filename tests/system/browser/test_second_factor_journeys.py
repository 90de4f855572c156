"""Two-step sign-in in a real browser (issue 19): a national admin sets up an authenticator app
at first sign-in and signs in with password and code; signs in with a recovery code (without
JavaScript); a person who chose two-step sign-in is locked out by wrong codes, and turns it off."""

import base64
import re
import time

import pytest
from django_otp.oath import hotp
from playwright.sync_api import Page, expect

from accounts import otp
from tests.factories import PASSWORD, authenticator_code, make_authenticator

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def _password_step(page: Page, base_url: str, user) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _code_from_the_key_shown(page: Page) -> str:
    """What an authenticator app shows after the key on the page is typed into it."""
    shown = page.locator("#two-step-secret").text_content().replace("Setup key:", "")
    key = "".join(shown.split())
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{hotp(secret, int(time.time()) // 30):06d}"


def test_a_national_admin_sets_up_two_step_then_signs_in_with_a_code(
    second_factor_enforced, page, live_server, national_admin, a11y
):
    url = live_server.url
    _password_step(page, url, national_admin)

    # Sent straight to set-up; nothing else opens until it is done.
    expect(heading(page)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    a11y.strict(page)
    page.goto(f"{url}/register/")
    expect(heading(page)).to_have_text("Set up your authenticator app")

    page.locator("#id_code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#id_code_error")).to_contain_text("The code is not right")
    expect(page).to_have_title(re.compile(r"^Set up your authenticator app - Error - "))
    a11y.strict(page)

    page.locator("#id_code").fill(_code_from_the_key_shown(page))
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    a11y.strict(page)
    page.get_by_role("link", name="I have kept my recovery codes safe").click()
    expect(page).to_have_url(f"{url}/register/")  # the page last asked for
    a11y(page)
    page.goto(f"{url}/")
    expect(heading(page)).to_have_text("My work")
    a11y(page)

    page.get_by_role("button", name="Sign out").click()
    _password_step(page, url, national_admin)
    expect(heading(page)).to_have_text("Enter the code from your authenticator app")
    a11y.strict(page)
    page.locator("#id_code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#id_code_error")).to_contain_text("The code is not right")
    a11y.strict(page)
    page.locator("#id_code").fill(authenticator_code(otp.authenticator_of(national_admin)))
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("My work")
    a11y(page)

    page.goto(f"{url}/admin/")
    expect(page.get_by_text("Collaborative Commissioning admin").first).to_be_visible()
    page.goto(f"{url}/account/two-step/")
    expect(page.locator("#two-step-status")).to_contain_text("Yes, you must use two-step sign-in")
    a11y.strict(page)
    page.get_by_role("link", name="Make new recovery codes").click()
    expect(heading(page)).to_have_text("Make new recovery codes")
    a11y.strict(page)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.goto(f"{url}/account/two-step/remove/")
    expect(page.locator("#two-step-required")).to_be_visible()
    a11y.strict(page)


def test_a_national_admin_signs_in_with_a_recovery_code_without_javascript(
    second_factor_enforced, no_js_page, live_server, national_admin, a11y
):
    page = no_js_page
    _, codes = make_authenticator(national_admin)
    _password_step(page, live_server.url, national_admin)
    expect(heading(page)).to_have_text("Enter the code from your authenticator app")
    page.get_by_role("link", name="use a recovery code").click()
    expect(heading(page)).to_have_text("Enter a recovery code")
    a11y.strict(page)
    page.locator("#id_code").fill(otp.recovery_code_shown(codes[0]))
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("My work")
    expect(page.get_by_role("status")).to_contain_text("You have 9 recovery codes left")
    a11y(page)

    page.get_by_role("button", name="Sign out").click()
    _password_step(page, live_server.url, national_admin)
    page.get_by_role("link", name="use a recovery code").click()
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#id_code_error")).to_contain_text("has been used already")
    a11y.strict(page)


def test_a_person_who_chose_two_step_is_locked_out_then_turns_it_off(
    second_factor_enforced, settings, page, live_server, roleless_user, north_reviewer, a11y
):
    url = live_server.url
    make_authenticator(roleless_user)
    _password_step(page, url, roleless_user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.locator("#id_code").fill("000000")
        page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Too many wrong codes")
    expect(page.locator("#two-step-locked")).to_contain_text("Try again after")
    a11y.strict(page)

    device, _ = make_authenticator(north_reviewer)
    context = page.context.browser.new_context(locale="en-GB", timezone_id="Europe/London")
    second = context.new_page()
    _password_step(second, url, north_reviewer)
    second.locator("#id_code").fill(authenticator_code(device))
    second.get_by_role("button", name="Continue").click()
    expect(heading(second)).to_have_text("My work")
    second.goto(f"{url}/account/two-step/")
    expect(second.locator("#two-step-status")).to_contain_text("No, it is your choice")
    second.get_by_role("link", name="Turn off two-step sign-in").click()
    expect(heading(second)).to_have_text("Turn off two-step sign-in")
    a11y.strict(second)
    second.locator("#id_code").fill(authenticator_code(device))
    second.get_by_role("button", name="Turn off two-step sign-in").click()
    expect(second.get_by_role("status")).to_contain_text("Two-step sign-in is off.")
    expect(second.locator("#two-step-status")).to_contain_text("Off")
    a11y.strict(second)
    context.close()
