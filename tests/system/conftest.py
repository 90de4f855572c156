"""System tests: everything here starts a process, a server or a browser (a real Celery worker,
`make run`'s set-up, the compose files' processes, Redis and database faults, Playwright), or
takes a minute on its own (schemathesis over the whole API, once and as each role).

Each is marked `system`: `make test-fast` leaves them out and `make test-system` runs them.
A run that includes them uses a file-backed test database, so that a second process can share
it (tests/conftest.py). `make test-system` spreads them over two pytest-xdist workers, each with
its own database; the modules that start Celery workers, use the shared Redis broker or stage
faults keep to one worker, one after another (`xdist_group`, with `--dist loadgroup`).
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent

# Modules that share the one Redis broker database, start worker processes or run `make run`:
# never two at once.
ONE_AT_A_TIME = {
    "test_celery_worker.py",
    "test_compose_image.py",
    "test_compose_services.py",
    "test_faults.py",
    "test_make_run.py",
    "test_reminders_race.py",
    "test_reminders_smtp.py",
    "test_reminders_worker.py",
    "test_worker_killed.py",
}


@pytest.fixture
def own_redis():
    """A real Redis of the test's own on a free port, to freeze, kill and start again."""
    from tests.system.processes import OwnRedis

    redis = OwnRedis().start()
    yield redis
    redis.kill()


@pytest.hookimpl(tryfirst=True)  # before `-m "not system"` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.system)
            if item.path.name in ONE_AT_A_TIME:
                item.add_marker(pytest.mark.xdist_group("processes"))
