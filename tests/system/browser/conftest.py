"""Playwright in Debian's headless Chromium against pytest-django's live server.

Journeys sign in through the real form (`sign_in`) and run axe-core on every page they visit
(`check_accessibility`). The live server's tests are transactional, so each journey requests
`register` (or a persona, which depends on it) to have the reference data loaded.
"""

import os
import weakref

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Impacts that fail a journey; axe's "moderate" and "minor" findings are not enforced here.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()
_contexts_without_javascript: "weakref.WeakSet[BrowserContext]" = weakref.WeakSet()


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _new_page(browser: Browser, *, javascript: bool = True) -> Page:
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", java_script_enabled=javascript
    )
    if not javascript:
        _contexts_without_javascript.add(context)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser: Browser, live_server) -> Page:
    """A fresh browser context and page for one test."""
    page = _new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Page:
    """A fresh page whose context runs no JavaScript at all."""
    page = _new_page(browser, javascript=False)
    yield page
    page.context.close()


def _axe_response(page: Page) -> dict:
    """axe-core's results for the page as it stands.

    axe waits on timers, which never fire in a context with JavaScript disabled, so such a
    page's HTML is served again, at the same address (so that its stylesheets load), to a
    scratch page that runs axe but not the page's own scripts.
    """
    if page.context not in _contexts_without_javascript:
        return _axe.run(page).response
    url, html = page.url, page.content()
    scratch = _new_page(page.context.browser)
    try:
        scratch.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        scratch.route("**/*.{js,mjs}", lambda route: route.abort())
        scratch.goto(url)
        if scratch.url != url or scratch.title() != page.title():
            raise RuntimeError(f"could not copy {url} to a page that may run axe")
        return _axe.run(scratch).response
    finally:
        scratch.context.close()


def check_accessibility(page: Page) -> None:
    """Fail on any serious or critical axe-core violation on the current page."""
    page.wait_for_load_state("load")
    violations = _axe_response(page)["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core found serious or critical violations on {page.url}:"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    at {' '.join(map(str, n['target']))}" for n in violation["nodes"])
        raise AssertionError("\n".join(lines))


def check_no_violations(page: Page) -> None:
    """For pages built new: no axe-core violation at all, whatever its impact."""
    page.wait_for_load_state("load")
    found = [f"{v['id']} ({v.get('impact')})" for v in _axe_response(page)["violations"]]
    assert not found, f"axe-core found violations on {page.url}: {', '.join(found)}"


@pytest.fixture
def a11y():
    """The accessibility check as a fixture: `a11y(page)` after each navigation, and
    `a11y.strict(page)` on pages built new (no violation at all)."""

    def check(page: Page) -> None:
        check_accessibility(page)

    check.strict = check_no_violations
    return check


def _sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign in to Collaborative Commissioning"
    )
    check_accessibility(page)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    check_accessibility(page)


@pytest.fixture
def sign_in(live_server):
    """Sign a user in through the real login form: `sign_in(page, user)`; lands on My work."""

    def sign_in(page: Page, user, password: str = PASSWORD) -> None:
        _sign_in(page, live_server.url, user.email, password)

    return sign_in
