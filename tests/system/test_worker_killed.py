"""A worker killed during a PDF render (issue 7): the export (or a published plan version's
PDF) is made anyway, exactly once, and its page says it is being made meanwhile, honestly.

Real Celery workers on Redis (prefork pool, one child), sharing the test database and media
folder, started with tests/system/slow_render_worker.py so that the first render sleeps and tells us
its process id. We SIGKILL what an out-of-memory killer or a lost machine would. Runs when
CELERY_TEST_BROKER_URL names a Redis server; skipped, with that reason, otherwise.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery import Celery
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from exports import services
from exports.models import Export
from hubs.models import CCG
from oversight import services as group_services
from priorities import services as plan_services
from priorities.models import PlanVersion
from tests.factories import make_group
from tests.priorities.helpers import OVERRIDE
from tests.system.processes import database_url, kill_group, redis_for, unacked

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)"
    ),
]

NEC = "north-east-and-cumbria"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def workers(tmp_path, transactional_db, settings, monkeypatch):
    """Start slow-render workers on a queue of their own; exports and plan version PDFs queued
    by the test process (export_request, exports_requeue_stale, plan_publish) are sent there.
    Workers are killed at teardown."""
    from exports.tasks import export_render
    from priorities.tasks import plan_version_render_pdf

    queue = f"test-killed-{uuid.uuid4().hex[:8]}"
    pid_file = tmp_path / "render.pid"
    client = Celery(broker=BROKER, backend=BROKER)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SLOW_RENDER_PID_FILE": str(pid_file),
    }
    started: list[tuple[subprocess.Popen, Path]] = []
    sent = []

    def start() -> subprocess.Popen:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "tests.system.slow_render_worker",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}-{len(started) + 1}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--logfile={log}",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            start_new_session=True,  # its own process group, so the whole worker can be killed
        )
        started.append((process, log))
        return process

    def logs() -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for _, log in started if log.exists())

    def sender(task):
        def send_to_worker(args=None, countdown=None, **options):
            # The app's own settings (eager, broker, queue) stay as every other test has them:
            # only these tasks' sending is replaced, by a client bound to the test broker and
            # queue.
            sent.append(client.send_task(task.name, args=args, countdown=countdown, queue=queue))
            return sent[-1]

        return send_to_worker

    for task in (export_render, plan_version_render_pdf):
        monkeypatch.setattr(task, "apply_async", sender(task))
    try:
        yield SimpleNamespace(
            queue=queue, pid_file=pid_file, start=start, logs=logs, sent=sent, client=client
        )
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
        time.sleep(0.2)
    raise AssertionError(f"Not {what} after {timeout}s.\n{workers.logs()}")


def _render_started(workers) -> int:
    """Wait for the slow first render to begin; the pid of the pool process making it."""
    text = _wait(
        workers,
        "rendering",
        lambda: workers.pid_file.exists() and workers.pid_file.read_text(),
        timeout=60,
    )
    return int(text)


def _ready(workers, export: Export) -> Export:
    def check():
        export.refresh_from_db()
        return export.status == Export.Status.READY and export

    return _wait(workers, "ready", check)


def _stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _ask_for_footprint(client) -> Export:
    """The requester asks for the NEC footprint PDF; it is sent to the worker on commit."""
    response = client.post(reverse("exports:hub-footprint"), {"hub": NEC, "on": "2015-03-31"})
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    return export


def _assert_being_made(client, export: Export) -> None:
    page = client.get(export.get_absolute_url()).content
    assert b"Being made" in page
    assert b"Your PDF is being made" in page
    assert reverse("exports:export-download", args=[export.pk]).encode() not in page


def _assert_downloadable(client, export: Export) -> None:
    download = reverse("exports:export-download", args=[export.pk])
    page = client.get(export.get_absolute_url()).content
    assert b"Your PDF is ready" in page
    assert download.encode() in page
    body = b"".join(client.get(download).streaming_content)
    assert body.startswith(b"%PDF")


def test_a_pool_child_killed_mid_render_is_retried_and_the_pdf_made_once(
    workers, client, nec_hub_officer
):
    workers.start()
    client.force_login(nec_hub_officer)
    export = _ask_for_footprint(client)
    child = _render_started(workers)
    (message,) = workers.sent
    export.refresh_from_db()
    assert (export.status, export.claim, export.attempts) == ("running", message.id, 1)
    _assert_being_made(client, export)

    os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would

    # The worker's main process sees its child lost and gives the message back (acks_late,
    # reject_on_worker_lost); a fresh child takes it, with the same task id, and claims again.
    export = _ready(workers, export)
    assert message.get(timeout=30) is True
    assert export.attempts == 2
    assert export.claim == ""
    assert len(_stored_files()) == 1
    _assert_downloadable(client, export)


def test_a_whole_worker_killed_mid_render_is_requeued_and_the_pdf_made_once(
    workers, client, nec_hub_officer
):
    first = workers.start()
    client.force_login(nec_hub_officer)
    export = _ask_for_footprint(client)
    child = _render_started(workers)
    (lost,) = workers.sent

    kill_group(first)  # main process and child: the machine lost, say

    # Redis holds the message for the dead worker until its visibility timeout (an hour); the
    # row still says running, and so does the page, honestly.
    assert lost.id in unacked(BROKER, workers.queue)
    _wait(workers, "gone", lambda: not _alive(child), timeout=10)
    export.refresh_from_db()
    assert (export.status, export.claim, export.attempts) == ("running", lost.id, 1)
    _assert_being_made(client, export)

    # A fresh worker, and the beat's sweep ten minutes on puts the render back on the queue.
    workers.start()
    later = timezone.now() + services.STALE_AFTER + datetime.timedelta(minutes=1)
    assert services.exports_requeue_stale(now=later) == 1
    _, requeued = workers.sent
    export = _ready(workers, export)
    assert requeued.get(timeout=30) is True
    assert export.attempts == 2
    assert len(_stored_files()) == 1
    _assert_downloadable(client, export)

    # An hour on, Redis gives the lost message back: it finds the PDF made and does nothing.
    from kombu import Connection

    with Connection(BROKER) as connection:
        connection.default_channel.qos.restore_by_tag(unacked(BROKER, workers.queue)[lost.id])
    assert lost.get(timeout=30) is False
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("ready", 2)
    assert len(_stored_files()) == 1


def _publish_nec_plan(nec_hub_officer, north_reviewer) -> PlanVersion:
    """NEC's 2015/16 plan published; its PDF is sent to the worker on commit."""
    group = make_group(by=nec_hub_officer, name="NEC Group")
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    plan = plan_services.plan_create(by=nec_hub_officer, group=group, year=2015)
    plan = plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan = plan_services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    plan_services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    return PlanVersion.objects.get(status="published")


def test_a_pool_child_killed_mid_plan_pdf_render_is_taken_back_and_the_pdf_made_once(
    workers, client, nec_hub_officer, north_reviewer
):
    workers.start()
    version = _publish_nec_plan(nec_hub_officer, north_reviewer)
    child = _render_started(workers)
    (message,) = workers.sent
    version.refresh_from_db()
    assert (version.pdf_claim, version.pdf_attempts) == (message.id, 1)
    client.force_login(nec_hub_officer)
    assert b"is being made" in client.get(version.get_absolute_url()).content

    os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would

    # The message given back takes the render back at once (same task id), not ten minutes on.
    def made():
        version.refresh_from_db()
        return bool(version.pdf) and version

    version = _wait(workers, "made", made)
    assert message.get(timeout=30) is True
    assert (version.pdf_claim, version.pdf_attempts, version.pdf_error) == ("", 2, "")
    assert len(_stored_files()) == 1
    page = client.get(version.get_absolute_url()).content
    assert b"Download the published plan" in page
    download = client.get(reverse("priorities:plan-version-pdf", args=[version.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
