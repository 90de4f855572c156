"""Issue 14: a role given while Redis is down gets its welcome email, once, after Redis is back.

The probe's fault: during a broker outage a person given a role "never got the welcome email
with the set-password link: nothing recorded it as owed and no sweep re-queues it". Here a
real Redis of the test's own, on a free port, is killed mid-run (SIGKILL) while a process with
the product's own settings serves the People page and a real Celery worker (prefork, one
child) consumes from that Redis and emails into files. Redis comes back empty (it keeps nothing
on disk), the outbox's relay runs, and the worker sends what is owed. Runs when
CELERY_TEST_BROKER_URL is set (CI), like the other tests that need redis-server.
"""

import json
import os
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings

from tests.system.processes import database_url

BROKER = os.environ.get("CELERY_TEST_BROKER_URL")
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)"
    ),
]
SCRIPT = Path(__file__).with_name("scripts") / "grant_during_outage.py"
ROOT = Path(settings.BASE_DIR)
LIMIT_SECONDS = 2.5  # normal time plus about a second (BROKER_WAIT_SECONDS), with room


def _welcome_emails(mail_dir: Path) -> list[str]:
    """The addressee of each email the worker wrote (the file backend ends each with a rule)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for raw in path.read_bytes().split(b"-" * 79):
            if raw.strip():
                found.append(str(message_from_bytes(raw.strip())["To"]))
    return found


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.5)
    raise AssertionError(f"Timed out waiting for {what}")


def test_a_role_given_during_an_outage_gets_its_welcome_email_once_redis_is_back(
    own_redis, transactional_db, national_admin, tmp_path
):
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_RESULT_BACKEND": "",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "commissioning.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "commissioning",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--logfile={tmp_path / 'worker.log'}",
        ],
        env=env,
        cwd=ROOT,
    )
    web = subprocess.Popen(
        [sys.executable, str(SCRIPT), national_admin.email],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )

    def say(command: str) -> dict:
        web.stdin.write(command + "\n")
        web.stdin.flush()
        return json.loads(web.stdout.readline())

    try:
        assert web.stdout.readline().strip() == "ready"
        before = say("grant before@example.nhs.uk")  # Redis up: queued and sent at once
        assert before["status"] == 302
        _wait_for(lambda: _welcome_emails(mail_dir), 60, "the first welcome email")
        own_redis.kill()  # mid-run: the worker loses its broker, the web its publisher
        during = say("grant during@example.nhs.uk")
        assert during["status"] == 302  # the person's request succeeded, in about a second
        assert during["seconds"] < before["seconds"] + LIMIT_SECONDS, (before, during)
        assert during["states"] == {"done": 1, "pending": 1}  # owed, and recorded as owed
        assert say("relay")["published"] == 0  # still down: nothing lost, nothing stalls
        own_redis.start()  # back, empty
        _wait_for(lambda: say("relay")["published"] == 1, 30, "the relay to publish")
        emails = _wait_for(
            lambda: (e := _welcome_emails(mail_dir)) and len(e) >= 2 and e, 90, "the email"
        )
        assert sorted(emails) == ["before@example.nhs.uk", "during@example.nhs.uk"]
        time.sleep(2)  # a second delivery, if there were one, would land by now
        after = say("relay")
        assert after["published"] == 0
        assert after["states"] == {"done": 2}
        assert len(_welcome_emails(mail_dir)) == 2
    finally:
        web.stdin.close()
        web.wait(timeout=30)
        worker.terminate()
        worker.wait(timeout=30)
