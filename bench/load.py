"""Load benchmark: the main pages and API lists under concurrent users, at national scale.

    .venv/bin/python bench/load.py [--users 16] [--seconds 5] [--workers 5] [--only NAME,...]
        [--modes between,before,spread,one-hub] [--writes-every 2] [--one-hub SLUG]
        [--first-view-repeat 15] [--no-page-cache]

Serves the app with gunicorn in production settings (DEBUG off, hashed static files, Redis
cache and broker) on PostgreSQL, against the database in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/scale, filled by bench/generate.py — run that first, or pass
--generate). Each page is requested by a person of the role that uses it (sessions made for
them directly). First, through Django's test client in this process, each page is rendered in
full (page cache off): its SQL queries and the p95 of its first view. Then wrk (`apt-get
install wrk`) drives it with `--users` concurrent connections for `--seconds` in each mode, on
127.0.0.1 only, each request under the next of `--users` sessions (as that many people: each
has their own page cache entry). The modes: `between` writes; a real write every
`--writes-every` seconds `spread` over the hubs at random (and the same `before`, each write
invalidating every cached page as before issue 20); and all of them in `--one-hub` (the
hub whose pages are measured). The writes are hub staff's, through the product's services
(bench/writes.py), so they invalidate cached pages as real work does.

Prints one table: per page, the queries, the first view's p95 and, per mode, the p95 (ms) and
its multiple of the floor's (a signed-in page rendering the base template and nothing else),
with MET or MISSED against the targets of issue 20; then the writes made, the gunicorn workers'
peak memory and the run's time. Figures only: nothing here fails on time.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import writes  # bench/writes.py: writes as hub staff make them

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/scale"
MEASURED_HUB = "north-east-and-cumbria"  # the hub whose pages are measured

# Targets (issue 20), reported, never asserted: per mode, the most p95 may be as a multiple of
# the floor's, and the ms it must be under (None: no limit); the first view; the workers' memory.
TARGETS = {
    "between": (1.5, None),
    "before": (None, None),  # for comparison: as before issue 20, no target
    "spread": (2.0, 150.0),
    "one-hub": (3.0, None),
}
FIRST_VIEW_MS = 50
MAX_QUERIES = 15
RSS_MB = 250

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

    hub = Hub.objects.get(slug=MEASURED_HUB)
    group, plan, meeting, review = writes.measured(hub)
    if group is None:
        raise SystemExit("No generated data: run bench/generate.py first.")
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


def render_in_full(path: str, user, repeat: int) -> tuple[int, int, float]:
    """(status, SQL queries, p95 ms over `repeat` renders) for `path` rendered in full through
    Django's test client in this process, the page cache off: the page's own work, as the
    first person to open it after a write waits for it (bench/render_cost.py tells more)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # The page's own queries: no page cache, and no two-step sign-in (issue 19).
    with override_settings(PAGE_CACHE_SECONDS=0, SECOND_FACTOR_ENFORCED=False):
        client = Client()
        client.force_login(user)
        client.get(path)  # warm the caches a real user would have warmed
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries = len(captured)  # now: the next request clears the connection's query log
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else 0.0
    return response.status_code, queries, p95


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


def warm(path: str, sessions: list[str]) -> None:
    """Request `path` once under each session, so that each person's page is cached before
    each mode, however slow the machine is (a timed warm-up may miss some)."""
    for key in sessions:
        cookie = {"Cookie": f"sessionid={key}"}
        request = urllib.request.Request(BASE + path, headers=cookie)  # noqa: S310 - ours
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - 127.0.0.1
            response.read()


def run_wrk(path: str, users: int, seconds: int, script: str, base: str = BASE) -> dict:
    """wrk's figures for `path` on the server at `base` (ours, on 127.0.0.1)."""
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
            base + path,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    line = [row for row in result.stdout.splitlines() if row.startswith("{")][-1]
    return json.loads(line)


def missed(name: str, figures: dict, floors: dict, first: tuple[int, int, float]) -> list[str]:
    """The targets `name` misses (issue 20), in words; [] when it meets them all."""
    status, queries, first_view = first
    out = []
    for mode, f in figures.items():
        most, under = TARGETS[mode]
        ratio = f["p95"] / floors[mode] if floors.get(mode) else 0
        if most is not None and ratio > most:
            out.append(f"{mode} {ratio:.1f}x")
        if under and f["p95"] >= under:
            out.append(f"{mode} {f['p95']:.0f} ms")
        if f["errors"] or f["non2xx"]:
            out.append(f"{mode} errors")
    if first_view >= FIRST_VIEW_MS:
        out.append(f"first view {first_view:.0f} ms")
    if queries > MAX_QUERIES:
        out.append(f"{queries} queries")
    if status != 200:
        out.append(f"status {status}")
    return out


def report(args, rows: list, first: dict, floors: dict, writer, peaks: list[int]) -> None:
    """One table: each page's queries, first view and, per mode, p95 and x floor; then the
    writes made, the workers' memory and the targets met or missed."""
    modes = list(rows[0][2])
    print(
        f"\n{args.users} concurrent users, {args.seconds} s per page per mode, gunicorn "
        f"{args.workers} sync workers, {os.cpu_count()} cores, page cache "
        f"{'off' if args.no_page_cache else 'on'}; writes every {args.writes_every:g} s in the "
        f"write modes (spread: hubs at random; before: the same, each write invalidating every "
        f"page as before issue 20; one-hub: all in {args.one_hub}). p95 in ms; "
        "x floor: the p95 over the floor's in the same mode; queries and first view: the page "
        f"rendered in full by one person (p95 of {args.first_view_repeat})."
    )
    cells = ["page".ljust(18), "queries", "first"]
    for mode in modes:
        cells += [f"{mode} p95".rjust(7), "x floor"]
    cells += ["targets"]
    print("| " + " | ".join(cells) + " |")
    print("|" + "|".join("-" * (len(c) + 2) for c in cells) + "|")
    met = 0
    for name, _, figures in rows:
        _, queries, first_view = first[name]
        line = [name.ljust(18), f"{queries:>7}", f"{first_view:>5.0f}"]
        for mode in modes:
            p95 = figures[mode]["p95"]
            ratio = p95 / floors[mode] if floors[mode] else 0
            line += [f"{p95:>{max(7, len(mode) + 4)}.0f}", f"{ratio:>7.1f}"]
        if name == "floor":  # the yardstick, not a page of the product
            line.append("(the floor)")
        else:
            misses = missed(name, figures, floors, first[name])
            met += not misses
            line.append("MET" if not misses else "MISSED: " + ", ".join(misses))
        print("| " + " | ".join(line) + " |")
    print(f"\n{met} of {len(rows) - 1} pages and API lists meet every target measured.")
    targets = ", ".join(
        f"{mode} <= {most:g}x floor" + (f" and < {under:g} ms" if under else "")
        for mode, (most, under) in TARGETS.items()
        if mode in modes and most is not None
    )
    print(
        f"Targets (issue 20): {targets}; first view p95 < {FIRST_VIEW_MS} ms and "
        f"<= {MAX_QUERIES} queries; no errors."
    )
    if writer is not None:
        for mode in modes:
            if mode != "between":
                print("Writes, " + writer.summary(mode))
    if peaks:
        print(
            f"gunicorn workers' peak RSS: max {max(peaks) / 1024:.0f} MB "
            f"(each: {', '.join(f'{p / 1024:.0f}' for p in sorted(peaks))} MB): "
            + ("MET" if max(peaks) < RSS_MB * 1024 else "MISSED")
            + f" (target < {RSS_MB} MB)"
        )


def main() -> None:
    started = time.monotonic()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=5, help="per page, in each mode")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--generate", action="store_true", help="run bench/generate.py first")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every request in full (PAGE_CACHE_SECONDS=0)",
    )
    parser.add_argument(
        "--modes",
        default=",".join(writes.MODES),
        help="comma-separated, of: between (no writes), before (spread, each write invalidating "
        "every page as before issue 20), spread (writes in hubs at random), "
        "one-hub (all writes in --one-hub)",
    )
    parser.add_argument(
        "--writes-every",
        type=float,
        default=2,
        metavar="SECONDS",
        help="a write this often in the write modes (default 2)",
    )
    parser.add_argument("--one-hub", default=MEASURED_HUB, help="the hub of the one-hub mode")
    parser.add_argument(
        "--first-view-repeat",
        type=int,
        default=15,
        metavar="N",
        help="renders in full per page for the first view's p95 (0: skip)",
    )
    args = parser.parse_args()
    modes = args.modes.split(",")
    if unknown := set(modes) - set(writes.MODES):
        raise SystemExit(f"Unknown mode: {', '.join(sorted(unknown))}")
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
    print(f"Rendering {len(targets)} pages in full: queries and first view…", flush=True)
    first = {
        name: render_in_full(path, user, args.first_view_repeat) for name, path, user in targets
    }
    # One session per concurrent user: each person has their own page cache entry.
    sessions = {user.pk: [session_for(user) for _ in range(args.users)] for _, _, user in targets}
    writer = None
    if set(modes) - {"between"}:
        from hubs.models import Hub

        writer = writes.Writer(
            list(Hub.objects.order_by("name")), every=args.writes_every, one_hub=args.one_hub
        )
    from django.db import connection

    connection.close()
    scripts = {pk: wrk_script(keys) for pk, keys in sessions.items()}
    gunicorn = start_gunicorn(env, args.workers)
    rows = []
    try:
        for number, (name, path, user) in enumerate(targets):
            script = scripts[user.pk]
            run_wrk(path, args.users, 3 if name == "floor" else 1, script)  # warm up
            figures = {}
            for mode in modes:
                # Each mode starts with every person's page cached (the last mode's writes may
                # have invalidated them), as a steady state between writes would have it.
                warm(path, sessions[user.pk])
                with writer.during(mode, number) if writer else contextlib.nullcontext():
                    figures[mode] = f = run_wrk(path, args.users, args.seconds, script)
                print(
                    f"  {name:<18} {mode:<8} {f['rps']:>7.1f} req/s  p50 {f['p50']:>6.1f} ms  "
                    f"p95 {f['p95']:>6.1f} ms",
                    flush=True,
                )
            rows.append((name, path, figures))
        peaks = worker_rss_peak(gunicorn)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
        for script in scripts.values():
            Path(script).unlink(missing_ok=True)
    floors = next(f for n, _, f in rows if n == "floor")
    report(args, rows, first, {mode: f["p95"] for mode, f in floors.items()}, writer, peaks)
    print(f"bench/load.py took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
