"""Run by tests/system/test_broker_frozen.py in its own process, with the product's settings
and a Redis broker of the test's own: asks for an export (a write that queues work) each time
the test says "go", and prints how long it took, its status and how many exports are owed."""

import json
import sys
import time

import django

django.setup()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from exports.models import Export  # noqa: E402

client = Client()
client.force_login(User.objects.get(email=sys.argv[1]))
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() != "go":
        break
    started = time.monotonic()
    response = client.post("/exports/hub-footprint/", {"hub": "north-east-and-cumbria", "on": ""})
    seconds = time.monotonic() - started
    queued = Export.objects.filter(status=Export.Status.QUEUED).count()
    print(json.dumps({"status": response.status_code, "seconds": seconds, "queued": queued}))
    sys.stdout.flush()
