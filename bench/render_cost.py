"""What each page costs rendered in full, by one person on a quiet machine: its first view.

    .venv/bin/python bench/render_cost.py [--repeat 15] [--only NAME,...] [--profile NAME]

The load benchmark (bench/load.py) measures pages under 16 concurrent users, where a page
re-read between writes comes from the page cache. This one measures the other path: the page
rendered in full (PAGE_CACHE_SECONDS=0), as the first person to open it after a write sees it.
Same pages, same people and data as bench/load.py (BENCH_DATABASE_URL, filled by
bench/generate.py), production settings, through Django's test client in this process. Prints,
per page: median and p95 ms over --repeat renders, SQL queries and the page's size. With
--profile NAME, prints where that page's time goes (cProfile, top functions by own time).
Figures only: nothing here fails on time.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # the same pages, people and settings as the load benchmark


def render(client, path: str) -> tuple[float, int, int]:
    """(ms, status, bytes) for one request rendered in full."""
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--profile", default="", help="profile this page (a name from the table)")
    args = parser.parse_args()
    env = load.production_env(os.environ.get("BENCH_DATABASE_URL", load.DEFAULT_DATABASE))
    env["PAGE_CACHE_SECONDS"] = "0"
    load.collect_static(env)
    load.setup_django(env)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.SECOND_FACTOR_ENFORCED = False  # pages, not two-step sign-in (issue 19)
    targets = load.pick_targets()
    if args.only or args.profile:
        wanted = set((args.only or args.profile).split(","))
        targets = [t for t in targets if t[0] in wanted]
    clients = {}
    print(
        f"Rendered in full by one person, {args.repeat} times each, page cache off, "
        f"{os.cpu_count()} cores"
    )
    print(f"| {'page':<18} | {'median ms':>9} | {'p95 ms':>7} | {'queries':>7} | {'KB':>5} |")
    print(f"|{'-' * 20}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 7}|")
    for name, path, user in targets:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        render(client, path)  # warm: imports, templates, the connection
        with CaptureQueriesContext(connection) as captured:
            _, status, size = render(client, path)
        queries = len(captured)  # now: the next request clears the connection's query log
        times = sorted(render(client, path)[0] for _ in range(args.repeat))
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"| {name:<18} | {statistics.median(times):>9.1f} | {p95:>7.1f} | "
            f"{queries:>7} | {size / 1024:>5.0f} |" + ("" if status == 200 else f" {status}")
        )
        if args.profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("tottime")
            stats.print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
