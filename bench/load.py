"""Load benchmark: the main pages and API lists under concurrent users, at national scale.

    .venv/bin/python bench/load.py [--users 16] [--seconds 8] [--workers 5] [--only NAME,...]
                                   [--no-page-cache | --writes-every SECONDS]

Serves the app with gunicorn in production settings (DEBUG off, hashed static files, Redis
cache and broker) on PostgreSQL, against the database in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/scale, filled by bench/generate.py — run that first, or pass
--generate). Each page is requested by a person of the role that uses it (sessions made for
them directly), first once through Django's test client to count its SQL queries, then by wrk
(`apt-get install wrk`) with `--users` concurrent connections for `--seconds`, on 127.0.0.1
only, each request under the next of `--users` sessions (as that many people: each has their
own page cache entry). `--writes-every` invalidates the page cache that often meanwhile, as
writes anywhere in the country would; `--no-page-cache` renders every request in full.

Prints, per page: requests/s, p50 and p95 latency (ms), SQL queries per request, and the p95
as a multiple of the floor's (a signed-in page rendering the base template and nothing else);
then the gunicorn workers' peak memory. Figures only: nothing here fails on time.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/scale"

# wrk prints its own summary; this script adds one JSON line with the figures we need. Each
# request goes out under the next of several sessions (people), so that each has its own page
# cache entry, as real people do.
WRK_SCRIPT = """
local sessions = {SESSIONS}
local requests = {}
local n = 0
init = function(args)
  for i, key in ipairs(sessions) do
    requests[i] = wrk.format(nil, nil, {["Cookie"] = "sessionid=" .. key})
  end
end
request = function()
  n = n + 1
  return requests[(n % #requests) + 1]
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, ' ..
    '"errors": %d, "non2xx": %d}\\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def wrk_script(sessions: list[str]) -> str:
    """A wrk script for one page, requested in turn under each of `sessions`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.replace("SESSIONS", ", ".join(f'"{key}"' for key in sessions)))
    return script.name


class Writes:
    """While running, invalidate the page cache every `every` seconds, as a write anywhere in
    the country would (the generation counter; see commissioning/pagecache.py)."""

    def __init__(self, every: float):
        self.every = every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from commissioning import pagecache

        while not self.stop.wait(self.every):
            pagecache.bump()  # outside a transaction: at once

    def __enter__(self):
        if self.every:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()


def production_env(database: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        CELERY_BROKER_URL=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/5"),
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "rediscache://127.0.0.1:6379/6"),
        DJANGO_SETTINGS_MODULE="commissioning.settings",
        LOG_LEVEL="WARNING",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """Production settings serve hashed static files: collect them first."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def session_for(user) -> str:
    """A signed-in session for `user`, made directly (the benchmark measures pages, not the
    sign-in form)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    second_factor_verified(user, session)
    session.create()
    return session.session_key


def second_factor_verified(user, session) -> None:
    """Two-step sign-in done in `session` (issue 19: national admins must have it), so the
    pages measured are what a verified person sees, with django-otp's device read in each."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def pick_targets() -> list[tuple[str, str, object]]:
    """(name, path, user) for every page and API list measured, on the generated data."""
    from django.urls import reverse

    from accounts.models import Role, RoleAssignment
    from hubs.models import Hub
    from meetings.models import Meeting
    from oversight.models import OversightGroup
    from priorities.models import PrioritiesPlan
    from reviews.models import PeerReview

    def person(role, **scope):
        assignment = (
            RoleAssignment.objects.active()
            .filter(role=role, user__is_active=True, **scope)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if assignment is None:
            raise SystemExit(f"No {role} in the database: run bench/generate.py first.")
        return assignment.user

    hub = Hub.objects.get(slug="north-east-and-cumbria")
    group = OversightGroup.objects.filter(hub=hub).order_by("pk").first()
    if group is None:
        raise SystemExit("No generated data: run bench/generate.py first.")
    plan = PrioritiesPlan.objects.filter(group=group).order_by("-year").first()
    meeting = Meeting.objects.filter(group=group).order_by("-starts_at").first()
    review = PeerReview.objects.filter(hub=hub).order_by("-cycle__year", "cycle__kind").first()
    staff = person(Role.HUB_STAFF, hub=hub)
    region = person(Role.REGIONAL_TEAM, region=hub.region)
    national = person(Role.NATIONAL_ADMIN)
    lead = person(Role.CCG_LEAD, ccg__hub=hub)
    year = plan.year if plan else 2015
    return [
        ("floor", reverse("bench-floor"), staff),
        ("overview", reverse("hubs:overview"), staff),
        ("hub", reverse("workspace:hub-detail", args=[hub.slug]), staff),
        ("group", group.get_absolute_url(), staff),
        ("meeting", meeting.get_absolute_url(), staff),
        ("plan", plan.get_absolute_url(), staff),
        ("ranking", reverse("priorities:ranking", args=[plan.pk]), staff),
        ("dashboard", reverse("priorities:plan-dashboard", args=[plan.pk]), staff),
        ("cross-hub plans", reverse("priorities:cross-hub") + f"?year={year}", region),
        ("review", review.get_absolute_url(), region),
        ("status board", review.cycle.get_absolute_url(), region),
        ("at a glance", reverse("workspace:oversight-glance"), region),
        ("timeline grid", reverse("timeline:grid") + f"?year={year}", region),
        ("my work (hub)", reverse("workspace:my-work"), staff),
        ("my work (CCG)", reverse("workspace:my-work"), lead),
        ("notifications", reverse("timeline:inbox"), staff),
        ("api groups", "/api/v1/groups/", national),
        ("api plans", "/api/v1/plans/", national),
        ("api proposals", f"/api/v1/proposals/?plan={plan.pk}", staff),
        ("api peer reviews", "/api/v1/peer-reviews/", region),
        ("api notifications", "/api/v1/notifications/", staff),
        ("api ccgs", "/api/v1/ccgs/", national),
    ]


def count_queries(path: str, user) -> tuple[int, int]:
    """(status, SQL queries) for one request through Django's test client, rendered in full
    (the page cache off: these are the queries of the page's own work)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    settings.SECOND_FACTOR_ENFORCED = False  # the page's own queries (issue 19)

    client = Client()
    client.force_login(user)
    client.get(path)  # warm the caches a real user would have warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response.status_code, len(captured)


def _port_taken() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", PORT)) == 0


def start_gunicorn(env: dict[str, str], workers: int) -> subprocess.Popen:
    """Our own gunicorn on PORT; refuses to measure whatever else may be listening there."""
    if _port_taken():
        raise SystemExit(f"Port {PORT} is already in use (a gunicorn left from a run?): stop it.")
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "commissioning.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            with urllib.request.urlopen(f"{BASE}/healthz/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("gunicorn did not start")


def worker_rss_peak(master: subprocess.Popen) -> list[int]:
    """Peak resident memory (kB, VmHWM) of each gunicorn worker."""
    peaks = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master.pid):
            peaks.append(int(fields.get("VmHWM", "0 kB").split()[0]))
    return peaks


def run_wrk(path: str, users: int, seconds: int, script: str) -> dict:
    threads = min(2, users)
    result = subprocess.run(  # noqa: S603 - wrk against 127.0.0.1 only
        [
            shutil.which("wrk") or "wrk",
            f"-t{threads}",
            f"-c{users}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            BASE + path,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    line = [row for row in result.stdout.splitlines() if row.startswith("{")][-1]
    return json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--generate", action="store_true", help="run bench/generate.py first")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every request in full (PAGE_CACHE_SECONDS=0)",
    )
    parser.add_argument(
        "--writes-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="invalidate the page cache this often while measuring, as writes would",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    database = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    env = production_env(database)
    if args.no_page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    if args.generate:
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "generate.py")],
            env={**env, "DJANGO_DEBUG": "true"},
            check=True,
        )
    collect_static(env)
    setup_django(env)
    targets = pick_targets()
    if args.only:
        wanted = {"floor", *args.only.split(",")}
        targets = [t for t in targets if t[0] in wanted]
    print(f"Counting SQL queries per request for {len(targets)} pages…", flush=True)
    queries = {name: count_queries(path, user) for name, path, user in targets}
    # One session per concurrent user: each person has their own page cache entry.
    sessions = {user.pk: [session_for(user) for _ in range(args.users)] for _, _, user in targets}
    from django.db import connection

    connection.close()
    scripts = {pk: wrk_script(keys) for pk, keys in sessions.items()}
    gunicorn = start_gunicorn(env, args.workers)
    rows = []
    try:
        for name, path, user in targets:
            script = scripts[user.pk]
            run_wrk(path, args.users, 3 if name == "floor" else 1, script)  # warm up
            with Writes(args.writes_every):
                figures = run_wrk(path, args.users, args.seconds, script)
            rows.append((name, path, figures))
            print(
                f"  {name:<18} {figures['rps']:>7.1f} req/s  p50 {figures['p50']:>6.1f} ms  "
                f"p95 {figures['p95']:>6.1f} ms",
                flush=True,
            )
        peaks = worker_rss_peak(gunicorn)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        for script in scripts.values():
            Path(script).unlink(missing_ok=True)
    floor = next(f for n, _, f in rows if n == "floor")
    print()
    print(
        f"{args.users} concurrent users, {args.seconds} s per page, gunicorn {args.workers} sync "
        f"workers, {os.cpu_count()} cores, page cache "
        f"{'off' if args.no_page_cache else 'on'}"
        + (f", a write every {args.writes_every:g} s" if args.writes_every else "")
        + "; targets: p95 <= 3x floor and < 150 ms, "
        "<= 15 queries (queries: the page rendered in full)"
    )
    header = (
        f"| {'page':<18} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'queries':>7} | "
        f"{'x floor':>7} | {'status':>6} | {'errors':>6} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for name, _, f in rows:
        status, n = queries[name]
        ratio = f["p95"] / floor["p95"] if floor["p95"] else 0
        print(
            f"| {name:<18} | {f['rps']:>7.1f} | {f['p50']:>7.1f} | {f['p95']:>7.1f} | {n:>7} | "
            f"{ratio:>7.1f} | {status:>6} | {f['errors'] + f['non2xx']:>6} |"
        )
    if peaks:
        print(
            f"\ngunicorn workers' peak RSS: max {max(peaks) / 1024:.0f} MB "
            f"(each: {', '.join(f'{p / 1024:.0f}' for p in sorted(peaks))} MB)"
        )


if __name__ == "__main__":
    main()
