"""Sign-in records (issue 19): every sign-in, failure, lock-out and sign-out leaves a SignIn row
and an audit event; people see their own, national admins everyone's, others nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import events
from accounts.models import SignIn, browser_summary
from commissioning.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def _sign_in(client, email, password=PASSWORD):
    return client.post(
        LOGIN, {"username": email, "password": password}, headers={"User-Agent": CHROME}
    )


def test_a_sign_in_is_recorded_and_audited(client, sunderland_lead):
    _sign_in(client, "David@Example.nhs.uk")
    row = SignIn.objects.get()
    assert (row.user, row.outcome, row.method) == (sunderland_lead, "success", "password")
    assert row.email_key == "david@example.nhs.uk"
    assert row.ip_address == "127.0.0.1"
    assert row.browser == "Chrome on Windows"
    event = AuditEvent.objects.get(verb=events.SIGNIN_SUCCEEDED)
    assert (event.actor, event.target_id) == (sunderland_lead, str(row.pk))
    assert event.label == "Signed in"


def test_a_failure_is_recorded_against_the_address_without_the_password(client, sunderland_lead):
    _sign_in(client, "DAVID@example.nhs.uk", "my-secret-guess")
    row = SignIn.objects.get()
    assert (row.user, row.outcome, row.email_key) == (
        sunderland_lead,
        "failure",
        "david@example.nhs.uk",
    )
    event = AuditEvent.objects.get(verb=events.SIGNIN_FAILED)
    assert event.actor is None  # someone tried the address: not necessarily its owner
    stored = str([vars(r) for r in SignIn.objects.all()]) + str(
        [(e.data, e.target_repr) for e in AuditEvent.objects.all()]
    )
    assert "my-secret-guess" not in stored


def test_a_failure_for_an_unknown_address_is_recorded_without_a_person(client, register):
    _sign_in(client, "nobody@example.nhs.uk", "whatever")
    row = SignIn.objects.get()
    assert (row.user, row.outcome, row.email_key) == (None, "failure", "nobody@example.nhs.uk")
    assert AuditEvent.objects.filter(verb=events.SIGNIN_FAILED).count() == 1


def test_a_lock_out_is_recorded_once_then_each_refused_attempt(client, sunderland_lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, sunderland_lead.email, "wrong")
    failures = SignIn.objects.filter(outcome=SignIn.Outcome.FAILURE)
    locked = SignIn.objects.filter(outcome=SignIn.Outcome.LOCKED_OUT)
    # The last wrong password locked the address: told by the lock-out row.
    assert failures.count() == settings.AXES_FAILURE_LIMIT - 1
    assert locked.count() == 1
    assert locked.get().user == sunderland_lead
    assert AuditEvent.objects.filter(verb=events.SIGNIN_LOCKED_OUT).count() == 1
    # The right password while locked out: refused, recorded as a lock-out, not a failure.
    assert _sign_in(client, sunderland_lead.email).status_code == 429
    assert failures.count() == settings.AXES_FAILURE_LIMIT - 1
    assert locked.count() == 2
    assert not SignIn.objects.filter(outcome=SignIn.Outcome.SUCCESS).exists()


def test_signing_out_is_recorded(client, sunderland_lead):
    _sign_in(client, sunderland_lead.email)
    client.post(reverse("accounts:logout"))
    row = SignIn.objects.get(outcome=SignIn.Outcome.SIGNED_OUT)
    assert row.user == sunderland_lead
    assert AuditEvent.objects.filter(verb=events.SIGNIN_SIGNED_OUT, actor=sunderland_lead).exists()


def test_single_sign_on_is_told_apart():
    from accounts.signins import method_of

    assert method_of("mozilla_django_oidc.auth.OIDCAuthenticationBackend") == "sso"
    assert method_of("django.contrib.auth.backends.ModelBackend") == "password"


@pytest.mark.parametrize(
    ("agent", "summary"),
    [
        (CHROME, "Chrome on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox on Linux",
        ),
        (
            f"{CHROME} Edg/120.0.0.0",
            "Edge on Windows",
        ),
        ("curl/8.4.0", "Other browser"),
        ("", "Unknown browser"),
    ],
)
def test_browser_summary(agent, summary):
    assert browser_summary(agent) == summary


# Your account


def test_your_account_shows_who_you_are_and_your_sign_ins(client, sunderland_lead, nec_hub_officer):
    _sign_in(client, sunderland_lead.email, "wrong")
    _sign_in(client, nec_hub_officer.email)  # someone else's: never shown to David
    client.post(reverse("accounts:logout"))
    _sign_in(client, sunderland_lead.email)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "<h1>Your account</h1>" in html
    assert "David Lowe" in html
    assert "david@example.nhs.uk" in html
    assert "CCG lead, NHS Sunderland CCG" in html
    assert "Wrong email address or password" in html  # a failure against his address
    assert html.count("Chrome on Windows") == 2
    assert "helen@example.nhs.uk" not in html
    assert " at " in html  # "1 April 2015 at 9:30am"
    assert 'href="/account/"' in html  # the header's name links here


def test_your_account_needs_signing_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_your_account_lists_the_last_20(client, sunderland_lead, django_assert_max_num_queries):
    SignIn.objects.bulk_create(
        SignIn(user=sunderland_lead, outcome="success", email_key=sunderland_lead.email)
        for _ in range(30)
    )
    client.force_login(sunderland_lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:account"))
    assert len(response.context["sign_ins"]) == 20


# National admins: a person's page and every sign-in


def _seed(people, count=3):
    """`count` sign-ins, failures and lock-outs for each person, from Chrome on Windows."""
    SignIn.objects.bulk_create(
        SignIn(user=person, email_key=person.email, outcome=outcome, user_agent=CHROME)
        for person in people
        for outcome in ("success", "failure", "locked_out")
        for _ in range(count)
    )


def test_a_national_admin_sees_a_persons_sign_ins(
    client, national_admin, sunderland_lead, django_assert_max_num_queries
):
    _seed([sunderland_lead], count=10)
    client.force_login(national_admin)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("accounts:person-detail", args=[sunderland_lead.pk]))
    html = response.content.decode()
    assert "<h2>Sign-ins</h2>" in html
    assert len(response.context["sign_ins"]) == 20
    assert "Locked out after too many attempts" in html


def test_a_national_admin_lists_and_filters_every_sign_in(
    client, national_admin, sunderland_lead, nec_hub_officer, django_assert_max_num_queries
):
    _seed([sunderland_lead, nec_hub_officer], count=20)  # 120 rows, and Nadia's sign-in
    client.force_login(national_admin)
    url = reverse("accounts:sign-ins")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 121
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(12):
        failed = client.get(url, {"outcome": "failure"})
    assert failed.context["page"].paginator.count == 40
    assert {s.outcome for s in failed.context["page"].object_list} == {"failure"}
    with django_assert_max_num_queries(12):
        second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 50
    assert "page=3" in second.content.decode()
    nonsense = client.get(url, {"outcome": "nonsense"})
    assert nonsense.context["page"].paginator.count == 121


@pytest.mark.parametrize(
    "persona", ["anonymous", "roleless_user", "sunderland_lead", "north_reviewer"]
)
def test_only_national_admins_see_others_sign_ins(client, request, persona, nec_hub_officer):
    _seed([nec_hub_officer])
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("accounts:sign-ins"),
        reverse("accounts:person-detail", args=[nec_hub_officer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == (302 if persona == "anonymous" else 403), url
        assert b"helen@example.nhs.uk" not in response.content


# The API


def test_api_sign_ins_for_national_admins(api_client, national_admin, sunderland_lead):
    _seed([sunderland_lead])
    api_client.force_authenticate(national_admin)
    data = api_client.get(reverse("api:sign-in-list"), {"outcome": "failure"}).json()
    assert data["count"] == 3
    first = data["results"][0]
    assert first["user"] == "david@example.nhs.uk"
    assert first["outcome"] == "failure"
    assert first["browser"] == "Chrome on Windows"


@pytest.mark.parametrize("persona", ["roleless_user", "sunderland_lead", "nec_hub_officer"])
def test_api_sign_ins_refused_to_others(api_client, request, persona, north_reviewer):
    _seed([north_reviewer])
    api_client.force_authenticate(request.getfixturevalue(persona))
    response = api_client.get(reverse("api:sign-in-list"))
    assert response.status_code == 403
    assert b"robert@example.nhs.uk" not in response.content


def test_api_sign_ins_refused_without_credentials(api_client, north_reviewer):
    _seed([north_reviewer])
    response = api_client.get(reverse("api:sign-in-list"))
    assert response.status_code == 401
    assert b"robert@example.nhs.uk" not in response.content


def test_api_my_sign_ins_are_only_mine(api_client, sunderland_lead, nec_hub_officer):
    _seed([sunderland_lead, nec_hub_officer], count=1)
    api_client.force_authenticate(sunderland_lead)
    response = api_client.get(reverse("api:me-sign-ins"))
    assert response.status_code == 200
    assert {row["email"] for row in response.json()} == {"david@example.nhs.uk"}
    assert len(response.json()) == 3
    assert "no-store" in response["Cache-Control"]


def test_api_sign_ins_are_never_served_from_the_cache(client, sunderland_lead):
    client.force_login(sunderland_lead)
    url = reverse("api:me-sign-ins")
    before = len(client.get(url).json())
    _sign_in(Client(), sunderland_lead.email, "wrong")  # someone else, elsewhere
    assert len(client.get(url).json()) == before + 1
