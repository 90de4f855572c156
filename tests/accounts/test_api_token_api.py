"""/api/v1/me/tokens/ (issue 19): your own tokens only; made only when signed in; revoked, never
deleted; another person's token is a 404 and stays as it was."""

import datetime

import pytest
import time_machine
from rest_framework.authtoken.models import Token

from accounts import events, tokens
from accounts.models import ApiToken
from commissioning.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/tokens/"
NOON = datetime.datetime(2026, 6, 1, 11, tzinfo=datetime.UTC)


def test_anonymous_gets_401(api_client, register):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {"name": "x"}, format="json").status_code == 401


def test_a_signed_in_person_creates_a_token_and_sees_its_secret_once(api_client, roleless_user):
    """A person with no role may still make tokens: a token does only what its owner may."""
    api_client.force_login(roleless_user)
    response = api_client.post(URL, {"name": "Laptop"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Laptop"
    assert body["status"] == "active"
    assert body["token"].startswith(body["prefix"] + "_")
    listed = api_client.get(URL).json()["results"]
    assert [t["name"] for t in listed] == ["Laptop"]
    assert "token" not in listed[0]
    assert body["token"] not in api_client.get(URL).content.decode()
    api_client.logout()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert api_client.get("/api/v1/me/").json()["email"] == roleless_user.email
    assert AuditEvent.objects.filter(verb=events.API_TOKEN_CREATED, actor=roleless_user).exists()


def test_a_token_cannot_create_tokens(api_client, sunderland_lead):
    _token, raw = tokens.token_create(user=sunderland_lead, name="Script")
    legacy = Token.objects.create(user=sunderland_lead).key
    for header in (f"Bearer {raw}", f"Token {legacy}"):
        api_client.credentials(HTTP_AUTHORIZATION=header)
        response = api_client.post(URL, {"name": "Another"}, format="json")
        assert response.status_code == 403
        assert "sign in" in response.json()["detail"]
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Script"]


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field may not be blank."),
        ({"name": "script"}, "name", 'You already have a token called "script"'),
        ({"name": "New", "expires_on": "2026-05-31"}, "expires_on", "today or in the future"),
        ({"name": "New", "expires_on": "2027-06-02"}, "expires_on", "no later than 1 June 2027"),
    ],
)
def test_bad_input_is_refused_beside_its_field(api_client, sunderland_lead, data, field, message):
    tokens.token_create(user=sunderland_lead, name="Script")
    api_client.force_login(sunderland_lead)
    response = api_client.post(URL, data, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert ApiToken.objects.count() == 1


@time_machine.travel(NOON, tick=False)
def test_the_expiry_may_be_the_last_allowed_day(api_client, sunderland_lead):
    api_client.force_login(sunderland_lead)
    response = api_client.post(URL, {"name": "Year", "expires_on": "2027-06-01"}, format="json")
    assert response.status_code == 201
    assert response.json()["expires_on"] == "2027-06-01"


def test_revoke_keeps_the_row_and_a_second_revoke_says_so(api_client, sunderland_lead):
    token, raw = tokens.token_create(user=sunderland_lead, name="Script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api_client.post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 200  # a token may revoke itself
    assert response.json()["status"] == "revoked"
    assert api_client.get(URL).status_code == 401  # ...and is refused from then on
    api_client.credentials()
    api_client.force_login(sunderland_lead)
    again = api_client.post(f"{URL}{token.pk}/revoke/")
    assert again.status_code == 409
    assert again.json() == {"detail": "This token had already been revoked."}
    token.refresh_from_db()
    assert token.revoked_by == sunderland_lead
    assert api_client.get(f"{URL}{token.pk}/").json()["status"] == "revoked"
    assert api_client.delete(f"{URL}{token.pk}/").status_code == 405  # never deleted


@pytest.mark.parametrize("persona", ["national_admin", "nec_hub_officer", "roleless_user"])
def test_another_persons_token_is_not_there(api_client, sunderland_lead, request, persona):
    token, _raw = tokens.token_create(user=sunderland_lead, name="David's script")
    api_client.force_login(request.getfixturevalue(persona))
    assert api_client.get(URL).json()["results"] == []
    assert api_client.get(f"{URL}{token.pk}/").status_code == 404
    response = api_client.post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 404
    assert "David" not in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_list_is_bounded_in_queries(api_client, sunderland_lead, django_assert_max_num_queries):
    for n in range(8):
        token, _raw = tokens.token_create(user=sunderland_lead, name=f"Token {n}")
        if n % 2:
            tokens.token_revoke(token=token, by=sunderland_lead)
    api_client.force_login(sunderland_lead)
    with django_assert_max_num_queries(4):
        response = api_client.get(URL)
    assert response.json()["count"] == 8


def test_the_schema_documents_the_personal_token(api_client, register):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    scheme = schema["components"]["securitySchemes"]["personalToken"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert {"personalToken": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]
    assert "/api/v1/me/tokens/{id}/revoke/" in schema["paths"]
    created = schema["paths"]["/api/v1/me/tokens/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("ApiTokenCreated")
