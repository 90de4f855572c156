"""A real Celery worker on Redis runs a real task against the test database.

Runs when CELERY_TEST_BROKER_URL names a Redis server (CI sets it, and `.ci/run` starts
Redis); without it the test is skipped with that reason shown in the summary.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from tests.factories import make_user
from tests.system.processes import database_url

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)"
    ),
]


@pytest.fixture
def worker(tmp_path, transactional_db):
    """A Celery worker process on its own queue, emailing into files under tmp_path."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": "https://commissioning.example.nhs.uk",
    }
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [
            str(celery),
            "-A",
            "commissioning",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--logfile={log}",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        yield {"queue": queue, "mail_dir": mail_dir, "log": log}
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_worker_runs_the_welcome_email_task(worker, register):
    person = make_user("newcomer@example.nhs.uk", "Nia Newcomer")
    client = Celery(broker=BROKER, backend=BROKER)
    result = client.send_task(
        "accounts.tasks.user_send_welcome", args=[person.pk], queue=worker["queue"]
    )
    try:
        assert result.get(timeout=90) is True
    except Exception:
        print(worker["log"].read_text() if worker["log"].exists() else "no worker log")
        raise
    messages = list(worker["mail_dir"].glob("*.log"))
    assert len(messages) == 1
    text = messages[0].read_text()
    assert "To: newcomer@example.nhs.uk" in text
    assert "https://commissioning.example.nhs.uk/accounts/reset/" in text

    # Safe to run for a row that has gone: the task returns quietly.
    gone = client.send_task("accounts.tasks.user_send_welcome", args=[0], queue=worker["queue"])
    assert gone.get(timeout=90) is False
