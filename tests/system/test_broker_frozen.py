"""Issue 14: a write that queues work never waits on the broker for much more than a second,
whatever state Redis is in, and the work it owes is recorded. A real Redis of the test's own,
on a free port, is frozen (SIGSTOP: it accepts nothing and answers nothing, as a hung or
partitioned server) and then killed (SIGKILL), while a process with the product's own settings
serves the writes."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.system.processes import database_url

BROKER = os.environ.get("CELERY_TEST_BROKER_URL")
pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_TEST_BROKER_URL is not set (no Redis configured)"
    ),
]
SCRIPT = Path(__file__).with_name("scripts") / "write_during_outage.py"
ROOT = Path(__file__).resolve().parents[2]
# Normal time plus about a second (settings.BROKER_WAIT_SECONDS), with room for a busy machine.
LIMIT_SECONDS = 2.5


def test_a_write_waits_about_a_second_on_a_frozen_or_dead_broker(
    own_redis, transactional_db, nec_hub_officer, national_admin
):
    """Three kinds of write that queue work: an export (its record is owed), a role for someone
    new (a welcome email in the outbox) and a reminder sent again (its claim is owed)."""
    from accounts.models import Role
    from commissioning.models import OutboxItem
    from exports.models import Export
    from hubs.models import Hub
    from timeline.models import ReminderClaim
    from timeline.reminders.rules import ensure_default_rules

    rule = ensure_default_rules()[0]
    claims = [
        ReminderClaim.objects.create(
            rule=rule,
            item_key=f"milestone:{n}:hub:1",
            recipient=nec_hub_officer,
            occurrence=datetime.date(2015, 5, 8),
            due_on=datetime.date(2015, 5, 8),
            subject="Due 8 May 2015: Draft priorities plan",
            link="/timeline/",
            status=ReminderClaim.Status.FAILED,
            sweep="test",
        )
        for n in range(3)
    ]
    wessex = Hub.objects.get(slug="wessex").pk
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "commissioning.settings",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, str(SCRIPT)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )

    def post(person, path: str, data: dict) -> dict:
        server.stdin.write(json.dumps({"as": person.email, "path": path, "data": data}) + "\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())

    def writes(n: int) -> dict[str, dict]:
        """One write of each kind; the n-th time of asking."""
        return {
            "export": post(
                nec_hub_officer, "/exports/hub-footprint/", {"hub": "north-east-and-cumbria"}
            ),
            "role": post(
                national_admin,
                "/people/grant/",
                {
                    "email": f"newcomer{n}@example.nhs.uk",
                    "full_name": "New Comer",
                    "role": Role.HUB_STAFF,
                    "hub": wessex,
                },
            ),
            "resend": post(national_admin, f"/timeline/reminders/{claims[n].pk}/resend/", {}),
        }

    try:
        assert server.stdout.readline().strip() == "ready"
        normal = writes(0)  # Redis up: the work is queued on the broker
        own_redis.freeze()  # connected, but nothing answers
        frozen = writes(1)
        own_redis.kill()
        dead = writes(2)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    for kind in ("export", "role", "resend"):
        assert normal[kind]["status"] == 302, kind
        for outage in (frozen, dead):
            assert outage[kind]["status"] == 302, kind  # the person's request succeeded
            assert outage[kind]["seconds"] < normal[kind]["seconds"] + LIMIT_SECONDS, (
                kind,
                normal,
                frozen,
                dead,
            )
    # What was asked for during the outage is recorded as owed, for the beat tasks that queue
    # it again once the broker answers: the exports, the welcome emails, the reminders.
    assert Export.objects.filter(status=Export.Status.QUEUED).count() == 3
    owed = OutboxItem.objects.filter(state=OutboxItem.State.PENDING)
    assert sorted(owed.values_list("label", flat=True)) == ["Welcome email to New Comer"] * 2
    # A claim does not say whether it reached the broker: each resent one is pending, which the
    # sweep queues again (no worker runs here, so the one queued before the outage waits too).
    pending = ReminderClaim.objects.filter(status=ReminderClaim.Status.PENDING)
    assert pending.count() == 3
