"""System checks for a bounded number of database connections (issue 14, probe finding 9)."""

import sys

from django.conf import settings
from django.core.checks import Error, register


def is_runserver(argv: list[str]) -> bool:
    return len(argv) > 1 and argv[1] == "runserver"


@register("database")
def connections_bounded(app_configs=None, **kwargs) -> list[Error]:
    return connection_problems(settings.DATABASES["default"], sys.argv)


def connection_problems(database: dict, argv: list[str]) -> list[Error]:
    """E001: the development server keeps no connection open between requests (each request is
    a new thread; kept connections pile up). E002: gunicorn workers times threads, the Celery
    worker's processes and the reserve, times the containers of each (WEB_REPLICAS,
    WORKER_REPLICAS) when scaled out, fit within PostgreSQL's max_connections."""
    if "sqlite" in database["ENGINE"]:
        return []
    errors = []
    if is_runserver(argv) and database.get("CONN_MAX_AGE", 0) != 0:
        errors.append(
            Error(
                "The development server must not keep database connections open.",
                hint="Set CONN_MAX_AGE to 0 under runserver (commissioning/settings.py).",
                id="commissioning.E001",
            )
        )
    web = settings.WEB_REPLICAS * settings.WEB_WORKERS * settings.WEB_THREADS
    celery = settings.WORKER_REPLICAS * settings.CELERY_WORKER_CONCURRENCY
    needed = web + celery + settings.DATABASE_RESERVED_CONNECTIONS
    if needed > settings.DATABASE_MAX_CONNECTIONS:
        web_replicas = f"{settings.WEB_REPLICAS} x " if settings.WEB_REPLICAS != 1 else ""
        worker_replicas = f"{settings.WORKER_REPLICAS} x " if settings.WORKER_REPLICAS != 1 else ""
        errors.append(
            Error(
                f"The app may open {needed} database connections ({web_replicas}"
                f"{settings.WEB_WORKERS} gunicorn workers of {settings.WEB_THREADS} threads, "
                f"{worker_replicas}{settings.CELERY_WORKER_CONCURRENCY} Celery processes, "
                f"{settings.DATABASE_RESERVED_CONNECTIONS} reserved);"
                f" PostgreSQL allows {settings.DATABASE_MAX_CONNECTIONS}.",
                hint="Lower WEB_CONCURRENCY, GUNICORN_THREADS, CELERY_WORKER_CONCURRENCY or the"
                " replicas (WEB_REPLICAS, WORKER_REPLICAS), or raise max_connections and"
                " DATABASE_MAX_CONNECTIONS together.",
                id="commissioning.E002",
            )
        )
    return errors
