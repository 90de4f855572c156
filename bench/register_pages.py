"""Benchmark: the organisation register's pages as one hub grows to thousands of CCGs.

    .venv/bin/python bench/register_pages.py [--sizes 0,50,500,2000] [--requests 20]

Builds a throwaway SQLite database (/tmp/bench-register.sqlite3, recreated on every run) or
uses BENCH_DATABASE_URL if set; migrates it, loads the reference register and signs in a
national admin. For each size it adds that many synthetic CCGs (with mergers) to one hub and
requests four pages through Django's test client: median and p95 latency, SQL queries per
request and response size. It prints figures only; nothing here fails on time.
"""

import argparse
import datetime
import io
import itertools
import math
import os
import statistics
import string
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = Path("/tmp/bench-register.sqlite3")  # noqa: S108 - a throwaway benchmark file

SYNTHETIC_NAME = "NHS Bench Synthetic"  # name prefix of every generated CCG
SEARCH_TEXT = "NHS"  # every CCG name, real or synthetic, has it: always a full page
MERGER_DAY = datetime.date(2019, 4, 1)
ESTABLISHED = datetime.date(2013, 4, 1)


def configure() -> str:
    """Point Django at the benchmark database before anything imports the settings."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{DEFAULT_DATABASE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{DEFAULT_DATABASE}"
    os.environ["DATABASE_URL"] = url
    # Local settings (plain static storage, no HTTPS redirect) even if .env says production;
    # DEBUG itself is switched off while measuring (see main).
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "commissioning.settings"
    sys.path.insert(0, str(ROOT))
    return url


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="0,50,500,2000",
        help="synthetic CCGs to add to the hub, comma-separated (default: 0,50,500,2000)",
    )
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    parser.add_argument("--hub", default="north-east-and-cumbria", help="slug of the hub to grow")
    args = parser.parse_args()
    args.sizes = sorted({int(size) for size in args.sizes.split(",")})
    return args


def free_codes(taken: set[str]):
    """3-character ODS-like codes that cannot be real CCG codes (those start with a digit)."""
    alphanumeric = string.digits + string.ascii_uppercase
    for first, second, third in itertools.product("XYZWV", alphanumeric, alphanumeric):
        code = first + second + third
        if code not in taken:
            yield code


class SyntheticRegister:
    """Grows a hub with synthetic CCGs. In each block of ten, CCG 0 was formed on MERGER_DAY
    from CCGs 1 and 2 (closed the day before); the other seven are open since 2013."""

    def __init__(self, hub):
        from hubs.models import CCG

        self.hub = hub
        self.codes = free_codes(set(CCG.objects.values_list("ods_code", flat=True)))
        self.created: list = []  # CCGs, by synthetic index

    def grow_to(self, size: int) -> None:
        from hubs.models import CCG, CCGSuccession

        new = []
        for index in range(len(self.created), size):
            position = index % 10
            if position == 0:
                valid_from, valid_to, source = MERGER_DAY, None, CCG.Source.SUCCESSION
            elif position in (1, 2):
                valid_from = ESTABLISHED
                valid_to = MERGER_DAY - datetime.timedelta(days=1)
                source = CCG.Source.SEED
            else:
                valid_from, valid_to, source = ESTABLISHED, None, CCG.Source.SEED
            new.append(
                CCG(
                    name=f"{SYNTHETIC_NAME} {index:04d} CCG",
                    ods_code=next(self.codes),
                    hub=self.hub,
                    source=source,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
        # bulk_create sets primary keys on SQLite and PostgreSQL alike.
        self.created.extend(CCG.objects.bulk_create(new, batch_size=500))
        links = [
            CCGSuccession(
                predecessor=self.created[index],
                successor=self.created[index - index % 10],
                effective_date=MERGER_DAY,
            )
            for index in range(size - len(new), size)
            if index % 10 in (1, 2)
        ]
        CCGSuccession.objects.bulk_create(links)

    @staticmethod
    def remove_all() -> None:
        """Delete every synthetic CCG, its mergers and their history (BENCH_DATABASE_URL)."""
        from django.db.models import Q

        from hubs.models import CCG, CCGSuccession

        ccg_ids = list(
            CCG.objects.filter(name__startswith=SYNTHETIC_NAME).values_list("pk", flat=True)
        )
        link_ids = list(
            CCGSuccession.objects.filter(
                Q(predecessor_id__in=ccg_ids) | Q(successor_id__in=ccg_ids)
            ).values_list("pk", flat=True)
        )
        CCGSuccession.objects.filter(pk__in=link_ids).delete()
        CCG.objects.filter(pk__in=ccg_ids).delete()
        # Deleting records history rows too; the benchmark leaves no trace.
        CCGSuccession.history.filter(id__in=link_ids).delete()
        CCG.history.filter(id__in=ccg_ids).delete()


def bench_user():
    from accounts.models import Role, RoleAssignment, User

    user, _ = User.objects.get_or_create(
        email="bench.national.admin@example.nhs.uk", defaults={"full_name": "Bench Admin"}
    )
    if not RoleAssignment.objects.active().filter(user=user, role=Role.NATIONAL_ADMIN).exists():
        RoleAssignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


def measure(client, url: str, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url)
    seconds, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}; figures would be wrong")
        queries.append(len(captured))
    ordered = sorted(seconds)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000,  # nearest rank
        "queries": (min(queries), max(queries)),
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    args = parse_args()
    url = configure()
    started = time.perf_counter()

    import django

    django.setup()
    # WhiteNoise notes that collectstatic has not run; the pages measured serve no static files.
    warnings.filterwarnings("ignore", message="No directory at")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from hubs.models import CCG, Hub

    print(f"Database: {connection.vendor} ({url.split('@')[-1]})")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    SyntheticRegister.remove_all()
    hub = Hub.objects.get(slug=args.hub)
    register = SyntheticRegister(hub)
    client = Client()
    client.force_login(bench_user())
    setup_seconds = time.perf_counter() - started

    pages = [
        ("hub detail", reverse("workspace:hub-detail", kwargs={"slug": hub.slug})),
        ("overview", reverse("hubs:overview")),
        ("CCG search", f"{reverse('hubs:ccg-list')}?q={SEARCH_TEXT}"),
        ("API CCG list", reverse("api:ccg-list")),
    ]
    print(
        f"Hub grown: {hub.name}. {args.requests} timed requests per page after {args.warmup} "
        f"warm-up; DEBUG off while measuring. Set-up took {setup_seconds:.1f} s.\n"
    )
    header = (
        f"{'extra CCGs':>10} {'in hub':>7} {'in DB':>6}  {'page':<13} {'median ms':>9} "
        f"{'p95 ms':>8} {'queries':>8} {'KB':>7}"
    )
    print(header)
    print("-" * len(header))
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages as a signed-in person sees them; two-step sign-in (issue 19) is not measured.
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, SECOND_FACTOR_ENFORCED=False):
        for size in args.sizes:
            register.grow_to(size)
            in_hub, in_db = hub.ccgs.count(), CCG.objects.count()
            for label, page in pages:
                result = measure(client, page, args.requests, args.warmup)
                low, high = result["queries"]
                queries = str(low) if low == high else f"{low}-{high}"
                print(
                    f"{size:>10} {in_hub:>7} {in_db:>6}  {label:<13} "
                    f"{result['median_ms']:>9.1f} {result['p95_ms']:>8.1f} {queries:>8} "
                    f"{result['kb']:>7.1f}"
                )
            print()

    if os.environ.get("BENCH_DATABASE_URL"):
        SyntheticRegister.remove_all()  # leave the given database as it was
    print(f"Pages measured: {', '.join(f'{label} {path}' for label, path in pages)}")
    print(f"Total time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
