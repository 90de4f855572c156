"""A real Celery worker for the reminder fault tests and benchmark (issue 14).

    python tests/system/reminder_worker.py worker --pool=prefork -Q QUEUE ...

Its test queue (TEST_QUEUE) is its default queue, where the sweep queues its sends. When
SWEEP_BARRIER names a folder, each reminders sweep (in each pool process) first waits there
until SWEEP_PARTIES sweeps have started, then holds its transaction open for SWEEP_HOLD
seconds once its claims are inserted, and logs start, insert and end to SWEEP_BARRIER/sweeps.jsonl:
sweeps in different worker processes then genuinely overlap. The product code is untouched;
the barrier is installed here, in the worker's pool processes.

`command()` is the command line that starts one.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def command(queue: str, name: str, log: Path, concurrency: int = 1) -> list[str]:
    return [
        sys.executable,
        __file__,
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "-Q",
        queue,
        "-n",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
        f"--logfile={log}",
    ]


def install_barrier(folder: Path, parties: int, hold: float) -> None:
    from timeline import reminders

    sweep, deliver = reminders.reminders_sweep, reminders._deliver_in_app

    def log(event: str, **more) -> None:
        with (folder / "sweeps.jsonl").open("a") as out:
            out.write(json.dumps({"event": event, "pid": os.getpid(), "at": time.time(), **more}))
            out.write("\n")

    def sweep_together(*, now=None):
        (folder / f"started-{os.getpid()}-{time.monotonic_ns()}").touch()
        deadline = time.monotonic() + 60
        while len(list(folder.glob("started-*"))) < parties and time.monotonic() < deadline:
            time.sleep(0.01)
        log("start")
        try:
            result = sweep(now=now)
        finally:
            log("end")
        return result

    def deliver_holding(claims):
        log("inserted", claims=len(claims))
        time.sleep(hold)  # inside the sweep's transaction: its claims are not yet committed
        deliver(claims)

    reminders.reminders_sweep = sweep_together
    reminders._deliver_in_app = deliver_holding


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from celery.signals import worker_process_init

    from commissioning.celery import app

    app.conf.task_default_queue = os.environ["TEST_QUEUE"]
    if os.environ.get("SWEEP_BARRIER"):

        @worker_process_init.connect(weak=False)
        def barrier(**kwargs):
            install_barrier(
                Path(os.environ["SWEEP_BARRIER"]),
                int(os.environ.get("SWEEP_PARTIES", "2")),
                float(os.environ.get("SWEEP_HOLD", "2")),
            )

    app.worker_main(sys.argv[1:])


if __name__ == "__main__":
    main()
