"""Shared fixtures: the reference register and the named personas every test speaks of."""

import functools
import os

import pytest
from django.contrib.auth.hashers import make_password

from accounts.models import Role, RoleAssignment, User
from commissioning.celery import app as celery_app
from hubs.models import CCG, Hub, Region
from hubs.reference import reference_data_load

PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD, hasher="md5")


@pytest.fixture(scope="session", autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; the real-worker test configures its own app."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, and generated files in a folder of the test's own."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Cached counts (the header's unread notifications) must not leak from test to test.
    cache.clear()


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real organisation register once; each test's transaction rolls back over it."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def register(db):
    """The reference register, reloaded if a transactional test flushed it."""
    if not Region.objects.exists():
        reference_data_load()


def make_user(email: str, name: str, *roles: tuple[str, object | None]) -> User:
    """A person with a known password and the given (role, organisation) assignments."""
    user = User.objects.create(email=email, full_name=name, password=_password_hash())
    for role, org in roles:
        scope = {}
        if isinstance(org, Region):
            scope["region"] = org
        elif isinstance(org, Hub):
            scope["hub"] = org
        elif isinstance(org, CCG):
            scope["ccg"] = org
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


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
