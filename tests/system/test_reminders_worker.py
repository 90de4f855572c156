"""Reminders: a real Celery worker on Redis runs the sweep and sends each reminder once."""

import email
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from accounts.models import Role
from hubs.models import Hub
from tests.factories import make_user
from tests.system.processes import database_url
from tests.timeline.sweeps import HELEN, NEC, SAM
from timeline import services
from timeline.models import CalendarMilestone, ReminderClaim

# 5. A real Celery worker on Redis.

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

# The worker sends the emails the sweep queues on the default queue: make its own test queue
# the default, so nothing strays onto a queue shared with other runs.
WORKER = """
import os, sys
from commissioning.celery import app
app.conf.task_default_queue = os.environ["TEST_QUEUE"]
app.worker_main(sys.argv[1:])
"""


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
        "TEST_QUEUE": queue,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
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


def _emails(mail_dir: Path) -> list[tuple[str, str]]:
    """(to, subject) of every email the file backend wrote."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for text in path.read_text().split("-" * 79):
            if text.strip():
                message = email.message_from_string(text.strip())
                found.append((message["To"], " ".join(str(message["Subject"]).split())))
    return found


@pytest.mark.celery_worker
@pytest.mark.skipif(not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)")
def test_a_real_worker_runs_the_sweep_and_sends_each_reminder_once(worker, register):
    from django.utils import timezone

    admin = make_user("nadia@example.nhs.uk", "Nadia Shah", (Role.NATIONAL_ADMIN, None))
    make_user(HELEN, "Helen Carter", (Role.HUB_STAFF, Hub.objects.get(slug=NEC)))
    make_user(SAM, "Sam Patel", (Role.HUB_STAFF, Hub.objects.get(slug="london")))
    today = timezone.localdate()  # the worker's clock is the real one
    CalendarMilestone.objects.update(archived=True)
    milestone = services.milestone_add(
        by=admin, year=today.year, title="Worker test milestone", due_on=today, for_hub_staff=True
    )
    client = Celery(broker=BROKER, backend=BROKER)

    def run_sweep() -> int:
        result = client.send_task("timeline.tasks.reminders_sweep", queue=worker["queue"])
        try:
            return result.get(timeout=90)
        except Exception:
            print(worker["log"].read_text() if worker["log"].exists() else "no worker log")
            raise

    claimed = run_sweep()
    # "Due today" for each of the two (the missed "3 working days before" is superseded).
    mine = ReminderClaim.objects.filter(item_key__startswith=f"milestone:{milestone.pk}:")
    assert claimed == mine.count() == 2, list(
        ReminderClaim.objects.values_list("item_key", "subject")
    )
    deadline = time.monotonic() + 90
    while mine.exclude(status=ReminderClaim.Status.SENT).exists():
        assert time.monotonic() < deadline, worker["log"].read_text()
        time.sleep(0.2)
    assert run_sweep() == 0

    # A task that does nothing, queued behind any stray duplicate send (there must be none):
    # the solo worker runs its one queue in order, so once it is done, so are they.
    client.send_task("celery.backend_cleanup", queue=worker["queue"]).get(timeout=90)
    sent = [e for e in _emails(worker["mail_dir"]) if "Worker test milestone" in e[1]]
    claims = mine.select_related("recipient", "rule")
    assert Counter(sent) == Counter((c.recipient.email, c.subject) for c in claims)
    assert len(sent) == 2
    assert {(c.recipient.email, c.rule.kind) for c in claims} == {
        (HELEN, "on_day"),
        (SAM, "on_day"),
    }
