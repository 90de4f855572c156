"""Run by tests/system/test_broker_frozen.py in its own process, with the product's settings
and a Redis broker of the test's own. Each line it reads is a write as JSON ({"as": email,
"path": ..., "data": {...}}); it posts it as that person and prints how long it took and the
response's status."""

import json
import sys
import time

import django

django.setup()

from django.conf import settings  # noqa: E402

# As in every test (tests/conftest.py): national admins sign in here with force_login, which
# two-step sign-in (issue 19) would otherwise send to the code page instead of the write.
settings.SECOND_FACTOR_ENFORCED = False

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402

clients: dict[str, Client] = {}
print("ready", flush=True)
for line in sys.stdin:
    if not line.strip():
        break
    write = json.loads(line)
    if write["as"] not in clients:
        clients[write["as"]] = Client()
        clients[write["as"]].force_login(User.objects.get(email=write["as"]))
    started = time.monotonic()
    response = clients[write["as"]].post(write["path"], write["data"])
    seconds = time.monotonic() - started
    print(json.dumps({"status": response.status_code, "seconds": seconds}), flush=True)
