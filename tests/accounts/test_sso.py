"""Single sign-on without a provider (issue 19): who a set of claims may sign in as, and the
pages and addresses with nothing configured, one provider or two. The flow against a real
provider is in tests/system/test_sso_provider.py and tests/system/browser/test_sso_journeys.py."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts import services, sso
from accounts.models import ExternalIdentity, RoleAssignment, User
from commissioning.models import AuditEvent
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
DISCOVERY = "https://nhsmail.example/.well-known/openid-configuration"
DOCUMENT = {
    "issuer": "https://nhsmail.example",
    "authorization_endpoint": "https://nhsmail.example/authorize",
    "token_endpoint": "https://nhsmail.example/token",
    "jwks_uri": "https://nhsmail.example/jwks",
}
RAW = {
    "label": "NHSmail",
    "discovery_url": DISCOVERY,
    "client_id": "cc",
    "client_secret": "s3cret",
    "allowed_domains": "example.nhs.uk",
}
NHSMAIL = sso.provider_from("nhsmail", RAW)


@pytest.fixture
def nadia(db):
    return make_user("nadia@example.nhs.uk", "Nadia Shah")


@pytest.fixture
def configured(settings):
    """Two providers; NHSmail's discovery document already cached (so no network)."""
    settings.OIDC_PROVIDERS = {
        "nhsmail": RAW,
        "acme": {**RAW, "label": "Acme ICB", "discovery_url": DISCOVERY + "?acme"},
    }
    keys = [sso.discovery_cache_key(provider.discovery_url) for provider in sso.providers()]
    for key in keys:
        cache.set(key, DOCUMENT)
    yield
    cache.delete_many(keys)  # only its own keys: never flush a cache other tests share


def claims(sub="sub-1", email="nadia@example.nhs.uk", verified=True, **extra):
    return {"sub": sub, "email": email, "email_verified": verified, **extra}


def refusal(provider=NHSMAIL, **given) -> str:
    with pytest.raises(sso.SSORefused) as refused:
        services.sso_user_for(provider=provider, claims=claims(**given))
    return refused.value.reason


# Who may sign in -------------------------------------------------------------------------


def test_the_first_sign_in_links_the_subject_in_any_case_and_is_audited(nadia):
    user = services.sso_user_for(provider=NHSMAIL, claims=claims(email="Nadia@Example.NHS.uk"))

    assert user == nadia
    link = ExternalIdentity.objects.get()
    assert (link.provider, link.subject, link.user, link.email) == (
        "nhsmail",
        "sub-1",
        nadia,
        "nadia@example.nhs.uk",
    )
    event = AuditEvent.objects.get(verb="sso.linked")
    assert event.actor == nadia
    assert event.data["provider"] == "nhsmail"

    assert services.sso_user_for(provider=NHSMAIL, claims=claims()) == nadia
    assert AuditEvent.objects.filter(verb="sso.linked").count() == 1
    assert ExternalIdentity.objects.count() == 1


def test_a_linked_subject_whose_address_changed_still_signs_in_its_person(nadia):
    services.sso_user_for(provider=NHSMAIL, claims=claims())
    moved = claims(email="nadia.shah@example.nhs.uk")
    assert services.sso_user_for(provider=NHSMAIL, claims=moved) == nadia


def test_a_linked_subject_bringing_someone_elses_address_is_refused(nadia):
    make_user("david@example.nhs.uk", "David Jones")
    services.sso_user_for(provider=NHSMAIL, claims=claims())
    assert refusal(email="david@example.nhs.uk") == "conflict"


def test_a_second_subject_for_an_already_linked_person_is_refused(nadia):
    services.sso_user_for(provider=NHSMAIL, claims=claims())
    assert refusal(sub="sub-2") == "conflict"
    assert ExternalIdentity.objects.count() == 1


def test_the_same_person_may_link_one_subject_at_each_provider(nadia):
    acme = sso.provider_from("acme", RAW)
    services.sso_user_for(provider=NHSMAIL, claims=claims())
    assert services.sso_user_for(provider=acme, claims=claims(sub="acme-1")) == nadia
    assert ExternalIdentity.objects.count() == 2


@pytest.mark.parametrize("verified", [False, None, "false"])
def test_an_unverified_address_is_refused(nadia, verified):
    assert refusal(verified=verified) == "unverified"
    assert not ExternalIdentity.objects.exists()


def test_a_verified_string_is_accepted_and_a_trusted_provider_needs_no_verification(nadia):
    assert services.sso_user_for(provider=NHSMAIL, claims=claims(verified="true")) == nadia
    trusting = sso.provider_from("entra", {**RAW, "trust_email": "true"})
    unmarked = {"sub": "entra-1", "email": "nadia@example.nhs.uk"}
    assert services.sso_user_for(provider=trusting, claims=unmarked) == nadia


def test_an_address_outside_the_allowed_domains_is_refused(nadia):
    make_user("nadia@gmail.com", "Nadia Elsewhere")
    assert refusal(email="nadia@gmail.com") == "domain"


def test_no_address_or_no_subject_is_refused(nadia):
    assert refusal(email="") == "unverified"
    assert refusal(sub="") == "unverified"


def test_the_email_claim_may_be_named(nadia):
    upn = sso.provider_from("entra", {**RAW, "email_claim": "upn"})
    given = claims(email="someone@else.example", upn="NADIA@example.nhs.uk")
    assert services.sso_user_for(provider=upn, claims=given) == nadia


def test_an_unknown_person_is_refused_and_nothing_is_created(nadia):
    people, roles = User.objects.count(), RoleAssignment.objects.count()
    assert refusal(email="newcomer@example.nhs.uk") == "unknown"
    assert (User.objects.count(), RoleAssignment.objects.count()) == (people, roles)
    assert not ExternalIdentity.objects.exists()


def test_an_inactive_person_is_refused_linked_or_not(nadia):
    nadia.is_active = False
    nadia.save()
    assert refusal() == "unknown"
    nadia.is_active = True
    nadia.save()
    services.sso_user_for(provider=NHSMAIL, claims=claims())
    nadia.is_active = False
    nadia.save()
    assert refusal() == "unknown"


# Pages and addresses ---------------------------------------------------------------------


def test_nothing_configured_no_button_and_no_sso_addresses(client, settings, nadia):
    settings.OIDC_PROVIDERS = {}
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert b"Sign in with" not in page.content
    assert b"Or sign in with your NHS account" not in page.content
    assert client.get("/accounts/sso/nhsmail/start/").status_code == 404
    assert client.get("/accounts/sso/nhsmail/callback/?code=x&state=y").status_code == 404


def test_a_button_per_provider_keeping_where_to_go_next(client, configured):
    page = client.get(LOGIN + "?next=/people/").content.decode()
    assert 'href="/accounts/sso/nhsmail/start/?next=%2Fpeople%2F">Sign in with NHSmail</a>' in page
    assert 'href="/accounts/sso/acme/start/?next=%2Fpeople%2F">Sign in with Acme ICB</a>' in page
    assert client.get("/accounts/sso/other/start/").status_code == 404


def test_start_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(client, configured):
    response = client.get("/accounts/sso/nhsmail/start/?next=/people/")

    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == DOCUMENT["authorization_endpoint"]
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "cc"
    assert query["redirect_uri"] == "http://testserver/accounts/sso/nhsmail/callback/"
    assert query["code_challenge_method"] == "S256"
    started = client.session["oidc_states"][query["state"]]
    assert started["provider"] == "nhsmail"
    assert started["nonce"] == query["nonce"]
    assert started["next"] == "/people/"
    assert len(started["code_verifier"]) == 64
    assert query["code_challenge"] != started["code_verifier"]


def test_start_refuses_an_outside_next(client, configured):
    client.get("/accounts/sso/nhsmail/start/?next=https://evil.example/")
    [started] = client.session["oidc_states"].values()
    assert started["next"] == ""


def _start(client, provider="nhsmail") -> str:
    location = client.get(f"/accounts/sso/{provider}/start/")["Location"]
    return parse_qs(urlsplit(location).query)["state"][0]


def test_a_callback_with_a_state_never_given_is_refused(client, configured):
    _start(client)
    response = client.get("/accounts/sso/nhsmail/callback/?code=x&state=forged")
    assert response.status_code == 400
    assert b"Sign-in did not work" in response.content
    assert "_auth_user_id" not in client.session


def test_a_state_given_for_another_provider_is_refused_and_used_up(client, configured):
    state = _start(client, "acme")
    response = client.get(f"/accounts/sso/nhsmail/callback/?code=x&state={state}")
    assert response.status_code == 400
    assert state not in client.session["oidc_states"]


def test_the_provider_saying_no_is_explained(client, configured):
    state = _start(client)
    response = client.get(f"/accounts/sso/nhsmail/callback/?error=access_denied&state={state}")
    assert response.status_code == 400
    assert b"Sign-in did not work" in response.content


def test_a_state_older_than_the_limit_must_start_again(client, configured, settings):
    state = _start(client)
    session = client.session
    session["oidc_states"][state]["added_on"] = time.time() - settings.OIDC_STATE_MAX_AGE - 1
    session.save()
    response = client.get(f"/accounts/sso/nhsmail/callback/?code=x&state={state}")
    assert response.status_code == 400
    assert b"Your sign-in timed out" in response.content
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_is_explained(client, settings):
    from tests.system.processes import free_port

    closed = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    settings.OIDC_PROVIDERS = {"nhsmail": {**RAW, "discovery_url": closed}}
    response = client.get("/accounts/sso/nhsmail/start/")
    assert response.status_code == 503
    assert b"Sign-in is not available" in response.content


# Password sign-in is untouched -------------------------------------------------------------


def test_password_sign_in_and_its_lockout_still_apply_with_providers(
    client, configured, nadia, settings
):
    assert client.post(LOGIN, {"username": nadia.email, "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": nadia.email, "password": "wrong"})
    locked = client.post(LOGIN, {"username": nadia.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_sso_backend_takes_no_password_and_grants_no_permission(nadia):
    request = RequestFactory().post(LOGIN)
    user = authenticate(request, username=nadia.email, password=PASSWORD)
    assert user == nadia
    assert user.backend == "django.contrib.auth.backends.ModelBackend"
    assert sso.SSOBackend().authenticate(request, sso_code="x") is None
    assert sso.SSOBackend().has_perm(nadia, "accounts.view_user") is False
    assert sso.SSOBackend().get_user(nadia.pk) == nadia


def test_a_password_session_signs_out_to_the_sign_in_page(client, configured, nadia):
    client.force_login(nadia)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN


def test_a_national_admin_sees_a_persons_links_in_the_admin(client, national_admin):
    given = claims(sub="nhsmail-subject-1", email=national_admin.email)
    services.sso_user_for(provider=NHSMAIL, claims=given)
    client.force_login(national_admin)
    page = client.get(f"/admin/accounts/user/{national_admin.pk}/change/")
    assert page.status_code == 200
    assert b"nhsmail-subject-1" in page.content
