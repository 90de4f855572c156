"""Two-step sign-in: a second factor for password accounts (issue 19).

The person's authenticator app is a django-otp TOTP device; their recovery codes are one
django-otp static device whose tokens are deleted as they are used. django-otp's
`OTPMiddleware` gives every request `user.is_verified()`; `SecondFactorMiddleware` (below)
keeps a signed-in but unverified person to the two-step pages until they enter a code.

Who must have a second factor is one function, `second_factor_required(user, request)`, so a
session signed in through single sign-on can be exempted there later.

Wrong codes count towards a lock-out with the sign-in's own limits (AXES_FAILURE_LIMIT wrong
codes, then AXES_COOLOFF_HOURS): the count is django-otp's failure counter on the person's
devices, so signing out and in again does not reset it; only a right code does.
"""

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning import audit
from commissioning.errors import RuleError

from . import events
from .models import User
from .permissions import scopes
from .sso import BACKEND as SSO_BACKEND
from .sso import signed_in_with_sso

RECOVERY_CODE_COUNT = 10
SESSION_PENDING = "two_step_pending"  # signed in with a password, a code still to come
SESSION_NEW_CODES = "two_step_new_codes"  # recovery codes to show once, then forget
SESSION_NEXT = "two_step_next"  # where the new-codes page goes on to
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


class SecondFactorError(RuleError):
    """A code was wrong, or the change breaks a rule (see RuleError)."""


class LockedOut(SecondFactorError):
    """Too many wrong codes: `until` is when the person may try again."""

    def __init__(self, until: datetime):
        super().__init__("Too many wrong codes.", field=None)
        self.until = until


# --- Who must have a second factor --------------------------------------------------------


def second_factor_enforced() -> bool:
    """Whether two-step sign-in is in force at all (only the test suite turns it off)."""
    return settings.SECOND_FACTOR_ENFORCED


def second_factor_required(user, request: HttpRequest | None = None) -> bool:
    """Whether `user` must have (and, for this session, have entered) a second factor.

    National admins (who alone may use Django's admin site), staff and superusers must;
    everyone with a password does when OTP_REQUIRED_FOR_EVERYONE is set. `request` is the
    hook for sessions signed in another way: a single sign-on session, whose provider checks
    its own second factor, can be exempted here by looking at it.
    """
    if not second_factor_enforced() or not getattr(user, "is_authenticated", False):
        return False
    if request is not None and signed_in_with_sso(request):
        return False  # the provider asks for its own second factor (docs/sign-in-sso.md)
    if settings.OTP_REQUIRED_FOR_EVERYONE or user.is_staff or user.is_superuser:
        return True
    return scopes(user).national


# --- Reads ------------------------------------------------------------------------------


def authenticator_of(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_device_of(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_second_factor(user: User) -> bool:
    """Whether the person has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class Status:
    """What the person's two-step page shows."""

    enrolled: bool
    required: bool
    recovery_codes_left: int
    last_used: datetime | None


def status_of(user: User, request: HttpRequest | None = None) -> Status:
    device = authenticator_of(user)
    recovery = recovery_device_of(user)
    return Status(
        enrolled=device is not None,
        required=second_factor_required(user, request),
        recovery_codes_left=recovery.token_set.count() if recovery else 0,
        last_used=device.last_used_at if device else None,
    )


def _devices(user: User) -> list:
    return [d for d in (authenticator_of(user), recovery_device_of(user)) if d is not None]


def locked_until(user: User) -> datetime | None:
    """When the person may enter a code again, or None if they may now.

    AXES_FAILURE_LIMIT wrong codes in a row (authenticator and recovery codes together) lock
    them out for AXES_COOLOFF_HOURS from the last one.
    """
    devices = _devices(user)
    failures = sum(d.throttling_failure_count for d in devices)
    if failures < settings.AXES_FAILURE_LIMIT:
        return None
    last = max(
        (d.throttling_failure_timestamp for d in devices if d.throttling_failure_timestamp),
        default=None,
    )
    if last is None:
        return None
    until = last + timedelta(hours=settings.AXES_COOLOFF_TIME)
    return until if until > timezone.now() else None


def secret_in_groups(device: TOTPDevice) -> str:
    """The secret key as an authenticator app takes it typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up address as an inline SVG QR code (segno), without a size of its own."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, omitsize=True, svgclass="app-qr-code", lineclass=None
    )


def normalise_recovery_code(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def recovery_code_shown(code: str) -> str:
    """A recovery code as shown: two groups of four, easier to copy out."""
    return f"{code[:4]} {code[4:]}"


# --- Writes -----------------------------------------------------------------------------


@transaction.atomic
def authenticator_setup_start(*, user: User) -> TOTPDevice:
    """The not-yet-confirmed authenticator the set-up page shows (the same one on reload)."""
    device = authenticator_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def authenticator_setup_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the new authenticator with a code it shows; it replaces any earlier one.

    Returns the new recovery codes (shown once). Raises SecondFactorError if the code is wrong.
    """
    if device.user_id != user.pk or device.confirmed:
        raise SecondFactorError("Start setting up your authenticator app again.", field="code")
    if not device.verify_token(code):
        raise SecondFactorError(
            "The code is not right. Enter the 6-digit code your authenticator app shows now",
            field="code",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit.record(actor=user, verb=events.SECOND_FACTOR_ENROLLED, target=user)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    # The same device keeps its id: a session verified with a recovery code stays verified.
    device = recovery_device_of(user) or StaticDevice.objects.create(
        user=user, name=RECOVERY_NAME, confirmed=True
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for an enrolled person; the old ones stop working."""
    if not has_second_factor(user):
        raise SecondFactorError("Set up your authenticator app first.")
    codes = _recovery_codes_replace(user)
    audit.record(actor=user, verb=events.RECOVERY_CODES_REGENERATED, target=user)
    return codes


def _code_failed(user: User, *, recovery: bool) -> None:
    audit.record(actor=user, verb=events.SECOND_FACTOR_CODE_FAILED, target=user, recovery=recovery)
    until = locked_until(user)
    if until is not None:
        audit.record(actor=user, verb=events.SECOND_FACTOR_LOCKED_OUT, target=user)
        raise LockedOut(until)


def second_factor_verify(*, user: User, code: str, recovery: bool = False):
    """Check a code from the authenticator app (or, with `recovery`, a recovery code, which
    then stops working) and return the device that matched.

    Raises LockedOut while the person is locked out (and on the wrong code that locks them
    out), SecondFactorError on a wrong code. Not atomic: a wrong code must be counted even
    though the call raises.
    """
    until = locked_until(user)
    if until is not None:
        raise LockedOut(until)
    devices = _devices(user)
    if recovery:
        device = recovery_device_of(user)
        matched = device is not None and device.verify_token(normalise_recovery_code(code))
    else:
        device = authenticator_of(user)
        matched = device is not None and device.verify_token(code.replace(" ", ""))
    if not matched:
        _code_failed(user, recovery=recovery)
        if recovery:
            raise SecondFactorError(
                "The recovery code is not right, or has been used already", field="code"
            )
        raise SecondFactorError(
            "The code is not right. Enter the 6-digit code your authenticator app shows now",
            field="code",
        )
    for other in devices:  # a right code clears the count on both devices
        if not (type(other) is type(device) and other.pk == device.pk):
            other.throttle_reset(commit=False)
            other.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
    if recovery:
        audit.record(
            actor=user,
            verb=events.RECOVERY_CODE_USED,
            target=user,
            left=device.token_set.count(),
        )
    return device


def authenticator_remove(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """Turn two-step sign-in off: needs a current code, and is refused to anyone who must have
    it (they set up a new authenticator app instead, which replaces the old one). A wrong code
    counts towards the lock-out, so the check is outside the transaction."""
    if second_factor_required(user, request):
        raise SecondFactorError(
            "You must use two-step sign-in. To change phones, set up a new authenticator app."
        )
    if not has_second_factor(user):
        raise SecondFactorError("Two-step sign-in is not set up.")
    second_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record(actor=user, verb=events.SECOND_FACTOR_REMOVED, target=user)


# --- Sign-in and the gate ----------------------------------------------------------------


def on_signed_in(sender, request, user, **kwargs) -> None:
    """After the password: a person with an authenticator app owes a code this session."""
    if request is None or not second_factor_enforced():
        return
    if getattr(user, "backend", "") == SSO_BACKEND:
        return  # a single sign-on: the provider checked its own second factor
    if getattr(user, "otp_device", None) is None and has_second_factor(user):
        request.session[SESSION_PENDING] = True


def _allowed_paths() -> tuple[str, ...]:
    names = ("two-step-setup", "two-step-verify", "two-step-recovery", "two-step-codes", "logout")
    return (settings.STATIC_URL, *(reverse(f"accounts:{name}") for name in names))


class SecondFactorMiddleware:
    """Keeps a signed-in person who owes a second factor to the two-step pages, sign-out and
    static files: other pages redirect to the code page (or, with no authenticator app yet, to
    set-up); session-authenticated API calls get 403. A call carrying an API token is left to
    DRF (token-authenticated calls are not affected). Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse | None:
        if not second_factor_enforced():
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not (request.session.get(SESSION_PENDING) or second_factor_required(user, request)):
            return None
        if request.path.startswith(_allowed_paths()):
            return None
        if request.path.startswith("/api/"):
            if request.META.get("HTTP_AUTHORIZATION", "").startswith(("Token ", "Bearer ")):
                return None
            return JsonResponse(
                {"detail": "Enter the code from your authenticator app to use the API."},
                status=403,
            )
        where = "two-step-verify" if has_second_factor(user) else "two-step-setup"
        return redirect(f"{reverse(f'accounts:{where}')}?next={quote(request.get_full_path())}")
