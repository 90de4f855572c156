"""Shared builders of test data: plain functions, each making one thing the way the product
does (through its service where it has one), with the defaults most tests want.

The one place the tests import the service that sets up an oversight group, so that when it
moves, one import line follows it.
"""

import datetime
import functools
import time

from django.contrib.auth.hashers import make_password
from django_otp.oath import hotp

from accounts import otp
from accounts.models import RoleAssignment, User
from hubs.models import CCG, Hub, IntegratedCareSystem, Region
from oversight.services import group_create

PASSWORD = "correct-horse-battery-staple"
NEC = "north-east-and-cumbria"
START = datetime.date(2015, 4, 1)  # the first day of 2015/16, when the tests' groups start


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD, hasher="md5")


def make_user(email: str, name: str, *roles: tuple[str, object | None]) -> User:
    """A person with a known password and the given (role, organisation) assignments."""
    user = User.objects.create(email=email, full_name=name, password=_password_hash())
    for role, org in roles:
        scope = {}
        if isinstance(org, Region):
            scope["region"] = org
        elif isinstance(org, Hub):
            scope["hub"] = org
        elif isinstance(org, CCG):
            scope["ccg"] = org
        elif isinstance(org, IntegratedCareSystem):
            scope["system"] = org
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def make_group(
    *,
    by: User,
    hub: Hub | str = NEC,
    name: str = "NEC Oversight Group",
    start_date: datetime.date = START,
    purpose: str = "",
):
    """The hub's (a Hub or its slug) oversight group, set up by `by` through the service."""
    if isinstance(hub, str):
        hub = Hub.objects.get(slug=hub)
    return group_create(
        by=by, hub=hub, name=name, kind="oversight_group", start_date=start_date, purpose=purpose
    )


def authenticator_code(device) -> str:
    """The code the person's authenticator app shows now, and one the device has not accepted
    yet (a code is good once): the next time step if this one's code was used already."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def make_authenticator(user: User):
    """Set up two-step sign-in for `user` as the set-up page does: (device, recovery codes)."""
    device = otp.authenticator_setup_start(user=user)
    codes = otp.authenticator_setup_confirm(
        user=user, device=device, code=authenticator_code(device)
    )
    return device, codes
