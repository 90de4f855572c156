"""The demo's stand-in for an authenticator app (issue 19): two-step sign-in is required of
national admins, so someone trying the demo without an authenticator app to hand can ask for
the code the set-up or code page wants. Only for the demo people, only where demo data is
allowed (never in production). The product adds this for local use; no seed asks for it."""

from django.conf import settings
from django_otp.oath import TOTP

from accounts import otp
from accounts.models import User

from .people import DEMO_PEOPLE


def demo_code(email: str) -> str:
    """The 6-digit code a demo person's authenticator app would show now: for the app being
    set up (the set-up page's key) or, once set up, the confirmed one."""
    if not settings.DEMO_DATA_ALLOWED:
        raise RuntimeError("Demo codes are for local use only (DEMO_DATA_ALLOWED is off).")
    if email.strip().lower() not in {person[0].lower() for person in DEMO_PEOPLE}:
        raise RuntimeError(f"{email} is not one of the demo people.")
    user = User.objects.get(email__iexact=email.strip())
    device = otp.authenticator_of(user) or otp.authenticator_of(user, confirmed=False)
    if device is None:
        raise RuntimeError(
            f"{email} has no authenticator app yet: sign in first, and the set-up page makes one."
        )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
