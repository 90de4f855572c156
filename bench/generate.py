"""Scale data: the real register plus many financial years of collaborative commissioning.

    .venv/bin/python bench/generate.py [--years 10] [--seed 2015] [--hubs N] [--reset]
                                       [--no-pages]

Uses the configured DATABASE_URL (PostgreSQL for the load benchmark). Loads the reference
register, then for each financial year from 2015/16 and each hub: the oversight group (set up
once, with ~30 members, a place for every footprint CCG, agreed terms of reference and
collaboration agreement, three delivery sub-groups), 12 held meetings with agendas, attendance,
actions and quarterly recommendations, a priorities plan (6 criteria, 3 assessors, 100 scored
proposals of which the 40 best are included, each with a delivery record, 5 milestones and 12
monthly updates) frozen as a submitted version, both peer reviews (5 reviewers from other hubs,
submitted assessments, 3 findings, 3 recommendations, an issued report) and the planning
calendar with its manual milestones done. People: 5 staff per hub, a lead per CCG of the 2015
footprint (moved to the successor when their CCG merges, and to the ICB that took over its
functions on 1 July 2022: an ICB lead), 3 per regional team and 2 national admins, all with the
demo password (demo.people.DEMO_PASSWORD), and 20 notifications each.

Both eras (issue 13): each hub has its 2015/16 group (the CCGs of 2015; closed on 31 March after
the last past year, or the day before the current group starts) and a current group, the only
open one. In two hubs of every three the current group started in April 2019 or April 2021 with
that day's CCGs and is brought forward to this financial year (oversight.succession: Handover
rows, mergers then ICBs); in the third it starts on 1 April of this financial year with its ICBs.
The year's plans go to the group running on 1 April. This financial year (the one running today,
or the one after the past years) adds each current group's draft plan with 100 proposals by its
footprint's ICB leads, and the year's calendar (manual milestones done only once due).

Rows are bulk-created (no simple_history rows, no audit events) with fixed timestamps and every
value drawn from one random.Random(seed), so the same seed gives the same data. It refuses to
run twice on one database: pass --reset to flush it first (the default reminder rules, which
a migration seeds, are restored). --hubs N limits groups, plans and reviews to the first N hubs
by name (people are made for every hub). The data stands as on 31 March after the last year:
open actions, milestones and recommendations are those of the last year. At the end it prints
the rows per model, the elapsed seconds, a digest of the rows (equal for equal seeds) and,
unless --no-pages, the main pages timed through Django's test client as a generated national
admin and a hub's staff, with their SQL query counts.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    # Local settings (plain static storage) unless told otherwise; DEBUG is switched off while
    # pages are timed (see time_pages).
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()

from bench.generation.constants import DOMAIN, MEMBERS_PER_GROUP  # noqa: E402
from bench.generation.figures import COUNTED, print_counts, time_pages  # noqa: E402
from bench.generation.generator import data_digest, generate  # noqa: E402
from bench.generation.helpers import GenerateError  # noqa: E402
from demo.people import DEMO_PASSWORD  # noqa: E402

__all__ = [
    "COUNTED",
    "DEMO_PASSWORD",
    "DOMAIN",
    "MEMBERS_PER_GROUP",
    "GenerateError",
    "data_digest",
    "generate",
    "main",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="financial years from 2015/16")
    parser.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    parser.add_argument("--hubs", type=int, default=None, help="only the first N hubs by name")
    parser.add_argument("--reset", action="store_true", help="flush the database first")
    parser.add_argument("--no-pages", action="store_true", help="skip timing pages at the end")
    args = parser.parse_args()
    if args.hubs is not None and args.hubs < 1:
        parser.error("--hubs must be at least 1")

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.reset:
        call_command("flush", interactive=False, verbosity=0)
        print(f"  flushed: {time.perf_counter() - started:.1f} s")
    generating = time.perf_counter()
    try:
        counts = generate(years=args.years, seed=args.seed, hubs=args.hubs)
    except GenerateError as refused:
        raise SystemExit(str(refused)) from refused
    elapsed = time.perf_counter() - generating
    print(
        f"\nGenerated {sum(counts.values())} rows in {elapsed:.1f} s "
        f"({args.years} years, seed {args.seed}); password {DEMO_PASSWORD}"
    )
    print_counts()
    print(f"\nDigest: {data_digest()}")
    if connection.vendor == "postgresql":
        # After a bulk load, as autovacuum would soon: without fresh statistics the planner
        # takes a table of 180,000 scores for 21,000 and scans it whole (ranking: 26 ms a query).
        analysing = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  analysed: {time.perf_counter() - analysing:.1f} s")
    if not args.no_pages:
        time_pages()
    print(f"\nTotal time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
