"""Shared fixtures: the reference register and the named personas every test speaks of."""

import functools
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from accounts.models import Role
from commissioning import pagedeps
from commissioning.celery import app as celery_app
from hubs.models import CCG, Hub, IntegratedCareSystem, Region
from hubs.reference import reference_data_load
from tests.factories import PASSWORD, make_user

__all__ = ["PASSWORD", "make_user"]  # still importable from here


@pytest.fixture(scope="session", autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; the real-worker test configures its own app."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


def cache_settings() -> dict:
    """The tests' cache: Redis when TEST_REDIS_CACHE_URL names one (or, failing that, database 9
    of CELERY_TEST_BROKER_URL's server), as in production; otherwise local memory. Keys carry
    the process id, so two test runs sharing a Redis database never serve each other's pages."""
    url = os.environ.get("TEST_REDIS_CACHE_URL", "")
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "")
    if not url and broker.startswith("redis"):
        parts = urlsplit(broker)
        url = parts._replace(path="/10" if parts.path == "/9" else "/9").geturl()
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"test-{os.getpid()}",
    }


@pytest.fixture(scope="session", autouse=True)
def _page_cache():
    """The page cache is on in every test, as in production (commissioning/pagecache.py). Each
    test is one transaction that never commits while its requests read its writes, so here a
    write invalidates at once as well as after the commit that never comes; the tests of the
    commit itself turn that off."""
    with override_settings(
        CACHES={"default": cache_settings()},
        PAGE_CACHE_SECONDS=300,
        PAGE_CACHE_INVALIDATE_ON_WRITE=True,
    ):
        yield


@functools.cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def cache_clear() -> None:
    """Empty the cache of what this test run stored (in a shared Redis, only its own keys)."""
    from django.core.cache import cache

    if not cache.key_prefix:
        cache.clear()
        return
    client = _redis(cache_settings()["LOCATION"])
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, and generated files in a folder of the test's own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Cached pages and counts (the header's unread notifications) must not leak between tests.
    cache_clear()
    # Nor the records' hubs the page cache remembers: a test's rows roll back, and the next
    # test's rows take the same ids (production's ids are never used twice).
    pagedeps._above.clear()


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """Two-step sign-in (issue 19) is off unless a test asks for `second_factor_enforced`: the
    suite signs national admins in with a password alone (force_login, the login form)."""
    settings.SECOND_FACTOR_ENFORCED = False


@pytest.fixture
def second_factor_enforced(settings):
    """Two-step sign-in as the product runs it: national admins, staff and superusers must."""
    settings.SECOND_FACTOR_ENFORCED = True
    return settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """SQLite tests run in memory, unless the run has system tests (tests/system): a second
    process (a real Celery worker) must share their database, a file of this process's own."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database.get("TEST", {}).get("NAME") != ":memory:":
        return  # PostgreSQL: a database per run, which every process may reach
    if any(item.get_closest_marker("system") for item in request.session.items):
        database["TEST"]["NAME"] = str(settings.VAR_DIR / f"test-{os.getpid()}.sqlite3")


def _run_data_migrations() -> None:
    """What `--nomigrations` skips besides the schema: the project's data migrations, run as
    `migrate` runs them (on the historical models, so no history rows or signals), in order."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader
    from django.test.utils import override_settings

    def ours(app_label: str) -> bool:
        folder = Path(apps.get_app_config(app_label).path)
        return "site-packages" not in folder.parts and folder.is_relative_to(settings.BASE_DIR)

    with override_settings(MIGRATION_MODULES={}):  # pytest-django hides them all
        loader = MigrationLoader(connection)
    plan = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    for key in plan:
        migration = loader.graph.nodes[key]
        if not ours(key[0]) or not any(isinstance(o, RunPython) for o in migration.operations):
            continue
        state = loader.project_state(key, at_end=False)
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                with connection.schema_editor() as editor:
                    operation.code(state.apps, editor)
            else:
                operation.state_forwards(key[0], state)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_use_migrations):
    """Load the real organisation register once; each test's transaction rolls back over it.
    The fast lane builds the schema from the models (`--nomigrations`, seconds rather than a
    minute) and then adds the rows the data migrations would have."""
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            _run_data_migrations()
        reference_data_load()


@pytest.fixture
def register(db):
    """The reference register, reloaded if a transactional test flushed it."""
    if not Region.objects.exists():
        reference_data_load()


@pytest.fixture
def national_admin(register):
    """Nadia, a national admin at NHS England: sees and manages everything."""
    return make_user("nadia@example.nhs.uk", "Nadia Shah", (Role.NATIONAL_ADMIN, None))


@pytest.fixture
def north_reviewer(register):
    """Robert, on the North regional team (runs the North's peer reviews)."""
    return make_user(
        "robert@example.nhs.uk",
        "Robert Ellis",
        (Role.REGIONAL_TEAM, Region.objects.get(slug="north")),
    )


@pytest.fixture
def nec_hub_officer(register):
    """Helen, hub staff for North East and Cumbria (runs its oversight group)."""
    return make_user(
        "helen@example.nhs.uk",
        "Helen Carter",
        (Role.HUB_STAFF, Hub.objects.get(slug="north-east-and-cumbria")),
    )


@pytest.fixture
def sunderland_lead(register):
    """David, CCG lead for NHS Sunderland CCG (00P), in the North East and Cumbria hub."""
    return make_user(
        "david@example.nhs.uk", "David Lowe", (Role.CCG_LEAD, CCG.objects.get(ods_code="00P"))
    )


@pytest.fixture
def nenc_icb_lead(register):
    """Imogen, lead for NHS North East and North Cumbria ICB (QHM), which took over Sunderland
    CCG's functions on 1 July 2022: her role is stored as `ccg_lead` and named "ICB lead"."""
    return make_user(
        "imogen@example.nhs.uk", "Imogen Reid", (Role.CCG_LEAD, CCG.objects.get(ods_code="QHM"))
    )


@pytest.fixture
def nenc_ics_lead(register):
    """Ian, lead of the North East and North Cumbria ICS (issue 16: the `ics_lead` role)."""
    return make_user(
        "ian.ics@example.nhs.uk",
        "Ian Forster",
        (Role.ICS_LEAD, IntegratedCareSystem.objects.get(short_name="NENC")),
    )


@pytest.fixture
def west_midlands_officer(register):
    """Wendy, hub staff for West Midlands, whose group of 2026/27 has ICBs for members."""
    return make_user(
        "wm.hub@example.nhs.uk",
        "Wendy Marsh",
        (Role.HUB_STAFF, Hub.objects.get(slug="west-midlands")),
    )


@pytest.fixture
def birmingham_icb_lead(register):
    """Bilal, the ICB lead of NHS Birmingham and Solihull ICB (QHL), as in the demo data."""
    return make_user(
        "birmingham.icb@example.nhs.uk",
        "Bilal Ahmed",
        (Role.CCG_LEAD, CCG.objects.get(ods_code="QHL")),
    )


@pytest.fixture
def london_hub_officer(register):
    """Sam, hub staff for London, who must see nothing of the North's own records."""
    return make_user(
        "sam@example.nhs.uk", "Sam Patel", (Role.HUB_STAFF, Hub.objects.get(slug="london"))
    )


@pytest.fixture
def roleless_user(register):
    """Una, signed in but given no role yet."""
    return make_user("una@example.nhs.uk", "Una Novak")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
