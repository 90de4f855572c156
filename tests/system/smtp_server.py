"""A real SMTP server for the reminder fault tests and benchmark (issue 14), in a process of its
own (aiosmtpd), that logs what it accepts and can be told to stall after accepting.

    python tests/system/smtp_server.py --log accepted.jsonl [--stall-quit 300 --stalls 1]

It prints {"port": N} once it listens on 127.0.0.1 (port 0: a free one). Every message it
accepts is a line of the JSONL log, written before it answers 250 to the message's data:
{"event": "accepted", "message_id", "to", "subject", "reminder", "peer", "at"}, where
"reminder" is what the Message-ID names (timeline/emails.py's reminder_message_id: the claim's
id, or "digest-<hash>"). Each QUIT is logged too ({"event": "quit", ...}), and then, for the
first `--stalls` QUITs (every one when -1), the server waits `--stall-quit` seconds before it
answers: a mail server that accepts and then stalls.

`SmtpServer` starts and stops it from a test or the benchmark, and reads its log.
"""

import argparse
import asyncio
import email
import email.policy
import json
import re
import subprocess
import sys
import time
from pathlib import Path

REMINDER = re.compile(r"<reminder-([^@>]+)@")


class Handler:
    def __init__(self, log: Path, stall_quit: float, stalls: int):
        self.log = log.open("a", buffering=1)
        self.stall_quit = stall_quit
        self.stalls = stalls

    def write(self, record: dict) -> None:
        self.log.write(json.dumps({**record, "at": time.time()}) + "\n")
        self.log.flush()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message_id = str(message["Message-ID"] or "")
        found = REMINDER.search(message_id)
        self.write(
            {
                "event": "accepted",
                "message_id": message_id,
                "to": list(envelope.rcpt_tos),
                "subject": str(message["Subject"] or ""),
                "reminder": found.group(1) if found else None,
                "peer": list(session.peer),
            }
        )
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        self.write({"event": "quit", "peer": list(session.peer)})
        if self.stalls != 0:
            self.stalls -= 1
            await asyncio.sleep(self.stall_quit)
        return "221 Bye"


async def serve(args) -> None:
    from aiosmtpd.smtp import SMTP

    handler = Handler(Path(args.log), args.stall_quit, args.stalls)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.test"), "127.0.0.1", args.port
    )
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await server.serve_forever()


class SmtpServer:
    """The server above in a subprocess: `with SmtpServer(log) as smtp: ... smtp.url`."""

    def __init__(self, log: Path, *, stall_quit: float = 0, stalls: int = 0):
        self.log = Path(log)
        self.args = ["--log", str(self.log), "--stall-quit", str(stall_quit)]
        self.args += ["--stalls", str(stalls)]
        self.process: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> "SmtpServer":
        self.log.touch()
        self.process = subprocess.Popen(
            [sys.executable, __file__, *self.args], stdout=subprocess.PIPE, text=True
        )
        self.port = json.loads(self.process.stdout.readline())["port"]
        return self

    def __exit__(self, *exc) -> None:
        self.process.kill()
        self.process.wait(timeout=30)

    @property
    def url(self) -> str:
        """For EMAIL_URL."""
        return f"smtp://127.0.0.1:{self.port}"

    def records(self, event: str = "accepted") -> list[dict]:
        lines = self.log.read_text().splitlines()
        return [r for r in map(json.loads, lines) if r["event"] == event]

    def wait_for(self, event: str, count: int = 1, timeout: float = 60) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(found := self.records(event)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"The SMTP server saw {len(found)} {event}, not {count}")
            time.sleep(0.05)
        return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stall-quit", type=float, default=0)
    parser.add_argument("--stalls", type=int, default=0)
    asyncio.run(serve(parser.parse_args()))
