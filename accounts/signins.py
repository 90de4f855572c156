"""Sign-in records (issue 19): every sign-in, failure, lock-out and end of a session leaves a
SignIn row and an audit event. Written from Django's and django-axes' signals, connected in
AccountsConfig.ready(); nothing typed into the password box is ever read here."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction

from commissioning import audit

from . import events
from .models import SignIn, User, email_key

VERBS = {
    SignIn.Outcome.SUCCESS: events.SIGNIN_SUCCEEDED,
    SignIn.Outcome.FAILURE: events.SIGNIN_FAILED,
    SignIn.Outcome.LOCKED_OUT: events.SIGNIN_LOCKED_OUT,
    SignIn.Outcome.SIGNED_OUT: events.SIGNIN_SIGNED_OUT,
    SignIn.Outcome.SESSION_EXPIRED: events.SIGNIN_SESSION_EXPIRED,
}
# Set on a request whose session the idle timeout ends, so that the logout reads as expiry.
EXPIRED_FLAG = "_cc_session_expired"


def method_of(backend: str | None) -> str:
    """Single sign-on when the authentication backend is an OpenID Connect one."""
    return SignIn.Method.SSO if backend and "oidc" in backend.lower() else SignIn.Method.PASSWORD


def _client(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return address or None, request.META.get("HTTP_USER_AGENT", "")[:255]


@transaction.atomic
def sign_in_record(
    *, outcome: str, user: User | None, email: str = "", method: str = "", request=None
) -> SignIn:
    """Record one sign-in event and its audit event (actor: the person, when known)."""
    ip_address, user_agent = _client(request)
    row = SignIn.objects.create(
        user=user,
        email_key=email_key(email or (user.email if user else "")),
        outcome=outcome,
        method=method or SignIn.Method.PASSWORD,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    # A failure or lock-out is someone trying the address, not (necessarily) its owner.
    acted = outcome not in (SignIn.Outcome.FAILURE, SignIn.Outcome.LOCKED_OUT)
    audit.record(
        actor=user if acted else None,
        verb=VERBS[SignIn.Outcome(outcome)],
        target=row,
        email=row.email_key,
        method=row.method,
        ip_address=ip_address,
    )
    return row


def _person(email: str) -> User | None:
    return User.objects.filter(email__iexact=email_key(email)).first() if email else None


def on_logged_in(sender, request, user, **kwargs) -> None:
    from .sessions import mark_active

    sign_in_record(
        outcome=SignIn.Outcome.SUCCESS,
        user=user,
        method=method_of(getattr(user, "backend", None)),
        request=request,
    )
    if request is not None and hasattr(request, "session"):
        mark_active(request)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the address: Django hides the password, and nothing else typed is kept.
    email = str((credentials or {}).get("username") or "")
    if getattr(request, "axes_locked_out", False):
        # django-axes (its receiver runs first) has just locked the address out, or refused
        # it while locked: the lock-out row (on_locked_out) tells this attempt.
        return
    sign_in_record(
        outcome=SignIn.Outcome.FAILURE, user=_person(email), email=email, request=request
    )


def on_locked_out(sender, request=None, username=None, **kwargs) -> None:
    email = str(username or "")
    sign_in_record(
        outcome=SignIn.Outcome.LOCKED_OUT, user=_person(email), email=email, request=request
    )


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    expired = getattr(request, EXPIRED_FLAG, False)
    session = getattr(request, "session", None)
    sign_in_record(
        outcome=SignIn.Outcome.SESSION_EXPIRED if expired else SignIn.Outcome.SIGNED_OUT,
        user=user,
        method=method_of(session.get(BACKEND_SESSION_KEY) if session is not None else None),
        request=request,
    )


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(on_logged_in, dispatch_uid="accounts.signins.logged_in")
    signals.user_login_failed.connect(on_login_failed, dispatch_uid="accounts.signins.failed")
    signals.user_logged_out.connect(on_logged_out, dispatch_uid="accounts.signins.logged_out")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.signins.locked_out")
