"""The page cache's invalidation: every committed write to the records pages show, however it
is written (save, queryset update and delete, bulk_create, raw SQL), after its commit and never
for a write that rolls back; and no one is ever served another person's cached page or API
answer."""

import contextlib
import os
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commissioning import audit, pagecache, pagedeps
from timeline.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _after_commit_only(settings):
    """Production's rule: the commit is what counts (the suite also counts a write at once)."""
    settings.PAGE_CACHE_INVALIDATE_ON_WRITE = False


def _generation(table="timeline_notification") -> int:
    """The whole table's generation (every page showing any of its rows depends on it)."""
    return pagedeps.generation(table)


def _note(user, title="A note") -> Notification:
    return Notification.objects.create(user=user, title=title, link="/")


WRITES = {
    "save": lambda user: _note(user),
    "queryset update": lambda user: Notification.objects.filter(user=user).update(title="New"),
    "bulk_create": lambda user: Notification.objects.bulk_create(
        [Notification(user=user, title=f"Bulk {n}", link="/") for n in range(3)]
    ),
    "queryset delete": lambda user: Notification.objects.filter(user=user).delete(),
    "raw SQL": lambda user: connection.cursor().execute(
        "UPDATE timeline_notification SET title = %s WHERE user_id = %s", ["Raw", user.pk]
    ),
}


@pytest.mark.parametrize("kind", list(WRITES))
def test_every_kind_of_write_invalidates_once_after_its_commit(
    kind, nec_hub_officer, django_capture_on_commit_callbacks
):
    _note(nec_hub_officer, "There before")
    before = _generation()
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            WRITES[kind](nec_hub_officer)
            WRITES[kind](nec_hub_officer)
        assert _generation() == before, "not before the commit"
    for callback in callbacks:
        callback()
    assert _generation() == before + 1, "once, however many statements"


def test_a_write_outside_a_transaction_invalidates_at_once():
    """In autocommit the statement is committed when it returns (every test runs inside a
    transaction, so a connection outside one is stood in for)."""
    before = _generation()
    pagedeps.written(
        SimpleNamespace(in_atomic_block=False, alias="default"),
        pagedeps.owed_keys("timeline_notification", None),
    )
    assert _generation() == before + 1


def test_rows_no_cached_page_shows_invalidate_nothing(
    nec_hub_officer, django_capture_on_commit_callbacks
):
    before = {table: _generation(table) for table in ("commissioning_auditevent", "django_session")}
    with django_capture_on_commit_callbacks(execute=True):
        audit.record(actor=nec_hub_officer, verb="test.unshown", target=nec_hub_officer)
        SessionStore().create()  # a sign-in's session: pages are cached per session anyway
    assert {table: _generation(table) for table in before} == before


def test_a_sign_in_invalidates_nothing_but_a_change_to_the_person_does(
    nec_hub_officer, django_capture_on_commit_callbacks
):
    """Signing in writes last_login (and its history row), which no cached page shows."""
    before = _generation("accounts_user")
    with django_capture_on_commit_callbacks(execute=True):
        Client().force_login(nec_hub_officer)
        nec_hub_officer.refresh_from_db()
        assert nec_hub_officer.last_login is not None
    assert _generation("accounts_user") == before
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        nec_hub_officer.full_name = "Helen Carter-Jones"
        nec_hub_officer.save(update_fields=["full_name", "last_login"])
    assert _generation("accounts_user") == before + 1


def test_a_write_that_rolls_back_invalidates_nothing(
    nec_hub_officer, django_capture_on_commit_callbacks
):
    before = _generation()
    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        Notification.objects.bulk_create([Notification(user=nec_hub_officer, link="/")])
        Notification.objects.filter(user=nec_hub_officer).update(title="Undone")
        raise RuntimeError
    assert _generation() == before
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),  # a savepoint, inside a block that commits
    ):
        _note(nec_hub_officer)
        raise RuntimeError
    assert _generation() == before


def test_a_write_kept_beside_a_rolled_back_savepoint_still_invalidates(
    nec_hub_officer, django_capture_on_commit_callbacks
):
    before = _generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with contextlib.suppress(RuntimeError), transaction.atomic():
            _note(nec_hub_officer, "Undone")
            raise RuntimeError
        _note(nec_hub_officer, "Kept")
    assert _generation() == before + 1
    before = _generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _note(nec_hub_officer, "Kept")
        with contextlib.suppress(RuntimeError), transaction.atomic():
            _note(nec_hub_officer, "Undone")
            raise RuntimeError
    assert _generation() == before + 1


def test_a_page_stored_while_the_write_was_uncommitted_is_not_served_after_the_commit(
    nec_hub_officer, django_capture_on_commit_callbacks
):
    """Another process reading the old rows during the transaction may store its page with
    the generations of the moment; the bump after the commit leaves that page behind."""

    def render():
        Notification.objects.filter(user=nec_hub_officer).count()  # reads the table
        return "the old page"

    def served():
        return pagecache._cached("page", ("another-session",), {}, render, str)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        Notification.objects.filter(user=nec_hub_officer).update(title="Changed")
        assert not served().hit
        assert served().hit
    for callback in callbacks:
        callback()
    assert not served().hit


def test_bump_still_works_and_is_harmless(django_capture_on_commit_callbacks):
    """Hand-placed bump() calls remain valid (and redundant) until they are deleted."""

    def everything() -> int:
        return pagedeps.read_generations([pagecache.GENERATION_KEY])[pagecache.GENERATION_KEY]

    before = everything()
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump()
        pagecache.bump()
        assert everything() == before
    assert everything() == before + 1


def _page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_bulk_writes_reach_a_cached_page(
    client, nec_hub_officer, django_capture_on_commit_callbacks
):
    url = reverse("timeline:inbox")
    client.force_login(nec_hub_officer)
    first, rendered = _page(client, url)
    again, cached = _page(client, url)
    assert again == first
    assert cached < rendered  # served from the cache
    # Each in a transaction of its own, as a service would write it.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(user=nec_hub_officer, title="Made in bulk", link="/")]
        )
    assert "Made in bulk" in _page(client, url)[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Notification.objects.filter(user=nec_hub_officer).update(title="Renamed in bulk")
    page = _page(client, url)[0]
    assert "Renamed in bulk" in page
    assert "Made in bulk" not in page
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Notification.objects.filter(user=nec_hub_officer).delete()
    assert "Renamed in bulk" not in _page(client, url)[0]


@pytest.mark.parametrize("name", ["workspace:my-work", "timeline:inbox"])
def test_two_people_never_receive_each_others_cached_page(
    name, nec_hub_officer, sunderland_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _note(nec_hub_officer, "For Helen only")
        _note(sunderland_lead, "For David only")
    url = reverse(name)
    helen, david = Client(), Client()
    helen.force_login(nec_hub_officer)
    david.force_login(sunderland_lead)
    helen_page, rendered = _page(helen, url)
    again, cached = _page(helen, url)
    assert again == helen_page
    assert cached < rendered  # Helen's page is in the cache
    david_page, _ = _page(david, url)
    assert david_page != helen_page
    assert "David Lowe" in david_page
    assert "Helen Carter" not in david_page
    if name == "timeline:inbox":
        assert "For Helen only" in helen_page
        assert "For David only" in david_page
        assert "For Helen only" not in david_page

    # The same browser, another person: signing out and in starts a new session.
    helen.logout()
    helen.force_login(sunderland_lead)
    assert "Helen Carter" not in _page(helen, url)[0]

    # Nobody signed in: sent to sign in, never served a signed-in person's page.
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "Helen Carter" not in anonymous.content.decode()
    assert "David Lowe" not in anonymous.content.decode()


def test_two_people_never_receive_each_others_cached_api_answer(
    nec_hub_officer, sunderland_lead, django_capture_on_commit_callbacks
):
    url = "/api/v1/me/"
    helen, david = APIClient(), APIClient()
    helen.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=nec_hub_officer)}")
    david.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=sunderland_lead)}")
    first = helen.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = helen.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert len(queries) == 1  # the token is checked; the answer comes from the cache
    answer = david.get(url)
    assert answer.status_code == 200
    assert answer.json()["email"] == "david@example.nhs.uk"
    assert b"helen@example.nhs.uk" not in answer.content

    session = APIClient()
    session.force_login(sunderland_lead)
    assert session.get(url).json()["email"] == "david@example.nhs.uk"
    anonymous = APIClient().get(url)
    assert anonymous.status_code == 401
    assert b"helen@example.nhs.uk" not in anonymous.content


def test_the_watched_apps_are_derived_from_the_installed_apps():
    own = {
        app
        for app in settings.INSTALLED_APPS
        if "." not in app and (settings.BASE_DIR / app / "__init__.py").exists()
    }
    assert set(pagecache.project_apps()) == own
    models = {model._meta.label_lower for model in apps.get_models()}
    assert models >= pagecache.UNSHOWN, "UNSHOWN names only installed models"
    assert models >= pagecache.SHOWN_ELSEWHERE
    assert {label.split(".")[0] for label in pagecache.UNSHOWN} <= own
    tables = pagecache.shown_tables()
    assert {"priorities_proposal", "hubs_subgroup_members", "authtoken_token"} <= tables
    assert (
        not {
            "commissioning_auditevent",
            "django_session",
            "axes_accessattempt",
            "hubs_historicalhub",
        }
        & tables
    )


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "hubs_hub" ("name") VALUES (%s)', "hubs_hub"),
        ('INSERT OR IGNORE INTO "hubs_hub" ("name") VALUES (%s)', "hubs_hub"),
        ('UPDATE "hubs_hub" SET "name" = %s', "hubs_hub"),
        ('DELETE FROM "hubs_hub" WHERE "id" IN (%s)', "hubs_hub"),
        ("  update hubs_hub set name = 'x'", "hubs_hub"),
        ('TRUNCATE "public"."hubs_hub"', "hubs_hub"),
        ('SELECT "name" FROM "hubs_hub"', None),
        ('SAVEPOINT "s1_x1"', None),
    ],
)
def test_the_table_a_statement_writes(sql, table):
    assert pagecache.written_table(sql) == table


@pytest.mark.skipif(
    not (os.environ.get("TEST_REDIS_CACHE_URL") or os.environ.get("CELERY_TEST_BROKER_URL")),
    reason="no Redis configured (TEST_REDIS_CACHE_URL or CELERY_TEST_BROKER_URL)",
)
def test_the_suite_caches_in_redis_when_one_is_configured():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("pagecache-test", "here", 10)
    assert cache.get("pagecache-test") == "here"


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        (
            'SELECT "a"."id" FROM "hubs_hub" a INNER JOIN "hubs_region" r ON (1=1)',
            {"hubs_hub", "hubs_region"},
        ),
        (
            '(SELECT "id" FROM "priorities_prioritiesplan")'
            ' UNION ALL (SELECT "id" FROM "reviews_peerreview")',
            {"priorities_prioritiesplan", "reviews_peerreview"},
        ),
        ('WITH x AS (SELECT 1 FROM "meetings_meeting") SELECT * FROM x', {"meetings_meeting", "x"}),
        ('UPDATE "hubs_hub" SET "name" = %s', set()),
    ],
)
def test_the_tables_a_query_reads(sql, tables):
    """Reads are found in every shape of query, a PostgreSQL union's parentheses too."""
    assert pagedeps.read_tables(sql) == tables
