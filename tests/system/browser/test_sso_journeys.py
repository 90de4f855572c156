"""Single sign-on in a real browser against a real local OpenID Connect provider (issue 19):
django-oidc-provider in its own project (tests/system/oidc_provider/), told the live server's
callback address when it starts."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import ExternalIdentity
from tests.system.oidc_provider.harness import PASSWORD, provider_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def local_provider(tmp_path_factory, live_server):
    with provider_for(tmp_path_factory.mktemp("oidc-provider"), live_server.url) as provider:
        yield provider


@pytest.fixture
def configured(settings, local_provider):
    settings.OIDC_PROVIDERS = local_provider.settings()
    return local_provider


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def through_the_provider(page: Page, live_server, username: str, a11y) -> None:
    """From our sign-in page, press the button and sign in at the provider's own form."""
    page.goto(f"{live_server.url}/accounts/login/")
    expect(heading(page)).to_have_text("Sign in to Collaborative Commissioning")
    a11y.strict(page)
    page.get_by_role("button", name="Sign in with NHSmail").click()
    expect(heading(page)).to_have_text("Local test provider")  # the provider's page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_national_admin_signs_in_and_out_with_nhsmail(
    request, live_server, configured, national_admin, a11y, javascript
):
    page = request.getfixturevalue("page" if javascript else "no_js_page")

    through_the_provider(page, live_server, "nadia", a11y)

    expect(heading(page)).to_have_text("My work")
    expect(page.get_by_text("Nadia Shah")).to_be_visible()
    a11y(page)
    assert ExternalIdentity.objects.filter(user=national_admin, provider="nhsmail").exists()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(heading(page)).to_have_text("Sign in to Collaborative Commissioning")
    a11y(page)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


@pytest.mark.parametrize(
    ("username", "title", "says"),
    [
        ("newcomer", "You do not have access yet", "Ask a national admin to add you"),
        ("nadia-unverified", "Your email address is not verified", "did not confirm"),
        ("nadia-gmail", "This email address cannot be used here", "@example.nhs.uk"),
    ],
)
def test_someone_who_may_not_sign_in_is_told_why(
    page, live_server, configured, national_admin, a11y, username, title, says
):
    through_the_provider(page, live_server, username, a11y)

    expect(heading(page)).to_have_text(title)
    expect(page).to_have_title(f"{title} - Collaborative Commissioning - NHS England")
    expect(page.locator("main")).to_contain_text(says)
    a11y.strict(page)
    page.get_by_role("link", name="Go to the sign-in page").click()
    expect(heading(page)).to_have_text("Sign in to Collaborative Commissioning")


def test_a_forged_answer_signs_no_one_in(page, live_server, configured, a11y):
    page.goto(f"{live_server.url}/accounts/sso/nhsmail/callback/?code=stolen&state=forged")

    expect(heading(page)).to_have_text("Sign-in did not work")
    a11y.strict(page)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
