"""Duplicate reminder emails per 1,000 under repeated worker kills (issue 14).

    .venv/bin/python bench/reminder_duplicates.py [--reminders 1000] [--workers 2]
        [--concurrency 2] [--stall 0.2] [--kill-every 1.0] [--seed 14]

Builds a throwaway SQLite database (in a temporary folder) or uses BENCH_DATABASE_URL: a
scratch database of your own (PostgreSQL recommended), which the benchmark refuses if it holds
anyone it did not make. It migrates it, loads the register, and makes `--reminders` reminders
due today: ten milestones for hub staff, and a tenth as many hub staff spread over the hubs.
It starts a Redis of its own on a free port (Debian's redis-server), the test mail server
tests/system/smtp_server.py (aiosmtpd: accepts every message, logs it, then waits `--stall`
seconds before answering each QUIT) and `--workers` real prefork Celery workers
(tests/system/reminder_worker.py, `--concurrency` pool processes each) mailing it.

It runs the sweep, and while the workers send, SIGKILLs at random moments (on average every
`--kill-every` seconds) a pool process (four times in five) or a whole worker (then starts a
new one). When nothing moves any more (the queue is empty and no claim has changed for a few
seconds), it stops killing and sweeps again as beat would after STALE_SENDING (the sweep run
with `now` eleven minutes on), and so on until every reminder is marked sent. It prints the
reminders, kills, re-sweeps, duplicates (counted from the mail server's own log, per
reminder), duplicates per 1,000 and the time taken. Nothing fails on a figure.
"""

import argparse
import datetime
import io
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "bench.example.nhs.uk"  # every person the benchmark makes has an address here
MILESTONES = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=1000, help="a multiple of 10")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--stall", type=float, default=0.2, help="seconds before each 221")
    parser.add_argument("--kill-every", type=float, default=1.0, help="mean seconds")
    parser.add_argument("--seed", type=int, default=14)
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configure(tmp: Path, broker: str) -> str:
    """Point Django at the benchmark database and Redis before anything imports the settings."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "commissioning.settings"
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    sys.path.insert(0, str(ROOT))
    return url


def make_reminders(count: int) -> None:
    """Ten milestones due today for hub staff, and count / 10 hub staff over the hubs."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment, User
    from hubs.models import Hub
    from timeline import services
    from timeline.models import CalendarMilestone, Notification, ReminderClaim

    if User.objects.exclude(email__endswith=f"@{DOMAIN}").exists():
        raise SystemExit(
            "BENCH_DATABASE_URL holds people the benchmark did not make: give it a scratch "
            "database (a sweep would remind them)."
        )
    Notification.objects.all().delete()  # a rerun starts from no reminders
    ReminderClaim.objects.all().delete()
    RoleAssignment.objects.filter(user__email__endswith=f"@{DOMAIN}").delete()
    admin, _ = User.objects.get_or_create(
        email=f"admin@{DOMAIN}", defaults={"full_name": "Bench Admin"}
    )
    RoleAssignment.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    hubs = list(Hub.objects.order_by("pk"))
    wanted = [f"staff{n}@{DOMAIN}" for n in range(count // MILESTONES)]
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    User.objects.bulk_create(
        User(email=email, full_name=email.split("@")[0], password=make_password(None))
        for email in wanted
        if email not in existing
    )
    staff = [User.objects.get(email=email) for email in wanted]
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=Role.HUB_STAFF, hub=hubs[n % len(hubs)])
        for n, user in enumerate(staff)
    )
    today = timezone.localdate()
    run = timezone.now().strftime("%H:%M:%S")
    CalendarMilestone.objects.update(archived=True)
    for n in range(MILESTONES):
        services.milestone_add(
            by=admin,
            year=today.year,
            title=f"Bench milestone {n} ({run})",
            due_on=today,
            for_hub_staff=True,
        )


class Workers:
    """Real prefork workers, started and SIGKILLed."""

    def __init__(self, tmp: Path, env: dict, queue: str, concurrency: int):
        from tests.system import reminder_worker

        self.command = reminder_worker.command
        self.tmp, self.env, self.queue, self.concurrency = tmp, env, queue, concurrency
        self.live: list[subprocess.Popen] = []
        self.started = 0

    def start(self) -> None:
        self.started += 1
        self.live.append(
            subprocess.Popen(  # noqa: S603 (our own worker script)
                self.command(
                    self.queue,
                    f"{self.queue}-{self.started}",
                    self.tmp / f"worker-{self.started}.log",
                    self.concurrency,
                ),
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,  # the banner; the log goes to the log file
                stderr=(self.tmp / f"worker-{self.started}.err").open("w"),
                start_new_session=True,
            )
        )

    @staticmethod
    def children(process: subprocess.Popen) -> list[int]:
        try:
            text = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
        except FileNotFoundError:
            return []
        return [int(pid) for pid in text.split()]

    def kill_child(self, rng: random.Random) -> bool:
        pids = [pid for process in self.live for pid in self.children(process)]
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill_worker(self, rng: random.Random) -> None:
        process = self.live.pop(rng.randrange(len(self.live)))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.start()

    def stop(self) -> None:
        for process in self.live:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    port = _free_port()
    redis = subprocess.Popen(  # noqa: S603 (Debian's redis-server)
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    broker = f"redis://127.0.0.1:{port}/0"
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = configure(tmp, broker)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count
        from django.utils import timezone

        from commissioning.celery import app
        from tests.system.smtp_server import SmtpServer
        from timeline import reminders
        from timeline.models import ReminderClaim

        print(f"Database: {connection.vendor} ({url.split('@')[-1]})")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference_data", stdout=io.StringIO())
        make_reminders(args.reminders)
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        app.conf.task_default_queue = queue  # where this process's sweeps queue the sends
        import redis as redis_client

        store = redis_client.Redis(port=port)
        with SmtpServer(tmp / "smtp.jsonl", stall_quit=args.stall, stalls=-1) as smtp:
            env = {
                **os.environ,
                "CELERY_RESULT_BACKEND": "",
                "EMAIL_URL": smtp.url,
                "EMAIL_TIMEOUT": "10",
                "TEST_QUEUE": queue,
            }
            workers = Workers(tmp, env, queue, args.concurrency)
            for _ in range(args.workers):
                workers.start()
            time.sleep(3)  # the workers connect
            kills = Counter()
            sweeps = 1
            started = time.monotonic()
            claimed = reminders.reminders_sweep().claimed
            unsent = ReminderClaim.objects.exclude(status=ReminderClaim.Status.SENT)

            def statuses() -> tuple:
                return tuple(
                    ReminderClaim.objects.values_list("status")
                    .annotate(n=Count("pk"))
                    .order_by("status")
                )

            quiet_for = max(3.0, 5 * args.stall)
            while unsent.exists():
                # Kill at random moments while the workers make progress.
                last, changed = None, time.monotonic()
                next_kill = time.monotonic() + rng.expovariate(1 / args.kill_every)
                while True:
                    state = (store.llen(queue), *statuses())
                    if state != last:
                        last, changed = state, time.monotonic()
                    if state[0] == 0 and time.monotonic() - changed > quiet_for:
                        break
                    if not unsent.exists():
                        break
                    if time.monotonic() >= next_kill:
                        if rng.random() < 0.8:
                            kills["pool process"] += workers.kill_child(rng)
                        else:
                            workers.kill_worker(rng)
                            kills["whole worker"] += 1
                        next_kill = time.monotonic() + rng.expovariate(1 / args.kill_every)
                    time.sleep(0.05)
                if not unsent.exists():
                    break
                # Nothing moves: what is left was lost with a killed worker. Beat's sweep,
                # past STALE_SENDING, queues it again.
                later = timezone.now() + reminders.STALE_SENDING + datetime.timedelta(minutes=1)
                reminders.reminders_sweep(now=later)
                sweeps += 1
            elapsed = time.monotonic() - started
            time.sleep(max(1.0, 2 * args.stall))  # any send still closing
            workers.stop()
            accepted = smtp.records()
            quits = {(tuple(r["peer"]), r["at"]) for r in smtp.records("quit")}
        per_claim = Counter(r["reminder"] for r in accepted)
        # Of each duplicated reminder, was its first delivery's connection already at QUIT
        # when the worker died? Then the claim was accepted and the worker had moved on to
        # closing: the window the mark-before-close order removes.
        first: dict[str, dict] = {}
        for record in accepted:
            first.setdefault(record["reminder"], record)
        after_quit = sum(
            any(
                peer == tuple(first[pk]["peer"]) and 0 <= at - first[pk]["at"] < 60
                for peer, at in quits
            )
            for pk, n in per_claim.items()
            if n > 1
        )
        identities = {
            str(pk): identity
            for pk, *identity in ReminderClaim.objects.values_list(
                "pk", "rule_id", "item_key", "recipient_id", "occurrence"
            )
        }
        assert set(per_claim) <= set(identities), "a message the benchmark did not claim"
        missing = len(identities) - len(per_claim)
        duplicates = sum(n - 1 for n in per_claim.values())
        connection.close()
    redis.kill()
    redis.wait()
    print(f"reminders            {claimed} ({len(identities)} claims, {missing} never delivered)")
    print(f"kills                {sum(kills.values())} ({dict(kills)})")
    print(f"sweeps               {sweeps} (1 + re-sweeps past STALE_SENDING)")
    print(f"duplicates           {duplicates} ({after_quit} after the connection reached QUIT)")
    print(f"duplicates per 1,000 {1000 * duplicates / max(claimed, 1):.1f}")
    print(f"elapsed              {elapsed:.1f} s")
    print(
        f"(workers {args.workers} x {args.concurrency} pool processes, QUIT stall {args.stall} s,"
        f" a kill every {args.kill_every} s on average, seed {args.seed})"
    )


if __name__ == "__main__":
    main()
