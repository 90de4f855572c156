"""Personal API tokens (issue 19): how they are made and stored, and how the API's token
authentication takes, refuses and records them."""

import datetime
import hashlib

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from accounts import events, tokens
from accounts.authentication import PersonalTokenAuthentication
from accounts.models import ApiToken
from commissioning.models import AuditEvent

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 1, 11, tzinfo=datetime.UTC)  # 12:00 in London
ME = "/api/v1/me/"


def _make(user, name="Report script", expires_on=None):
    return tokens.token_create(user=user, name=name, expires_on=expires_on)


def _get(api_client, raw, keyword="Bearer", url=ME):
    api_client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    return api_client.get(url)


def _token_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].upper().startswith("UPDATE") and "accounts_apitoken" in q["sql"]
    ]


def test_the_secret_is_never_stored(sunderland_lead):
    token, raw = _make(sunderland_lead)
    assert raw.startswith(f"cc_{token.prefix}_")
    secret = raw.split("_", 2)[2]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in " ".join(str(v) for v in stored.values())
    assert stored["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert len(token.prefix) == 8
    assert tokens.looks_like_token(raw)


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_valid_token_signs_its_owner_in(api_client, sunderland_lead, keyword):
    _token, raw = _make(sunderland_lead)
    response = _get(api_client, raw, keyword)
    assert response.status_code == 200
    assert response.json()["email"] == sunderland_lead.email


def test_a_wrong_secret_or_unknown_prefix_is_refused_alike(api_client, sunderland_lead):
    token, raw = _make(sunderland_lead)
    wrong_secret = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    unknown_prefix = f"cc_{'0' * 8 if token.prefix != '0' * 8 else '1' * 8}_{raw.split('_', 2)[2]}"
    for raw_given in (wrong_secret, unknown_prefix):
        response = _get(api_client, raw_given)
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid token."}
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_revoked_token_is_refused_at_once(api_client, sunderland_lead):
    token, raw = _make(sunderland_lead)
    assert _get(api_client, raw).status_code == 200
    tokens.token_revoke(token=token, by=sunderland_lead)
    response = _get(api_client, raw)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked."}
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_works_through_its_expiry_day_and_not_after(api_client, sunderland_lead):
    with time_machine.travel(NOON, tick=False):
        _token, raw = _make(sunderland_lead, expires_on=datetime.date(2026, 6, 30))
    with time_machine.travel(datetime.datetime(2026, 6, 30, 22, 59, tzinfo=datetime.UTC)):
        assert _get(api_client, raw).status_code == 200  # 23:59 on 30 June in London
    with time_machine.travel(datetime.datetime(2026, 6, 30, 23, 0, tzinfo=datetime.UTC)):
        response = _get(api_client, raw)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token expired at the end of 30 June 2026."}


def test_an_inactive_persons_token_is_refused(api_client, sunderland_lead):
    _token, raw = _make(sunderland_lead)
    sunderland_lead.is_active = False
    sunderland_lead.save(update_fields=["is_active"])
    assert _get(api_client, raw).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(api_client, sunderland_lead):
    with time_machine.travel(NOON, tick=False):
        token, raw = _make(sunderland_lead)
        with CaptureQueriesContext(connection) as first:
            assert _get(api_client, raw).status_code == 200
        assert len(_token_writes(first)) == 1
        token.refresh_from_db()
        assert token.last_used_at == NOON
    with time_machine.travel(NOON + datetime.timedelta(seconds=59), tick=False):
        with CaptureQueriesContext(connection) as soon:
            for _ in range(3):
                assert _get(api_client, raw).status_code == 200
        assert _token_writes(soon) == []
        token.refresh_from_db()
        assert token.last_used_at == NOON
    later = NOON + datetime.timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        with CaptureQueriesContext(connection) as after:
            assert _get(api_client, raw).status_code == 200
        assert len(_token_writes(after)) == 1
        token.refresh_from_db()
        assert token.last_used_at == later
    # The first use is an audit event, once.
    used = AuditEvent.objects.filter(verb=events.API_TOKEN_FIRST_USED, target_id=str(token.pk))
    assert used.count() == 1
    assert used.get().actor == sunderland_lead


def test_checking_a_token_costs_one_query_between_writes(sunderland_lead):
    from rest_framework.test import APIRequestFactory

    with time_machine.travel(NOON, tick=False):
        _token, raw = _make(sunderland_lead)
        request = APIRequestFactory().get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
        PersonalTokenAuthentication().authenticate(request)  # the first use writes
        with CaptureQueriesContext(connection) as queries:
            user, token = PersonalTokenAuthentication().authenticate(request)
    assert len(queries) == 1
    assert user == sunderland_lead
    assert token.name == "Report script"


def test_admin_made_tokens_still_work_under_either_keyword(api_client, sunderland_lead):
    key = Token.objects.create(user=sunderland_lead).key
    assert _get(api_client, key, "Token").status_code == 200
    assert _get(api_client, key, "Bearer").status_code == 200
    response = _get(api_client, "not-a-real-token", "Token")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert _get(api_client, "not-a-real-token", "Bearer").status_code == 401


def test_without_credentials_the_api_answers_401_with_a_challenge(api_client, register):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer cc_zzzz_nope"])
def test_a_malformed_bearer_header_is_refused(api_client, register, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get(ME).status_code == 401


def test_a_cached_answer_is_not_served_to_a_revoked_token(
    client, settings, sunderland_lead, django_capture_on_commit_callbacks
):
    """The API's read cache checks a personal token too before it serves anything."""
    settings.PAGE_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        token, raw = _make(sunderland_lead)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with CaptureQueriesContext(connection) as rendered:
        assert client.get("/api/v1/regions/", **auth).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/api/v1/regions/", **auth).status_code == 200
    assert len(cached) == 1  # served from the cache: only the token was read
    assert len(rendered) > 1
    with django_capture_on_commit_callbacks(execute=True):
        tokens.token_revoke(token=token, by=sunderland_lead)
    assert client.get("/api/v1/regions/", **auth).status_code == 401


def test_last_used_writes_leave_cached_pages_alone(sunderland_lead):
    from commissioning.pagedeps import _changes_what_pages_show

    table = "accounts_apitoken"
    assert ApiToken._meta.db_table == table
    assert not _changes_what_pages_show(
        table, 'UPDATE "accounts_apitoken" SET "last_used_at" = %s WHERE "id" = %s'
    )
    assert _changes_what_pages_show(
        table, 'UPDATE "accounts_apitoken" SET "revoked_at" = %s, "revoked_by_id" = %s'
    )
