"""When parts fail: Redis (cache and broker) unreachable, and the database connection dropped.

Redis is made unreachable by pointing the cache and the broker at a loopback port where
nothing listens (the real server keeps running for the other tests). The dropped database
connection is closed under Django's feet (and, on PostgreSQL, terminated by the server).
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from exports.models import Export
from hubs.models import Hub
from tests.factories import make_group
from timeline import reminders
from timeline.models import ReminderClaim

NOWHERE = "redis://127.0.0.1:6399/0"  # loopback, nothing listening: connection refused


@pytest.fixture
def redis_down(settings):
    """The cache and the Celery broker both refuse connections."""
    from commissioning.celery import app

    settings.PAGE_CACHE_SECONDS = 300  # pages cached in Redis in production: it is down too
    # Changing CACHES makes Django rebuild its cache handlers (the setting_changed signal).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOWHERE}
    }
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = NOWHERE
    app._pool = None  # a new connection pool for the new broker address
    yield
    app.conf.task_always_eager, app.conf.broker_url = eager, broker
    app._pool = None


PAGES = [
    ("nec_hub_officer", lambda: reverse("workspace:my-work")),
    ("nec_hub_officer", lambda: reverse("workspace:hub-detail", args=["north-east-and-cumbria"])),
    ("nec_hub_officer", lambda: reverse("timeline:inbox")),
    ("nec_hub_officer", lambda: reverse("timeline:grid")),
    ("nec_hub_officer", lambda: reverse("reviews:index")),
    ("north_reviewer", lambda: reverse("workspace:oversight-glance")),
    ("north_reviewer", lambda: reverse("priorities:cross-hub")),
    ("national_admin", lambda: reverse("timeline:reminders-admin")),
    ("national_admin", lambda: "/api/v1/groups/"),
    ("national_admin", lambda: "/api/v1/notifications/"),
    ("national_admin", lambda: "/api/v1/peer-reviews/"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_pages_and_api_work_with_redis_down(client, request, redis_down, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url())
    assert response.status_code == 200


def test_work_that_needs_the_queue_is_recorded_and_done_once_redis_is_back(
    client, nec_hub_officer, redis_down, django_capture_on_commit_callbacks, settings
):
    from commissioning.celery import app
    from exports import services as exports

    client.force_login(nec_hub_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:hub-footprint"), {"hub": "north-east-and-cumbria", "on": ""}
        )
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == Export.Status.QUEUED
    # Redis is back (tasks run in-process again); beat's requeue comes round.
    app.conf.task_always_eager = True
    later = timezone.now() + datetime.timedelta(minutes=3)
    with django_capture_on_commit_callbacks(execute=True):
        exports.exports_requeue_stale(now=later)
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Export.Status.READY, 1)


def test_reminders_claimed_while_redis_is_down_are_sent_once_it_is_back(
    nec_hub_officer, redis_down, django_capture_on_commit_callbacks, mailoutbox
):
    from commissioning.celery import app
    from timeline import services

    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    services.milestone_add(
        by=nec_hub_officer,
        year=year,
        title="Fault drill",
        due_on=today,
        for_hub_staff=True,
        satisfied_by="manual",
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.reminders_sweep()
    assert first.claimed == 1
    claim = ReminderClaim.objects.get()
    assert claim.status == ReminderClaim.Status.PENDING
    assert mailoutbox == []
    app.conf.task_always_eager = True
    later = timezone.now() + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.reminders_sweep(now=later)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_sweep(now=later + datetime.timedelta(minutes=15))
    claim.refresh_from_db()
    assert again.claimed == 0
    assert claim.status == ReminderClaim.Status.SENT
    assert len(mailoutbox) == 1
    assert "Fault drill" in mailoutbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_requests_succeed_after_the_database_connection_drops(client, register, nec_hub_officer):
    """CONN_HEALTH_CHECKS: a connection that died between requests is replaced at the start of
    the next request, not used. (Django's test client skips the request-start hook that does
    this, so the test calls it, as the WSGI handler does before every request.)"""
    from django.db import close_old_connections

    client.force_login(nec_hub_officer)
    url = reverse("workspace:hub-detail", args=["north-east-and-cumbria"])
    assert client.get(url).status_code == 200
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        from django.db import connections

        assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )
        other.close()
    else:
        connection.connection.close()
    close_old_connections()
    response = client.get(url)
    assert response.status_code == 200
    assert Hub.objects.filter(slug="north-east-and-cumbria").exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_mid_write_leaves_no_half_written_record(register, nec_hub_officer, monkeypatch):
    """Services are atomic: if the database fails part-way (here, the audit write), the
    record it began is not left behind."""
    from django.db import OperationalError

    from commissioning import audit
    from oversight.models import OversightGroup

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(audit, "record", database_gone)
    with pytest.raises(OperationalError):
        make_group(by=nec_hub_officer, name="Half written")
    assert not OversightGroup.objects.exists()
