"""Single sign-on against a real OpenID Connect provider (issue 19): django-oidc-provider in a
project of its own (tests/system/oidc_provider/), started on 127.0.0.1 as a process. The
product is driven with Django's test client; the provider, over HTTP, as a browser would.
"""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
import time_machine
from django.utils import timezone

from accounts.models import ExternalIdentity, RoleAssignment, User
from commissioning.models import AuditEvent
from tests.system.oidc_provider.harness import PASSWORD, provider_for

CALLBACK = "http://testserver/accounts/sso/nhsmail/callback/"
SIGN_IN = "http://testserver/accounts/login/"


@pytest.fixture(scope="module")
def local_provider(tmp_path_factory):
    with provider_for(tmp_path_factory.mktemp("oidc-provider"), "http://testserver") as provider:
        yield provider


@pytest.fixture
def configured(settings, local_provider):
    settings.OIDC_PROVIDERS = local_provider.settings()
    return local_provider


def start(client) -> str:
    """Press "Sign in with NHSmail": the provider's authorisation URL."""
    response = client.get("/accounts/sso/nhsmail/start/")
    assert response.status_code == 302
    return response["Location"]


def at_provider(authorize_url: str, username: str, browser=None) -> str:
    """Sign in at the provider's own form and return where it sends the browser back to."""
    browser = browser or requests.Session()
    login = browser.get(authorize_url, timeout=10)
    assert "Local test provider" in login.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    next_url = parse_qs(urlsplit(login.url).query)["next"][0]
    posted = browser.post(
        login.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PASSWORD,
            "next": next_url,
        },
        headers={"Referer": login.url},
        allow_redirects=False,
        timeout=10,
    )
    assert posted.status_code == 302, posted.text
    authorised = browser.get(
        requests.compat.urljoin(login.url, posted.headers["Location"]),
        allow_redirects=False,
        timeout=10,
    )
    assert authorised.status_code == 302, authorised.text
    return authorised.headers["Location"]


def signed_in_as(client):
    response = client.get("/")
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return None
    return response.wsgi_request.user


def verbs_for(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor=user, verb__in=["sso.linked", "signin.sso"])
        .order_by("id")
        .values_list("verb", flat=True)
    )


@pytest.mark.system
@pytest.mark.django_db
def test_first_sign_in_links_the_person_and_the_next_signs_in_by_subject(
    client, configured, national_admin
):
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"]
    assert query["state"]

    response = client.get(at_provider(authorize, "nadia"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == national_admin
    link = ExternalIdentity.objects.get(provider="nhsmail", user=national_admin)
    assert link.email == "nadia@example.nhs.uk"
    assert link.last_signed_in_at is not None
    assert verbs_for(national_admin) == ["sso.linked", "signin.sso"]

    client.logout()
    browser = requests.Session()
    client.get(at_provider(start(client), "nadia", browser))
    assert signed_in_as(client) == national_admin
    assert ExternalIdentity.objects.filter(user=national_admin).count() == 1
    assert verbs_for(national_admin) == ["sso.linked", "signin.sso", "signin.sso"]


@pytest.mark.system
@pytest.mark.django_db
def test_where_to_go_next_survives_the_trip(client, configured, national_admin):
    response = client.get("/accounts/sso/nhsmail/start/?next=/people/")
    back = client.get(at_provider(response["Location"], "nadia"))
    assert back["Location"] == "/people/"


@pytest.mark.system
@pytest.mark.django_db
def test_a_tampered_state_is_refused(client, configured, national_admin):
    back = at_provider(start(client), "nadia")
    tampered = re.sub(r"state=[^&]+", "state=forged", back)

    response = client.get(tampered)

    assert response.status_code == 400
    assert b"Sign-in did not work" in response.content
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()


@pytest.mark.system
@pytest.mark.django_db
def test_a_code_used_twice_is_refused(client, configured, national_admin):
    back = at_provider(start(client), "nadia")
    assert client.get(back).status_code == 302
    client.logout()

    # The same answer again: its state was used up.
    again = client.get(back)
    assert again.status_code == 400
    assert signed_in_as(client) is None

    # The used code with a fresh state: the provider itself refuses the code.
    fresh_state = parse_qs(urlsplit(start(client)).query)["state"][0]
    code = parse_qs(urlsplit(back).query)["code"][0]
    replayed = client.get(f"{CALLBACK}?{urlencode({'code': code, 'state': fresh_state})}")
    assert replayed.status_code == 400
    assert b"Sign-in did not work" in replayed.content
    assert signed_in_as(client) is None


@pytest.mark.system
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("nadia-unverified", b"Your email address is not verified"),
        ("nadia-gmail", b"This email address cannot be used here"),
    ],
)
def test_an_unverified_or_outside_address_is_refused(
    client, configured, national_admin, username, heading
):
    response = client.get(at_provider(start(client), username))

    assert response.status_code == 403
    assert heading in response.content
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()


@pytest.mark.system
@pytest.mark.django_db
def test_an_unknown_person_is_told_who_gives_access_and_nothing_is_created(
    client, configured, national_admin
):
    people, roles = User.objects.count(), RoleAssignment.objects.count()

    response = client.get(at_provider(start(client), "newcomer"))

    assert response.status_code == 403
    assert b"You do not have access yet" in response.content
    assert b"Ask a national admin to add you" in response.content
    assert b"newcomer@example.nhs.uk" in response.content
    assert signed_in_as(client) is None
    assert (User.objects.count(), RoleAssignment.objects.count()) == (people, roles)
    assert not ExternalIdentity.objects.exists()


@pytest.mark.system
@pytest.mark.django_db
def test_a_sign_in_left_too_long_at_the_provider_must_start_again(
    client, configured, national_admin
):
    authorize = start(client)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=11)):
        back = at_provider(authorize, "nadia")
        response = client.get(back)

    assert response.status_code == 400
    assert b"Your sign-in timed out" in response.content
    assert signed_in_as(client) is None


@pytest.mark.system
@pytest.mark.django_db
def test_an_expired_session_must_sign_in_again(client, configured, national_admin, settings):
    client.get(at_provider(start(client), "nadia"))
    assert signed_in_as(client) == national_admin

    later = timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later):
        assert signed_in_as(client) is None


@pytest.mark.system
@pytest.mark.django_db
def test_sign_out_ends_both_sessions_and_returns_to_sign_in(client, configured, national_admin):
    browser = requests.Session()
    client.get(at_provider(start(client), "nadia", browser))

    response = client.post("/accounts/logout/")

    assert signed_in_as(client) is None
    end_session = urlsplit(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == configured.url
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == [SIGN_IN]
    assert query["id_token_hint"][0].count(".") == 2
    at_provider_end = browser.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider_end.status_code == 302
    assert at_provider_end.headers["Location"] == SIGN_IN
    # Signed out at the provider too: a new sign-in asks for the password again.
    again = browser.get(start(client), timeout=10)
    assert "Local test provider" in again.text


@pytest.mark.system
@pytest.mark.django_db
def test_a_password_sign_out_is_unchanged(client, configured, national_admin):
    client.force_login(national_admin)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
