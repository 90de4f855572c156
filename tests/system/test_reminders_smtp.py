"""Reminder emails under faults, counted by a real mail server (issue 14, "What to build" 2, 3).

Real prefork Celery workers on Redis (tests/system/reminder_worker.py), sharing the test
database, send reminders over SMTP to a real local mail server (tests/system/smtp_server.py,
aiosmtpd in a process of its own) that logs each message it accepts. Every assertion of how
often a reminder was delivered counts that log, per (rule, item, person, day). Runs when
CELERY_TEST_BROKER_URL names a Redis server; skipped, with that reason, otherwise.
"""

import datetime
import json
import os
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from hubs.models import Hub
from tests.factories import make_user
from tests.system import reminder_worker
from tests.system.processes import database_url, kill_group, redis_for, unacked
from tests.system.smtp_server import SmtpServer
from tests.timeline.sweeps import HELEN, NEC, SAM
from timeline import reminders, services
from timeline.models import CalendarMilestone, ReminderClaim

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)"
    ),
]


def _pool_children(process: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()]


@pytest.fixture
def smtp_log(tmp_path) -> Path:
    return tmp_path / "smtp.jsonl"


@pytest.fixture
def workers(tmp_path, transactional_db, monkeypatch):
    """Start reminder workers on a queue of their own, mailing the test's SMTP server (set
    `workers.smtp` first). The sends a sweep in this process queues go there too. Killed at
    teardown, with what they left in Redis."""
    from timeline.tasks import reminders_send

    queue = f"test-smtp-{uuid.uuid4().hex[:8]}"
    client = Celery(broker=BROKER, backend=BROKER)
    started: list[tuple[subprocess.Popen, Path]] = []
    state = SimpleNamespace(queue=queue, client=client, smtp=None, sent=[])

    def start(**env_more) -> subprocess.Popen:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_RESULT_BACKEND": BROKER,
            "EMAIL_URL": state.smtp.url,
            "EMAIL_TIMEOUT": "60",
            "SITE_URL": "https://commissioning.example.nhs.uk",
            "TEST_QUEUE": queue,
            **env_more,
        }
        process = subprocess.Popen(
            reminder_worker.command(queue, f"{queue}-{len(started) + 1}", log),
            env=env,
            cwd=settings.BASE_DIR,
            start_new_session=True,  # its own process group, so the whole worker can be killed
        )
        started.append((process, log))
        return process

    def logs() -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for _, log in started if log.exists())

    def send_to_worker(args=None, kwargs=None, **options):
        state.sent.append(client.send_task(reminders_send.name, args=args, queue=queue))
        return state.sent[-1]

    monkeypatch.setattr(reminders_send, "apply_async", send_to_worker)
    state.start, state.logs = start, logs
    try:
        yield state
    finally:
        for process, _ in started:
            kill_group(process)
        store = redis_for(BROKER)
        for tag in unacked(BROKER, queue).values():
            store.hdel("unacked", tag)
            store.zrem("unacked_index", tag)
        store.delete(queue, *store.scan_iter(f"_kombu.binding*.{queue}"))
        client.close()


def _wait(workers, what: str, check: Callable[[], object], timeout: float = 90) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"Not {what} after {timeout}s.\n{workers.logs()}")


def _all_sent(workers) -> None:
    _wait(
        workers,
        "all sent",
        lambda: not ReminderClaim.objects.exclude(status=ReminderClaim.Status.SENT).exists(),
    )


def _drain(workers) -> None:
    """A task that does nothing, queued behind any stray send (a one-process worker takes one
    message at a time, in order): once it is done, so are they."""
    workers.client.send_task("celery.backend_cleanup", queue=workers.queue).get(timeout=90)


def _deliveries(smtp: SmtpServer) -> Counter:
    """(rule, item, person, day) -> how many times the mail server accepted it, from its log;
    each message is matched to its claim by the claim's Message-ID."""
    claims = {str(c.pk): c for c in ReminderClaim.objects.select_related("recipient")}
    counts = Counter()
    for record in smtp.records():
        claim = claims[record["reminder"]]
        assert record["to"] == [claim.recipient.email]
        assert record["subject"] == claim.subject
        counts[(claim.rule_id, claim.item_key, claim.recipient.email, claim.occurrence)] += 1
    return counts


def _each_once(smtp: SmtpServer) -> None:
    identities = set(
        ReminderClaim.objects.values_list("rule_id", "item_key", "recipient__email", "occurrence")
    )
    assert _deliveries(smtp) == Counter(dict.fromkeys(identities, 1))


def _due_today(register, title: str, *, staff: int = 0) -> CalendarMilestone:
    """A milestone due today (the workers' clock is the real one) for hub staff: Helen (NEC),
    Sam (London) and `staff` more spread over the hubs."""
    admin = make_user("nadia@example.nhs.uk", "Nadia Shah", (Role.NATIONAL_ADMIN, None))
    make_user(HELEN, "Helen Carter", (Role.HUB_STAFF, Hub.objects.get(slug=NEC)))
    make_user(SAM, "Sam Patel", (Role.HUB_STAFF, Hub.objects.get(slug="london")))
    hubs = list(Hub.objects.order_by("slug"))
    for n in range(staff):
        hub = hubs[n % len(hubs)]
        make_user(f"staff{n}@example.nhs.uk", f"Staff {n}", (Role.HUB_STAFF, hub))
    today = timezone.localdate()
    CalendarMilestone.objects.update(archived=True)
    return services.milestone_add(
        by=admin, year=today.year, title=title, due_on=today, for_hub_staff=True
    )


@pytest.mark.parametrize("killed", ["pool child", "whole worker"])
def test_a_worker_killed_while_the_mail_server_stalls_after_accepting_sends_it_once(
    workers, smtp_log, register, killed
):
    """The server accepts the first reminder, then stalls on QUIT; the worker is SIGKILLed
    there (after the acceptance, before the connection is closed). A new worker and a sweep
    past STALE_SENDING then run: the mail server has each reminder exactly once. (With the
    claim marked sent only after the connection closed, as before issue 14, the first is
    sent again by that sweep.)"""
    _due_today(register, "Kill test milestone")
    with SmtpServer(smtp_log, stall_quit=600, stalls=1) as smtp:
        workers.smtp = smtp
        first = workers.start()
        assert reminders.reminders_sweep().claimed == 2
        (batch,) = workers.sent
        accepted = smtp.wait_for("quit")  # accepted, and now stalling on QUIT
        assert len(smtp.records()) == 1

        if killed == "pool child":
            (child,) = _pool_children(first)
            os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would
            # The message comes back to a fresh child (acks_late): it sends the other claim.
            assert batch.get(timeout=90) == 1
        else:
            kill_group(first)  # main process and child: the machine lost, say
            assert batch.id in unacked(BROKER, workers.queue)  # held by Redis for the dead worker
            workers.start()
        assert len(accepted) == 1

        # The beat's sweep, past STALE_SENDING: whatever is stuck "sending" is sent again.
        later = timezone.now() + reminders.STALE_SENDING + datetime.timedelta(minutes=1)
        reminders.reminders_sweep(now=later)
        _all_sent(workers)
        _drain(workers)
        if killed == "whole worker":
            # An hour on, Redis gives the lost batch back: it finds nothing left to send.
            from kombu import Connection

            with Connection(BROKER) as connection:
                connection.default_channel.qos.restore_by_tag(
                    unacked(BROKER, workers.queue)[batch.id]
                )
            assert batch.get(timeout=90) == 0
        _drain(workers)
        _each_once(smtp)
        assert len(smtp.records()) == 2


def test_two_sweeps_overlapping_in_two_worker_processes_send_each_reminder_once(
    workers, smtp_log, register, tmp_path
):
    """Two workers each run the sweep at the same time: both wait at a barrier, and each holds
    its transaction open after inserting its claims, so one inserts while the other's claims
    are uncommitted (tests/system/reminder_worker.py). Each reminder is claimed by one of them
    and reaches the mail server once."""
    _due_today(register, "Overlap test milestone", staff=30)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    with SmtpServer(smtp_log) as smtp:
        workers.smtp = smtp
        for _ in range(2):
            workers.start(SWEEP_BARRIER=str(barrier), SWEEP_PARTIES="2", SWEEP_HOLD="2")
        sweeps = [
            workers.client.send_task("timeline.tasks.reminders_sweep", queue=workers.queue)
            for _ in range(2)
        ]
        claimed = sorted(result.get(timeout=120) for result in sweeps)
        total = ReminderClaim.objects.count()
        by_rule = Counter(ReminderClaim.objects.values_list("rule__name", flat=True))
        assert (total, by_rule) == (32, Counter({"On the day": 32}))
        assert sum(claimed) == total  # each claimed by one sweep (in practice: [0, total])

        log = [json.loads(line) for line in (barrier / "sweeps.jsonl").read_text().splitlines()]
        starts = {r["pid"]: r["at"] for r in log if r["event"] == "start"}
        ends = {r["pid"]: r["at"] for r in log if r["event"] == "end"}
        assert len(starts) == 2  # two processes
        assert max(starts.values()) < min(ends.values())  # both ran at once

        _all_sent(workers)
        for _ in range(2):
            _drain(workers)
        _each_once(smtp)
        assert len(smtp.records()) == total
