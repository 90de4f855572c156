"""System tests: everything here starts a process, a server or a browser (a real Celery worker,
`make run`'s set-up, the compose files' processes, Redis and database faults, Playwright), or
takes a minute on its own (schemathesis over the whole API, once and as each role).

Each is marked `system`: `make test-fast` leaves them out and `make test-system` runs them.
A run that includes them uses a file-backed test database, so that a second process can share
it (tests/conftest.py).
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before `-m "not system"` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.system)
