"""Benchmark: the reminder sweep over 10 financial years x 10 hubs x ~200 CCG leads.

    .venv/bin/python bench/reminders_sweep.py [--years 10] [--leads 200] [--day 2024-05-22]

Builds a throwaway SQLite database (/tmp/bench-reminders.sqlite3, recreated on every run) or
uses BENCH_DATABASE_URL if set: a scratch database of your own, which the benchmark refuses if
it holds anyone it did not make (a sweep would remind them). It migrates the database, loads
the reference register, rolls the seeded 2015/16 calendar forward to `--years` years, and
adds two hub staff per hub, two people per regional team and `--leads` CCG leads spread over
the CCGs open on `--day`. No milestone is met, so every hub is reminded of everything.

It then runs the sweep twice at 09:00 on `--day` (the second must claim nothing), and emails
a sample of the claims through the local-memory backend. Queued sends go to an in-memory
broker and are dropped. It prints seconds, SQL queries and claims; nothing fails on time.
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = Path("/tmp/bench-reminders.sqlite3")  # noqa: S108 - a throwaway benchmark file
DOMAIN = "bench.example.nhs.uk"  # every person the benchmark makes has an address here


def configure() -> str:
    """Point Django at the benchmark database before anything imports the settings."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{DEFAULT_DATABASE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{DEFAULT_DATABASE}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "commissioning.settings"
    # The sends the sweep queues go nowhere, and no email leaves the process.
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    sys.path.insert(0, str(ROOT))
    return url


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="financial years from 2015/16")
    parser.add_argument("--leads", type=int, default=200, help="CCG leads (default 200)")
    parser.add_argument(
        "--day",
        type=datetime.date.fromisoformat,
        default=datetime.date(2024, 5, 22),
        help="the day swept, at 09:00 (default 2024-05-22, in the tenth year)",
    )
    parser.add_argument("--send", type=int, default=200, help="claims to email after (sample)")
    return parser.parse_args()


def people(leads: int, day: datetime.date) -> dict[str, int]:
    """Hub staff, regional teams and CCG leads, made in bulk (no history: a benchmark)."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Q

    from accounts.models import Role, RoleAssignment, User
    from hubs.models import CCG, Hub, Region

    RoleAssignment.objects.filter(user__email__endswith=f"@{DOMAIN}").delete()
    wanted = []
    for hub in Hub.objects.order_by("pk"):
        wanted += [(f"staff{n}.{hub.slug}", Role.HUB_STAFF, {"hub": hub}) for n in (1, 2)]
    for region in Region.objects.order_by("pk"):
        wanted += [
            (f"region{n}.{region.slug}", Role.REGIONAL_TEAM, {"region": region}) for n in (1, 2)
        ]
    ccgs = list(
        CCG.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("pk")
    )
    wanted += [(f"lead{n}", Role.CCG_LEAD, {"ccg": ccgs[n % len(ccgs)]}) for n in range(leads)]
    existing = set(
        User.objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", flat=True)
    )
    unusable = make_password(None)  # nobody signs in as them
    User.objects.bulk_create(
        User(email=f"{name}@{DOMAIN}", full_name=name, password=unusable)
        for name, _, _ in wanted
        if f"{name}@{DOMAIN}" not in existing
    )
    users = dict(User.objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", "pk"))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user_id=users[f"{name}@{DOMAIN}"], role=role, **scope)
        for name, role, scope in wanted
    )
    return {
        "hub staff": sum(1 for _, role, _ in wanted if role == Role.HUB_STAFF),
        "regional": sum(1 for _, role, _ in wanted if role == Role.REGIONAL_TEAM),
        "CCG leads": leads,
        "CCGs": len(ccgs),
    }


def calendars(years: int) -> int:
    """The seeded 2015/16 calendar, rolled forward year by year."""
    from accounts.models import Role, RoleAssignment, User
    from timeline import services
    from timeline.models import CalendarMilestone

    admin, _ = User.objects.get_or_create(
        email=f"admin@{DOMAIN}", defaults={"full_name": "Bench Admin"}
    )
    RoleAssignment.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN)
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=admin, year=2015)
    for year in range(2015, 2015 + years - 1):
        if not CalendarMilestone.objects.filter(year=year + 1).exists():
            services.calendar_roll_forward(by=admin, year=year)
    return CalendarMilestone.objects.filter(archived=False).count()


def timed_sweep(now: datetime.datetime) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline import reminders

    queued = []
    queue_sends = reminders.queue_sends

    def counting(claim_ids):
        queued.extend(claim_ids)
        queue_sends(claim_ids)

    reminders.queue_sends = counting
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = reminders.reminders_sweep(now=now)
            seconds = time.perf_counter() - started
    finally:
        reminders.queue_sends = queue_sends
    return {
        "seconds": seconds,
        "queries": len(captured),
        "claims": result.claimed,
        "queued": len(queued),
    }


def timed_sends(limit: int, now: datetime.datetime) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline import reminders
    from timeline.models import ReminderClaim

    ids = list(
        ReminderClaim.objects.filter(status=ReminderClaim.Status.PENDING).values_list(
            "pk", flat=True
        )[:limit]
    )
    mail.outbox = []
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for pk in ids:
            reminders.claim_send(pk, now=now)
        seconds = time.perf_counter() - started
    return {"emails": len(mail.outbox), "seconds": seconds, "queries": len(captured)}


def main() -> None:
    args = parse_args()
    url = configure()
    started = time.perf_counter()

    import django

    django.setup()

    from collections import Counter
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from timeline.models import Notification, ReminderClaim

    print(f"Database: {connection.vendor} ({url.split('@')[-1]})")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    if User.objects.exclude(email__endswith=f"@{DOMAIN}").exists():
        raise SystemExit(
            "BENCH_DATABASE_URL holds people the benchmark did not make: give it a scratch "
            "database (a sweep would remind them)."
        )
    # A rerun on the same database starts from no reminders.
    Notification.objects.all().delete()
    ReminderClaim.objects.all().delete()
    milestones = calendars(args.years)
    counts = people(args.leads, args.day)
    print(
        f"{args.years} financial years from 2015/16: {milestones} live milestones; "
        f"{counts['hub staff']} hub staff, {counts['regional']} regional team members, "
        f"{counts['CCG leads']} CCG leads over {counts['CCGs']} CCGs. "
        f"Set-up took {time.perf_counter() - started:.1f} s.\n"
    )

    now = datetime.datetime.combine(args.day, datetime.time(9), tzinfo=ZoneInfo("Europe/London"))
    when = f"sweep at {now:%a %-d %b %Y %H:%M}"
    header = f"{when:<28} {'seconds':>8} {'queries':>8} {'claims':>7} {'queued':>7}"
    print(header)
    print("-" * len(header))
    for label in ("first", "second (same instant)"):
        r = timed_sweep(now)
        print(
            f"{label:<28} {r['seconds']:>8.3f} {r['queries']:>8} {r['claims']:>7} {r['queued']:>7}"
        )

    by_rule = Counter(ReminderClaim.objects.values_list("rule__name", "status"))
    print("\nClaims by rule and status:")
    for (rule, status), count in sorted(by_rule.items()):
        print(f"  {rule:<42} {status:<8} {count:>6}")

    if args.send:
        s = timed_sends(args.send, now)
        if s["emails"]:
            print(
                f"\nEmailed {s['emails']} claims one by one (local-memory backend): "
                f"{s['seconds']:.3f} s, {s['seconds'] / s['emails'] * 1000:.1f} ms and "
                f"{s['queries'] / s['emails']:.1f} queries per email."
            )
    print(f"\nTotal time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
