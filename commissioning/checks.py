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
    worker's processes and the reserve fit within PostgreSQL's max_connections."""
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
    web = settings.WEB_WORKERS * settings.WEB_THREADS
    needed = web + settings.CELERY_WORKER_CONCURRENCY + settings.DATABASE_RESERVED_CONNECTIONS
    if needed > settings.DATABASE_MAX_CONNECTIONS:
        errors.append(
            Error(
                f"The app may open {needed} database connections ({settings.WEB_WORKERS} gunicorn"
                f" workers of {settings.WEB_THREADS} threads, {settings.CELERY_WORKER_CONCURRENCY}"
                f" Celery processes, {settings.DATABASE_RESERVED_CONNECTIONS} reserved);"
                f" PostgreSQL allows {settings.DATABASE_MAX_CONNECTIONS}.",
                hint="Lower WEB_CONCURRENCY, GUNICORN_THREADS or CELERY_WORKER_CONCURRENCY, or"
                " raise max_connections and DATABASE_MAX_CONNECTIONS together.",
                id="commissioning.E002",
            )
        )
    return errors
