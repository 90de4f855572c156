"""Run by tests/system/test_outbox_outage.py in its own process, with the product's settings and
a Redis broker of the test's own. Signed in as a national admin, it answers one command a line:
"grant <email>" gives that person a role through the People page (a new person: the change
owes a welcome email) and prints how long it took, its status and the outbox's states;
"relay" runs the outbox's beat relay once and prints how many items it published."""

import json
import sys
import time

import django

django.setup()

from django.conf import settings  # noqa: E402

# As in every test (tests/conftest.py): national admins sign in here with force_login, which
# two-step sign-in (issue 19) would otherwise send to the code page instead of the write.
settings.SECOND_FACTOR_ENFORCED = False

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from commissioning import outbox  # noqa: E402
from commissioning.models import OutboxItem  # noqa: E402
from hubs.models import Hub  # noqa: E402


def states() -> dict[str, int]:
    return dict(OutboxItem.objects.values_list("state").annotate(n=Count("pk")))


client = Client()
client.force_login(User.objects.get(email=sys.argv[1]))
wessex = Hub.objects.get(slug="wessex").pk
print("ready", flush=True)
for line in sys.stdin:
    command, *rest = line.split()
    started = time.monotonic()
    if command == "grant":
        response = client.post(
            "/people/grant/",
            {"email": rest[0], "full_name": "Outage Newcomer", "role": "hub_staff", "hub": wessex},
        )
        result = {"status": response.status_code}
    elif command == "relay":
        result = {"published": outbox.relay()}
    else:
        break
    result.update(seconds=time.monotonic() - started, states=states())
    print(json.dumps(result), flush=True)
