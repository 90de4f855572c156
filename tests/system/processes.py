"""What the tests that start worker processes share."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import time

from django.db import connection


def database_url() -> str:
    """The URL of the test database this process is using, for a worker process to share."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class OwnRedis:
    """A Redis server of the test's own, on a free port, which the test may freeze (SIGSTOP:
    connected, but nothing answers), kill (SIGKILL, as a lost machine) and start again on the
    same port, with nothing kept: as this project's Redis runs, with no disk."""

    def __init__(self) -> None:
        import shutil

        self.server = shutil.which("redis-server")
        assert self.server, "redis-server is needed (.ci/run installs Debian's redis-server)"
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "OwnRedis":
        self.process = subprocess.Popen(
            [self.server, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"Redis did not start on port {self.port}")

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()
            self.process = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_for(url: str):
    import redis

    return redis.Redis.from_url(url)


def unacked(url: str, queue: str) -> dict[str, str]:
    """Task id -> delivery tag of the messages on `queue` that Redis holds for a worker that
    took them and has not acknowledged them (given back only after the visibility timeout)."""
    held = {}
    for tag, raw in redis_for(url).hgetall("unacked").items():
        message, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            held[message["headers"]["id"]] = tag.decode()
    return held


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a worker's main process and its pool children (one process group)."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
