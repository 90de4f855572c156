"""Issue 14: a write that queues work never waits on the broker for much more than a second,
whatever state Redis is in, and the work it owes is recorded. A real Redis of the test's own,
on a free port, is frozen (SIGSTOP: it accepts nothing and answers nothing, as a hung or
partitioned server) and then killed (SIGKILL), while a process with the product's own settings
serves the writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.system.processes import OwnRedis, database_url

BROKER = os.environ.get("CELERY_TEST_BROKER_URL")
pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)"
    ),
]
SCRIPT = Path(__file__).with_name("scripts") / "write_during_outage.py"
ROOT = Path(__file__).resolve().parents[2]
# Normal time plus about a second (settings.BROKER_WAIT_SECONDS), with room for a busy machine.
LIMIT_SECONDS = 2.5


@pytest.fixture
def own_redis():
    redis = OwnRedis().start()
    yield redis
    redis.kill()


def test_a_write_waits_about_a_second_on_a_frozen_or_dead_broker(
    own_redis, transactional_db, nec_hub_officer
):
    redis, url = own_redis, own_redis.url
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "commissioning.settings",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, str(SCRIPT), nec_hub_officer.email],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )

    def write() -> dict:
        server.stdin.write("go\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())

    try:
        assert server.stdout.readline().strip() == "ready"
        normal = write()  # Redis up: the export is queued on the broker, so not owed
        assert normal["status"] == 302
        redis.freeze()  # connected, but nothing answers
        frozen = write()
        redis.kill()
        dead = write()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    for outage in (frozen, dead):
        assert outage["status"] == 302  # the person's request succeeded
        assert outage["seconds"] < normal["seconds"] + LIMIT_SECONDS, (normal, frozen, dead)
    # Each export asked for during the outage is recorded as owed, for the beat task that
    # re-queues stale exports once the broker answers again.
    assert dead["queued"] == 3
