"""A bounded number of database connections (issue 14, probe finding 9): the development server
keeps none open between requests, and the web and worker processes fit PostgreSQL's limit."""

from django.test import override_settings

from commissioning.checks import connection_problems
from commissioning.settings import conn_max_age

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}
RUNSERVER = ["manage.py", "runserver"]
GUNICORN = ["gunicorn", "commissioning.wsgi:application"]


def test_the_development_server_keeps_no_connection_open(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")
    assert conn_max_age(RUNSERVER) == 0
    assert conn_max_age(["manage.py", "runserver", "0.0.0.0:8000"]) == 0
    assert conn_max_age(GUNICORN) == 60


def test_the_check_refuses_kept_connections_under_runserver():
    assert [e.id for e in connection_problems(POSTGRES, RUNSERVER)] == ["commissioning.E001"]
    assert connection_problems({**POSTGRES, "CONN_MAX_AGE": 0}, RUNSERVER) == []
    assert connection_problems(POSTGRES, GUNICORN) == []


@override_settings(WEB_THREADS=10, CELERY_WORKER_CONCURRENCY=4, DATABASE_MAX_CONNECTIONS=100)
def test_the_check_refuses_more_workers_than_postgresql_allows():
    with override_settings(WEB_WORKERS=9):  # 90 + 4 Celery + 5 reserved = 99
        assert connection_problems(POSTGRES, GUNICORN) == []
    with override_settings(WEB_WORKERS=10):  # 100 + 4 + 5 = 109
        (problem,) = connection_problems(POSTGRES, GUNICORN)
    assert problem.id == "commissioning.E002"
    assert "109 database connections" in problem.msg


def test_the_default_deployment_fits_postgresqls_default_limit():
    assert connection_problems(POSTGRES, GUNICORN) == []


@override_settings(
    WEB_WORKERS=3, WEB_THREADS=1, CELERY_WORKER_CONCURRENCY=2, DATABASE_MAX_CONNECTIONS=100
)
def test_the_check_counts_every_container_when_scaled_out():
    """`--scale web=N --scale worker=M` (issue 20): each container opens its own connections."""
    with override_settings(WEB_REPLICAS=25, WORKER_REPLICAS=10):  # 75 + 20 + 5 = 100
        assert connection_problems(POSTGRES, GUNICORN) == []
    with override_settings(WEB_REPLICAS=25, WORKER_REPLICAS=11):  # 75 + 22 + 5 = 102
        (problem,) = connection_problems(POSTGRES, GUNICORN)
    assert problem.id == "commissioning.E002"
    assert "102 database connections (25 x 3 gunicorn workers" in problem.msg
    assert "11 x 2 Celery processes" in problem.msg
