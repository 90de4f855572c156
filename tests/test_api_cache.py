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


def test_an_exports_status_follows_the_worker_through_the_cache(client, nec_hub_officer):
    """An export's status is polled until ready; the worker's writes to it bump no generation
    (pagecache.UNSHOWN), so its answers are never cached (issue 20: B polled "queued" for good
    after a worker made the PDF)."""
    from exports import services
    from exports.models import Export

    export = services.export_request(
        by=nec_hub_officer,
        kind=Export.Kind.HUB_FOOTPRINT,
        params={"hub": "north-east-and-cumbria", "on": ""},
        title="NEC footprint",
    )
    client.force_login(nec_hub_officer)
    url = f"/api/v1/exports/{export.pk}/"
    first = client.get(url)
    assert first.json()["status"] == "queued"
    assert "no-store" in first["Cache-Control"]
    Export.objects.filter(pk=export.pk).update(status=Export.Status.FAILED, error="A test")
    assert client.get(url).json()["status"] == "failed"
    assert client.get("/api/v1/exports/").json()["results"][0]["status"] == "failed"
