"""How long a write that queues work takes while the broker is up, frozen and dead (issue 14).

    .venv/bin/python bench/broker_outage.py [--writes 5]

Starts a Redis of its own on a free port and a throwaway SQLite database (migrated, with the
register and one hub officer), then runs tests/system/scripts/write_during_outage.py with the
product's settings: it asks for a hub footprint export (a write that queues a PDF render)
`--writes` times with Redis up, frozen (SIGSTOP: connected, nothing answers) and killed. Prints
the median and worst time of each phase and how many exports are recorded as queued (no
worker runs here, so each stays queued: owed, for the beat task that re-queues them). Needs Debian's
redis-server. Target: an outage costs within about a second of the normal time.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "system" / "scripts" / "write_during_outage.py"
EMAIL = "bench.hub@example.nhs.uk"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=5)
    writes = parser.parse_args().writes
    port = _free_port()
    redis = subprocess.Popen(  # noqa: S603 (Debian's redis-server)
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
            "DJANGO_SETTINGS_MODULE": "commissioning.settings",
            "PYTHONPATH": str(ROOT),
        }
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_reference_data")
        _manage(
            env,
            "shell",
            "-c",
            "from accounts.models import Role, RoleAssignment, User; from hubs.models import Hub;"
            f"u = User.objects.create_user(email='{EMAIL}', full_name='Bench');"
            "RoleAssignment.objects.create(user=u, role=Role.HUB_STAFF,"
            " hub=Hub.objects.get(slug='north-east-and-cumbria'))",
        )
        server = subprocess.Popen(  # noqa: S603 (our own script)
            [sys.executable, str(SCRIPT), EMAIL],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout.readline().strip() == "ready"

        def phase(name: str) -> None:
            runs = []
            for _ in range(writes):
                server.stdin.write("go\n")
                server.stdin.flush()
                runs.append(json.loads(server.stdout.readline()))
            seconds = [r["seconds"] for r in runs]
            statuses = sorted({r["status"] for r in runs})
            print(
                f"{name:8} median {statistics.median(seconds):.3f} s, worst {max(seconds):.3f} s,"
                f" status {statuses}, exports recorded as queued {runs[-1]['queued']}"
            )

        time.sleep(0.5)
        phase("up")
        redis.send_signal(signal.SIGSTOP)
        phase("frozen")
        redis.send_signal(signal.SIGCONT)
        redis.kill()
        redis.wait()
        phase("dead")
        server.stdin.close()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
