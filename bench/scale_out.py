"""Scale-out proof (issue 20): two web instances and two Celery workers give the same answers.

    .venv/bin/python bench/scale_out.py [--users 8] [--seconds 5] [--web-workers 2]
                                        [--no-generate] [--no-load]

The product keeps no state in a process: sessions, the page cache, claims and locks live in
PostgreSQL or Redis, uploads and generated files in MEDIA_ROOT, which every process shares. So
a busier deployment adds processes. This script starts, against one PostgreSQL database and one
Redis, TWO gunicorn instances (ports 8771 and 8772, production settings as bench/load.py's:
DEBUG off, hashed static files, Redis cache and broker) and TWO Celery workers (no beat), all
sharing one MEDIA_ROOT and one folder of sent emails (the file-based email backend), both in a
temporary folder. Database: SCALE_OUT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/scaleout; created if missing, migrated, and refilled on each
run by bench/generate.py --years 2 --hubs 2 unless --no-generate). Redis: DB 9 (broker) and DB
10 (cache) at 127.0.0.1:6379, both emptied first (they are this script's own).

Sameness checks, each printing PASS or FAIL (the script exits 1 if any fails):
- session: a person signs in through the form on instance A; the cookie works on instance B;
- write A, read B: a meeting scheduled through A's API (a personal token) is at once on B's
  group page (a cached page, per session) and in B's API list (a cached answer), and A and B
  then answer the API list alike;
- reminders: four sweeps queued at once run on both workers; every reminder due (three calendar
  milestones due today for hub staff, and whatever else the data has due) is claimed once and
  emailed exactly once, and two sweeps more send nothing;
- export: a hub footprint PDF requested once through A, its render delivered twice (as a
  requeue would), is made once (one attempt, one file) by one of the two workers, and both
  instances serve the same bytes (shared MEDIA_ROOT), and B's API reports it ready.
Then throughput, unless --no-load: for a few pages, wrk with --users connections (each its own
person's session) against A alone, B alone, then A and B at once; requests/s of each and of
both together. Figures only: nothing fails on time.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.scale_out_checks import (  # noqa: E402
    BROKER,
    CACHE,
    PORTS,
    RESULTS,
    cast,
    check_export,
    check_reminders,
    check_session,
    check_write_visible,
    get,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/scaleout"


# --- set-up -----------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the script's database if it is missing."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')
            print(f"Created database {name}")


def environment(database: str, tmp: Path, web_workers: int) -> dict[str, str]:
    env = load.production_env(database)
    env.update(
        CELERY_BROKER_URL=BROKER,
        CACHE_URL=CACHE,
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
        COMMISSIONING_VAR_DIR=str(tmp / "var"),
        WEB_CONCURRENCY=str(web_workers),
        CELERY_WORKER_CONCURRENCY="1",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    for inherited in ("CELERY_RESULT_BACKEND", "EMAIL_URL", "PAGE_CACHE_SECONDS"):
        env.pop(inherited, None)  # the emails must be files; the page cache on, as with Redis
    return env


def prepare(env: dict[str, str], generate: bool) -> None:
    def manage(*argv: str, debug: bool = False) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py and generate.py
            [sys.executable, *argv],
            cwd=ROOT,
            env={**env, "DJANGO_DEBUG": "true"} if debug else env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    manage("manage.py", "migrate", "--noinput", "-v0")
    if generate:
        print("Generating 2 years of data for 2 hubs (bench/generate.py)…", flush=True)
        out = manage(
            "bench/generate.py", "--reset", "--years", "2", "--hubs", "2", "--no-pages", debug=True
        )
        print("  " + (out.strip().splitlines() or ["?"])[-1], flush=True)
    load.collect_static(env)
    import redis

    for url in (BROKER, CACHE.replace("rediscache", "redis")):
        redis.Redis.from_url(url).flushdb()


# --- processes --------------------------------------------------------------------------------


class Processes:
    """The gunicorn instances and Celery workers this script starts (and only those)."""

    def __init__(self, env: dict[str, str], tmp: Path):
        self.env, self.tmp = env, tmp
        self.started: list[subprocess.Popen] = []

    def _start(self, argv: list[str], log: Path) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn and celery, fixed arguments
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def web(self, port: int, workers: int) -> None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"Port {port} is already in use (a gunicorn left from a run?)")
        process = self._start(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "commissioning.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            self.tmp / f"web-{port}.log",
        )
        for _ in range(150):
            if process.poll() is not None:
                raise SystemExit(f"gunicorn on {port} stopped: see {self.tmp}/web-{port}.log")
            try:
                if get(port, "/healthz/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn on {port} did not start")

    def worker(self, n: int) -> Path:
        log = self.tmp / f"worker-{n}.log"
        self._start(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "commissioning",
                "worker",
                "-n",
                f"scaleout{n}@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            log,
        )
        return log

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def wait_for_workers(count: int) -> None:
    from commissioning.celery import app

    for _ in range(60):
        if len(app.control.ping(timeout=1.0) or []) >= count:
            return
    raise SystemExit("the Celery workers did not answer")


# --- throughput -------------------------------------------------------------------------------


def run_wrk(port: int, path: str, users: int, seconds: int, script: str) -> dict:
    return load.run_wrk(path, users, seconds, script, base=f"http://127.0.0.1:{port}")


def throughput(pages, users: int, seconds: int) -> list[tuple]:
    """For each page: wrk on A alone, B alone, then both at once (each its own people)."""
    rows = []
    for name, path, user in pages:
        scripts = [load.wrk_script([load.session_for(user) for _ in range(users)]) for _ in PORTS]
        try:
            for port, script in zip(PORTS, scripts, strict=True):
                run_wrk(port, path, users, 1, script)  # warm up
            alone = [
                run_wrk(port, path, users, seconds, script)
                for port, script in zip(PORTS, scripts, strict=True)
            ]
            with ThreadPoolExecutor(max_workers=2) as pool:  # A and B at once
                together = list(
                    pool.map(
                        lambda port, script, path=path: run_wrk(port, path, users, seconds, script),
                        PORTS,
                        scripts,
                    )
                )
        finally:
            for script in scripts:
                Path(script).unlink(missing_ok=True)
        rows.append((name, alone, together))
        print(
            f"  {name:<12} A alone {alone[0]['rps']:>6.1f}  B alone {alone[1]['rps']:>6.1f}  "
            f"together A {together[0]['rps']:>6.1f} + B {together[1]['rps']:>6.1f} = "
            f"{together[0]['rps'] + together[1]['rps']:>6.1f} req/s",
            flush=True,
        )
    return rows


def print_throughput(rows, users: int, seconds: int, web_workers: int) -> None:
    print(
        f"\nThroughput: {users} connections per instance, {seconds} s each, gunicorn "
        f"{web_workers} sync workers per instance, {os.cpu_count()} cores, page cache on"
    )
    header = (
        "| page         | A alone | B alone | A (both) | B (both) | A+B req/s | p95 ms (both) "
        "| errors |"
    )
    print(header)
    print("|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|")
    for name, alone, together in rows:
        errors = sum(f["errors"] + f["non2xx"] for f in [*alone, *together])
        print(
            f"| {name:<12} | {alone[0]['rps']:>7.1f} | {alone[1]['rps']:>7.1f} | "
            f"{together[0]['rps']:>8.1f} | {together[1]['rps']:>8.1f} | "
            f"{together[0]['rps'] + together[1]['rps']:>9.1f} | "
            f"{max(together[0]['p95'], together[1]['p95']):>13.1f} | {errors:>6} |"
        )


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8, help="connections per instance")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers each")
    parser.add_argument("--no-generate", action="store_true", help="reuse the data as it is")
    parser.add_argument("--no-load", action="store_true", help="the checks only, no wrk")
    args = parser.parse_args()
    if not args.no_load and not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk (or pass --no-load)")
    database = os.environ.get("SCALE_OUT_DATABASE_URL", DEFAULT_DATABASE)
    ensure_database(database)
    with tempfile.TemporaryDirectory(prefix="scale-out-") as folder:
        tmp = Path(folder)
        for sub in ("media", "mail", "var"):
            (tmp / sub).mkdir()
        env = environment(database, tmp, args.web_workers)
        prepare(env, generate=not args.no_generate)
        load.setup_django(env)
        from django.db import connection
        from django.urls import reverse

        from accounts.tokens import token_create

        group, staff, admin = cast()
        _, token = token_create(user=staff, name=f"Scale-out {uuid.uuid4().hex[:8]}")
        processes = Processes(env, tmp)
        try:
            for port in PORTS:
                processes.web(port, args.web_workers)
            logs = [processes.worker(n) for n in (1, 2)]
            wait_for_workers(2)
            print(
                f"Started gunicorn on :{PORTS[0]} and :{PORTS[1]} ({args.web_workers} workers "
                f"each) and 2 Celery workers; database {database.rsplit('/', 1)[-1]}, broker "
                f"{BROKER}, cache {CACHE}, MEDIA_ROOT and mail in {tmp}\n",
                flush=True,
            )
            check_session()
            check_write_visible(group, staff, token)
            check_reminders(admin, logs, tmp / "mail")
            check_export(group, staff, token, logs, tmp / "media")
            rows = []
            if not args.no_load:
                print("\nLoad (req/s):", flush=True)
                pages = [
                    ("floor", reverse("bench-floor"), staff),
                    ("group page", group.get_absolute_url(), staff),
                    ("my work", reverse("workspace:my-work"), staff),
                    ("api meetings", f"/api/v1/meetings/?group={group.pk}", staff),
                ]
                connection.close()
                rows = throughput(pages, args.users, args.seconds)
        finally:
            processes.stop()
            connection.close()
        if rows:
            print_throughput(rows, args.users, args.seconds, args.web_workers)
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(
        f"\nSameness: {len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed"
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
