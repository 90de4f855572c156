"""The sameness checks of bench/scale_out.py (issue 20): what one process does, another sees.

Each check prints PASS or FAIL with its figures and is recorded in RESULTS. The instances are
on PORTS; the script's own process talks to the same PostgreSQL and Redis through Django.
"""

import json
import re
import time
import uuid
from collections import Counter, defaultdict
from http import client as http_client
from pathlib import Path
from urllib.parse import urlencode

from bench import load

PORTS = (8771, 8772)
BROKER = "redis://127.0.0.1:6379/9"
CACHE = "rediscache://127.0.0.1:6379/10"
MILESTONES = 3
RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


TASK_DONE = re.compile(r"Task ([\w.]+)\[([\w-]+)\] succeeded in [\d.]+s: (.*)$")


def finished_tasks(logs: list[Path]) -> dict[str, list[tuple[int, str]]]:
    """task name -> [(worker number, result)] from the workers' logs."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for n, log in enumerate(logs, 1):
        for line in log.read_text(errors="replace").splitlines():
            match = TASK_DONE.search(line)
            if match:
                found[match[1]].append((n, match[3].strip()))
    return found


def wait_until(condition, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


# --- HTTP -------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, *, headers=None, body=None):
    """(status, headers, body) without following redirects."""
    conn = http_client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def get(port: int, path: str, *, session: str = "", token: str = ""):
    headers = {}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    status, _, body = request(port, "GET", path, headers=headers)
    return status, body


def api_json(port: int, method: str, path: str, token: str, data=None):
    status, _, body = request(
        port,
        method,
        path,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        body=json.dumps(data) if data is not None else None,
    )
    return status, json.loads(body or b"null")


def cookie(headers, name: str) -> str:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


# --- the people and records the checks use --------------------------------------------------


def cast():
    """The open oversight group of the first hub by name, one of its hub staff (the first), and
    a national admin."""
    from accounts.models import Role, RoleAssignment
    from oversight.models import OversightGroup

    group = (
        OversightGroup.objects.filter(closed_on__isnull=True, kind="oversight_group")
        .select_related("hub")
        .order_by("hub__name")
        .first()
    )
    if group is None:
        raise SystemExit("No open oversight group: run without --no-generate.")

    def person(role, **scope):
        return (
            RoleAssignment.objects.active()
            .filter(role=role, user__is_active=True, **scope)
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )

    return group, person(Role.HUB_STAFF, hub=group.hub), person(Role.NATIONAL_ADMIN)


# --- the sameness checks ----------------------------------------------------------------------


def check_session() -> None:
    """Sign in through the form on A; the session cookie works on B."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role, RoleAssignment

    staff = (  # someone with no two-step sign-in set up (load.session_for sets it up)
        RoleAssignment.objects.active()
        .filter(role=Role.HUB_STAFF, user__is_active=True)
        .exclude(user__in=TOTPDevice.objects.values("user"))
        .select_related("user")
        .order_by("-pk")
        .first()
        .user
    )

    from demo.people import DEMO_PASSWORD

    a, b = PORTS
    login = reverse("accounts:login")
    status, headers, body = request(a, "GET", login)
    csrf = cookie(headers, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    status, headers, _ = request(
        a,
        "POST",
        login,
        headers={
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(
            {
                "csrfmiddlewaretoken": token[1].decode() if token else "",
                "username": staff.email,
                "password": DEMO_PASSWORD,
            }
        ),
    )
    session = cookie(headers, "sessionid")
    where = headers.get("Location")
    on_b = get(b, reverse("workspace:my-work"), session=session)[0] if session else None
    check(
        "session",
        status == 302 and bool(session) and on_b == 200,
        f"sign-in on :{a} answered {status} (to {where}); its session on :{b} answered {on_b}",
    )


def check_write_visible(group, staff, token: str) -> None:
    """A meeting scheduled through A is at once on B's cached group page and API list."""
    import datetime

    from django.utils import timezone

    from meetings.models import Meeting

    a, b = PORTS
    session = load.session_for(staff)
    page = group.get_absolute_url()
    listing = f"/api/v1/meetings/?group={group.pk}"
    title = f"Scale-out check {uuid.uuid4().hex[:8]}"
    # A run before this one (--no-generate) may have left its meeting as the group's next.
    Meeting.objects.filter(group=group, title__startswith="Scale-out check").delete()
    for _ in range(2):  # the second answers come from the shared cache
        before_page = get(b, page, session=session)
        before_api = api_json(b, "GET", listing, token)
    starts = timezone.localtime() + datetime.timedelta(days=1)
    status, made = api_json(
        a,
        "POST",
        "/api/v1/meetings/",
        token,
        {
            "group": group.pk,
            "title": title,
            "online": True,
            "starts_at": starts.replace(hour=10, minute=0).isoformat(),
        },
    )
    after_page = get(b, page, session=session)
    after_api = api_json(b, "GET", listing, token)
    on_a = api_json(a, "GET", listing, token)
    import redis

    keys = redis.Redis.from_url(CACHE.replace("rediscache", "redis")).dbsize()
    link = f'href="/meetings/{made.get("id")}/"'.encode() if status == 201 else b"?"
    check(
        "write on A, read on B",
        status == 201
        and before_page[0] == after_page[0] == 200
        and link not in before_page[1]
        and link in after_page[1]
        and after_api[1]["count"] == before_api[1]["count"] + 1
        and title in json.dumps(after_api[1]),
        f"meeting scheduled on :{a} ({status}{'' if status == 201 else f': {made}'}); "
        f":{b}'s cached group page links it as next {'at once' if link in after_page[1] else 'NOT'}"
        f", its cached API count {before_api[1]['count']} -> {after_api[1]['count']} "
        f"({keys} keys in the shared cache)",
    )
    check(
        "A and B answer alike",
        on_a == after_api,
        f"the API list of the group's meetings on :{a} and :{b} is "
        + ("the same" if on_a == after_api else "DIFFERENT"),
    )


def mail_per_reminder(folder: Path) -> Counter:
    """How many emails the file-based backend wrote for each reminder claim (its Message-ID)."""
    sent: Counter = Counter()
    for path in folder.glob("*.log"):
        for pk in re.findall(r"Message-ID: <reminder-(\d+)@", path.read_text(errors="replace")):
            sent[int(pk)] += 1
    return sent


def check_reminders(admin, logs: list[Path], mail: Path) -> None:
    """Four sweeps at once over two workers: each reminder claimed once, emailed once."""
    from django.db.models import Max
    from django.utils import timezone

    from commissioning.celery import app
    from timeline import services
    from timeline.models import ReminderClaim

    start = ReminderClaim.objects.aggregate(top=Max("pk"))["top"] or 0
    today = timezone.localdate()
    for n in range(MILESTONES):
        services.milestone_add(
            by=admin,
            year=today.year if today.month >= 4 else today.year - 1,
            title=f"Scale-out milestone {n} ({uuid.uuid4().hex[:6]})",
            due_on=today,
            for_hub_staff=True,
        )
    mine = ReminderClaim.objects.filter(pk__gt=start)
    unsettled = mine.filter(status__in=[ReminderClaim.Status.PENDING, ReminderClaim.Status.SENDING])

    def sweeps_done(count: int) -> bool:
        return len(finished_tasks(logs)["timeline.tasks.reminders_sweep"]) >= count

    for _ in range(4):
        app.send_task("timeline.tasks.reminders_sweep")
    settled = wait_until(lambda: sweeps_done(4) and mine.exists() and not unsettled.exists())
    emailed_first = sum(mail_per_reminder(mail).values())
    for _ in range(2):  # and again: nothing more is due
        app.send_task("timeline.tasks.reminders_sweep")
    wait_until(lambda: sweeps_done(6))
    time.sleep(2)  # any send the reruns might (wrongly) have queued
    done = finished_tasks(logs)
    sweeps = done["timeline.tasks.reminders_sweep"]
    sends = done["timeline.tasks.reminders_send"]
    claims = dict(mine.values_list("pk", "status"))
    sent = {pk for pk, state in claims.items() if state == ReminderClaim.Status.SENT}
    emails = mail_per_reminder(mail)
    twice = [pk for pk, n in emails.items() if n > 1]
    claimed = sum(int(result) for _, result in sweeps)
    by_worker = Counter(n for n, _ in sweeps)
    sends_by_worker = Counter(n for n, _ in sends)
    print(
        f"      sweeps per worker {dict(sorted(by_worker.items()))}, claimed per sweep "
        f"{[int(r) for _, r in sweeps]}; send batches per worker "
        f"{dict(sorted(sends_by_worker.items()))}; claims {len(claims)} "
        f"({dict(Counter(claims.values()))}); emails {sum(emails.values())}"
    )
    check(
        "reminders sent once",
        settled
        and len(claims) > 0
        and claimed == len(claims)
        and not twice
        and set(emails) == sent
        and sum(emails.values()) == emailed_first == len(sent)
        and len(by_worker) == 2,
        f"{len(sweeps)} sweeps on {len(by_worker)} workers claimed {claimed} of {len(claims)} "
        f"reminders; {len(sent)} sent, {sum(emails.values())} emails, {len(twice)} sent twice",
    )


def check_export(group, staff, token: str, logs: list[Path], media: Path) -> None:
    """One export, its render delivered twice over two workers: made once, served alike."""
    import hashlib

    from commissioning.celery import app
    from exports.models import Export

    a, b = PORTS
    status, made = api_json(a, "POST", "/api/v1/exports/", token, {"hub": group.hub.slug})
    pk = made.get("id") if isinstance(made, dict) else None
    if status != 201 or pk is None:
        check("export made once", False, f"requesting it on :{a} answered {status}: {made}")
        return
    app.send_task("exports.tasks.export_render", args=[pk])  # as a requeue would, again
    first_poll = api_json(b, "GET", f"/api/v1/exports/{pk}/", token)[1]  # B polls at once
    renders = lambda: finished_tasks(logs)["exports.tasks.export_render"]  # noqa: E731
    wait_until(lambda: len(renders()) >= 2, seconds=120)
    export = Export.objects.get(pk=pk)
    files = [p for p in media.rglob("*") if p.is_file() and f"/{pk}/" in str(p)]
    results = renders()
    made_by = [n for n, result in results if result == "True"]
    digests = set()
    statuses = []
    for port in PORTS:
        status, body = get(port, f"/exports/{pk}/download/", session=load.session_for(staff))
        statuses.append(status)
        digests.add(hashlib.sha256(body).hexdigest())
    polled = api_json(b, "GET", f"/api/v1/exports/{pk}/", token)[1]
    on_disk = hashlib.sha256(files[0].read_bytes()).hexdigest() if len(files) == 1 else None
    check(
        "export made once",
        export.status == Export.Status.READY
        and export.attempts == 1
        and len(files) == 1
        and len(made_by) == 1
        and len(results) == 2,
        f"export {pk}: {export.status}, {export.attempts} attempt(s), {len(files)} file(s); "
        f"renders {results} (worker, made?)",
    )
    check(
        "export served alike",
        statuses == [200, 200] and digests == {on_disk},
        f"download on :{a} and :{b} answered {statuses}, "
        f"{'the same bytes as the shared file' if digests == {on_disk} else 'DIFFERENT bytes'}",
    )
    check(
        "export status on B",
        polled.get("status") == "ready",
        f"B's API reported the export {first_poll.get('status')!r} at once, "
        f"{polled.get('status')!r} once made",
    )
