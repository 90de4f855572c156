"""The API tokens pages (issue 19): your own tokens, made and revoked by you; a national admin
sees and revokes anyone's from the person's page; nobody else sees another's (404)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts import events, tokens
from accounts.models import ApiToken
from commissioning.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:api-tokens")
NOON = datetime.datetime(2026, 6, 1, 11, tzinfo=datetime.UTC)


def _revoke_url(token) -> str:
    return reverse("accounts:api-token-revoke", args=[token.pk])


def test_anonymous_is_sent_to_sign_in(client, sunderland_lead):
    token, _raw = tokens.token_create(user=sunderland_lead, name="Script")
    for url in (TOKENS, _revoke_url(token)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(_revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


@time_machine.travel(NOON, tick=False)
def test_a_person_without_a_role_creates_a_token_and_sees_it_once(client, roleless_user):
    client.force_login(roleless_user)
    page = client.get(TOKENS)
    assert page.status_code == 200
    assert "You have no API tokens." in page.content.decode()
    response = client.post(TOKENS, {"name": "Laptop", "expires_on": "1 September 2026"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Copy this token now. You will not see it again." in html
    token = ApiToken.objects.get(user=roleless_user)
    assert token.expires_on == datetime.date(2026, 9, 1)
    secret = response.context["secret"]
    assert secret.startswith(f"cc_{token.prefix}_")
    assert f'value="{secret}"' in html
    listed = client.get(TOKENS).content.decode()
    assert secret not in listed
    assert "Laptop" in listed
    assert f"cc_{token.prefix}" in listed
    assert "Never used" in listed
    assert "1 September 2026" in listed
    assert AuditEvent.objects.filter(verb=events.API_TOKEN_CREATED, actor=roleless_user).exists()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a name for the token"),
        ({"name": "  "}, "name", "Enter a name for the token"),
        ({"name": "SCRIPT"}, "name", "You already have a token called"),
        ({"name": "x" * 101}, "name", "Name must be 100 characters or fewer"),
        ({"name": "New", "expires_on": "31 May 2026"}, "expires_on", "today or in the future"),
        ({"name": "New", "expires_on": "2 June 2027"}, "expires_on", "no later than 1 June 2027"),
        ({"name": "New", "expires_on": "next week"}, "expires_on", "Enter a real date"),
    ],
)
def test_bad_input_shows_beside_its_field_and_changes_nothing(
    client, sunderland_lead, data, field, message
):
    tokens.token_create(user=sunderland_lead, name="Script")
    client.force_login(sunderland_lead)
    response = client.post(TOKENS, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "There is a problem" in html
    assert "<title>API tokens - Error - " in html
    assert ApiToken.objects.count() == 1


def test_a_revoked_tokens_name_may_be_used_again(client, sunderland_lead):
    old, _raw = tokens.token_create(user=sunderland_lead, name="Script")
    tokens.token_revoke(token=old, by=sunderland_lead)
    client.force_login(sunderland_lead)
    assert "Copy this token now" in client.post(TOKENS, {"name": "Script"}).content.decode()
    assert ApiToken.objects.filter(name="Script").count() == 2


def test_revoking_asks_first_and_twice_says_already_revoked(client, sunderland_lead):
    token, _raw = tokens.token_create(user=sunderland_lead, name="Script")
    client.force_login(sunderland_lead)
    confirm = client.get(_revoke_url(token))
    assert confirm.status_code == 200
    assert "Revoke API token Script?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # looking changes nothing
    done = client.post(_revoke_url(token), follow=True)
    assert done.redirect_chain == [(TOKENS, 302)]
    assert "Revoked Script. It no longer works." in done.content.decode()
    again = client.post(_revoke_url(token), follow=True)
    assert again.status_code == 200
    assert "Script had already been revoked." in again.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == sunderland_lead
    revoked = AuditEvent.objects.filter(verb=events.API_TOKEN_REVOKED, target_id=str(token.pk))
    assert revoked.count() == 1
    assert "This token was revoked on" in client.get(_revoke_url(token)).content.decode()


@pytest.mark.parametrize(
    "persona", ["roleless_user", "nec_hub_officer", "north_reviewer", "nenc_icb_lead"]
)
def test_nobody_else_sees_or_revokes_anothers_token(client, sunderland_lead, request, persona):
    token, _raw = tokens.token_create(user=sunderland_lead, name="David's script")
    client.force_login(request.getfixturevalue(persona))
    assert "David&#x27;s script" not in client.get(TOKENS).content.decode()
    for response in (client.get(_revoke_url(token)), client.post(_revoke_url(token))):
        assert response.status_code == 404
        assert "David" not in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    person = client.get(reverse("accounts:person-detail", args=[sunderland_lead.pk]))
    assert person.status_code == 403


def test_a_national_admin_sees_and_revokes_a_persons_token(client, national_admin, sunderland_lead):
    token, _raw = tokens.token_create(user=sunderland_lead, name="David's script")
    person_url = reverse("accounts:person-detail", args=[sunderland_lead.pk])
    client.force_login(national_admin)
    person = client.get(person_url).content.decode()
    assert "David&#x27;s script" in person
    assert _revoke_url(token) in person
    confirm = client.get(_revoke_url(token)).content.decode()
    assert "Revoke David Lowe's API token David&#x27;s script?" in confirm
    done = client.post(_revoke_url(token), follow=True)
    assert done.redirect_chain == [(person_url, 302)]
    token.refresh_from_db()
    assert token.revoked_by == national_admin
    event = AuditEvent.objects.get(verb=events.API_TOKEN_REVOKED_BY_ADMIN)
    assert event.actor == national_admin
    assert event.target_id == str(token.pk)
    assert event.data["owner"] == sunderland_lead.pk
    # The admin sees David's token, never uses it, and has no way to make him one.
    assert "Revoked" in client.get(person_url).content.decode()
    assert "David&#x27;s script" not in client.get(TOKENS).content.decode()


def test_the_tokens_page_is_bounded_in_queries(
    client, sunderland_lead, django_assert_max_num_queries
):
    for n in range(10):
        token, _raw = tokens.token_create(user=sunderland_lead, name=f"Token {n}")
        if n % 3 == 0:
            tokens.token_revoke(token=token, by=sunderland_lead)
    client.force_login(sunderland_lead)
    client.get(TOKENS)  # warm the per-request caches that any page fills
    with django_assert_max_num_queries(4):  # session, user, roles, tokens
        response = client.get(TOKENS)
    assert response.content.decode().count("Revoke<span") == 6


def test_the_person_page_is_bounded_in_queries(
    client, national_admin, sunderland_lead, django_assert_max_num_queries
):
    for n in range(10):
        token, _raw = tokens.token_create(user=sunderland_lead, name=f"Token {n}")
        if n % 2:
            tokens.token_revoke(token=token, by=national_admin)
    client.force_login(national_admin)
    url = reverse("accounts:person-detail", args=[sunderland_lead.pk])
    client.get(url)
    with django_assert_max_num_queries(7):  # the same for 1 token or 10 (and its sign-ins)
        response = client.get(url)
    assert response.content.decode().count("by Nadia Shah") == 5
