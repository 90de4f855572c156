"""Signing out after inactivity (issue 19), as GOV.UK and NHS.UK services do.

The session keeps the time of the person's last activity, written at most once a minute
(SESSION_ACTIVITY_WRITE_SECONDS) so that most requests do not write the session; a request
after SESSION_IDLE_TIMEOUT_MINUTES without activity ends the session, records it (SignIn row,
audit event) and goes to "You have been signed out". Pages warn SESSION_TIMEOUT_WARNING_MINUTES
before: a dialog with JavaScript (static/js/session-timeout.mjs), a page without it.

Background requests are not activity: the session pages themselves, the status check the
dialog makes, and polling that marks itself with the `X-Background` header (htmx's
`hx-headers`). They still end an expired session.
"""

import math
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .signins import EXPIRED_FLAG

LAST_ACTIVITY = "_cc_last_activity"  # seconds since the epoch, in the session
BACKGROUND_HEADER = "X-Background"
EXPIRED_MESSAGE = "Your session has ended after a period of inactivity. Sign in again."


def idle_seconds() -> float:
    """0 when the idle timeout is off."""
    return max(float(settings.SESSION_IDLE_TIMEOUT_MINUTES) * 60, 0)


def warning_seconds() -> float:
    return min(max(float(settings.SESSION_TIMEOUT_WARNING_MINUTES) * 60, 0), idle_seconds())


def _now() -> float:
    return timezone.now().timestamp()


def mark_active(request: HttpRequest) -> None:
    """Record activity now (a sign-in, "Stay signed in"): writes the session."""
    request.session[LAST_ACTIVITY] = _now()


def seconds_left(request: HttpRequest) -> int:
    """Seconds before this session ends without further activity."""
    last = request.session.get(LAST_ACTIVITY)
    if last is None:
        return math.ceil(idle_seconds())
    # Rounded up: a page that counts down to 0 finds the session ended, never still open.
    return max(math.ceil(idle_seconds() - (_now() - float(last))), 0)


def safe_next(request: HttpRequest, value: str | None) -> str:
    """`next` when it is a path on this site, else My work."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("workspace:my-work")


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def signed_out_url(next_path: str) -> str:
    return f"{reverse('accounts:signed-out')}?{urlencode({'next': next_path})}"


def _is_background(request: HttpRequest) -> bool:
    if request.headers.get(BACKGROUND_HEADER):
        return True
    return request.path in (
        reverse("accounts:session-ending"),
        reverse("accounts:signed-out"),
    ) or (request.method == "GET" and request.path == reverse("accounts:session"))


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or (request.method == "GET" and request.path == reverse("accounts:session"))
        or "application/json" in request.headers.get("Accept", "")
    )


def _expire(request: HttpRequest) -> HttpResponse | None:
    """End the session; the answer to send instead of the page (None: show the page)."""
    setattr(request, EXPIRED_FLAG, True)
    auth.logout(request)  # records the SignIn row and audit event (signins.on_logged_out)
    if _wants_json(request):
        return JsonResponse({"detail": EXPIRED_MESSAGE}, status=401)
    if request.path == reverse("accounts:signed-out"):
        return None
    if request.path == reverse("accounts:session-ending"):
        next_path = safe_next(request, request.GET.get("next"))
    elif request.method == "GET":
        next_path = request.get_full_path()
    else:  # a form sent too late: back to the page it was on, never to the form's action
        next_path = _path_of(safe_next(request, request.headers.get("Referer")))
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = signed_out_url(next_path)
        return response
    return redirect(signed_out_url(next_path))


class IdleTimeoutMiddleware:
    """After AuthenticationMiddleware. Reads the session only when it has one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        idle = idle_seconds()
        if not idle or session is None or auth.SESSION_KEY not in session:
            return self.get_response(request)
        now = _now()
        last = session.get(LAST_ACTIVITY)
        if last is not None and now - float(last) >= idle:
            response = _expire(request)
            if response is not None:
                return response
        elif last is None or (
            now - float(last) >= settings.SESSION_ACTIVITY_WRITE_SECONDS
            and not _is_background(request)
        ):
            session[LAST_ACTIVITY] = now  # the one session write, at most once a minute
        return self.get_response(request)
