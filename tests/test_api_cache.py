"""The API's cached reads: per credential, checked on every request, never older than the
records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests.factories import make_group

pytestmark = pytest.mark.django_db

URL = "/api/v1/groups/"


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _get(client, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, **headers)
    return response, len(queries)


def _group(by, slug, name):
    return make_group(by=by, hub=slug, name=name)


def test_cached_reads_follow_the_records_and_the_credential(
    client, nec_hub_officer, national_admin, django_capture_on_commit_callbacks
):
    key = Token.objects.create(user=national_admin).key
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with django_capture_on_commit_callbacks(execute=True):
        _group(nec_hub_officer, "north-east-and-cumbria", "First group")
    first, rendered = _get(client, **auth)
    again, cached = _get(client, **auth)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert cached < rendered
    assert cached == 1  # the token is checked; nothing else is read
    with django_capture_on_commit_callbacks(execute=True):
        _group(nec_hub_officer, "london", "Second group")
    assert "Second group" in _get(client, **auth)[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Token.objects.filter(key=key).delete()
    assert _get(client, **auth)[0].status_code == 401


def test_another_person_never_gets_a_cached_answer(
    client, nec_hub_officer, london_hub_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _group(nec_hub_officer, "north-east-and-cumbria", "NEC only")
    client.force_login(nec_hub_officer)
    assert "NEC only" in _get(client)[0].content.decode()
    client.force_login(london_hub_officer)
    assert "NEC only" not in _get(client)[0].content.decode()
    client.logout()
    assert _get(client)[0].status_code in (401, 403)
