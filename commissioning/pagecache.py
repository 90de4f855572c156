"""Rendered pages cached per session, invalidated by any change to the records.

The heaviest read pages (a plan and its ranking, the dashboards, the boards) are computed from
many records but change only when someone writes. Each is cached for the session that asked
(so roles, CSRF tokens and "your" panels are never shared), for the day (overdue flags move at
midnight), and for the current *generation*: a counter bumped after the commit of every write
to the project's records, so no page outlives the data it shows. Pages with a flash message
waiting are never served from or stored to the cache.

It needs a cache that every process shares (Redis in production): with Django's per-process
local-memory cache a write in one process would not be seen by another, so it is off unless
PAGE_CACHE_SECONDS is set or the cache is Redis. A cache that does not answer is passed by.
"""

import functools
import hashlib
import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Rows that no cached page shows, written often by background work.
UNSHOWN = {"timeline.reminderclaim", "exports.export", "commissioning.auditevent"}
PROJECT_APPS = [
    "accounts",
    "hubs",
    "oversight",
    "governance",
    "meetings",
    "priorities",
    "reviews",
    "timeline",
    "accountability",
]


def _generation() -> int:
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    return 1 if generation is None else int(generation)  # None: a cache that keeps nothing


def _bump_now() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(GENERATION_KEY, 1 + int(timezone.now().timestamp()), None)
    except Exception:
        logger.warning("Page cache unavailable: generation not bumped", exc_info=True)


def bump() -> None:
    """Invalidate every cached page once the current transaction commits (a page rendered
    meanwhile from the old data must not be stored under the new generation). Once per
    atomic block (savepoint), however many records it writes."""
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    if here and any(
        func is _bump_now and set(sids) == here for sids, func, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump_now)


def _changed(sender, **kwargs) -> None:
    if sender._meta.label_lower not in UNSHOWN:
        bump()


def connect_signals() -> None:
    from rest_framework.authtoken.models import Token

    for sender in (Token,):  # a revoked or new token changes what the API answers
        post_save.connect(_changed, sender=sender, dispatch_uid=f"pagecache-save-{sender}")
        post_delete.connect(_changed, sender=sender, dispatch_uid=f"pagecache-del-{sender}")
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-del-{model}")
    m2m_changed.connect(_changed, dispatch_uid="pagecache-m2m")


def _enabled() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def _has_messages(request) -> bool:
    return "messages" in request.COOKIES or bool(getattr(request, "session", {}).get("_messages"))


def _lookup(prefix: str, *parts) -> tuple[str | None, Any]:
    """(key, what is cached under it or None) for `parts` on this day and data generation;
    (None, None) when the cache does not answer (the caller renders, and stores nothing)."""
    try:
        raw = "|".join(str(part) for part in (*parts, timezone.localdate(), _generation()))
        key = f"{prefix}:" + hashlib.sha256(raw.encode()).hexdigest()
        return key, cache.get(key)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None, None


def _store(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)


def per_session(view):
    """Cache a GET page's 200 response per session, day and data generation."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = _enabled()
        session_key = getattr(getattr(request, "session", None), "session_key", None)
        if (
            not seconds
            or request.method != "GET"
            or not request.user.is_authenticated
            or not session_key
            or _has_messages(request)
        ):
            return view(request, *args, **kwargs)
        key, cached = _lookup("page", session_key, request.get_full_path())
        if key is None:
            return view(request, *args, **kwargs)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            _store(key, response, seconds)
        return response

    return wrapped


# What a shared piece holding forms renders for `{% csrf_token %}` (pass it in the context as
# `csrf_token`); each viewer's own token is put in its place when the piece is served.
CSRF_PLACEHOLDER = "shared-piece-csrf-token"


def shared_html(name: str, *parts, render, request=None) -> str:
    """A piece of a page that is the same for everyone allowed to see it (the view checks
    access first), rendered once per data generation and day and then shared by every
    session: after a write, sixteen people opening the same dashboard cost one computation,
    not sixteen. `render` returns the HTML; `parts` name everything else it depends on (the
    plan's id, the viewer's permissions that change what it shows). Never for "your" data.
    A piece holding forms renders CSRF_PLACEHOLDER as its token and passes `request`: the
    viewer's own token replaces it on the way out."""
    html = _shared(name, parts, render)
    return with_csrf(html, request) if request is not None else mark_safe(html)  # noqa: S308


def with_csrf(html: str, request) -> str:
    """Our own rendered HTML (escaped when rendered) with the viewer's CSRF token in place of
    CSRF_PLACEHOLDER."""
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def _shared(name: str, parts: tuple, render) -> str:
    seconds = _enabled()
    if not seconds:
        return render()
    key, html = _lookup("shared", name, *parts)
    if key is None:
        return render()
    if html is None:
        html = render()
        _store(key, str(html), seconds)
    return html


class ApiReadCacheMiddleware:
    """The API's GET answers, cached like the pages: per credential (the token, or the
    session), day and data generation. The credential is checked on every request before
    anything is served, so a revoked token or an ended session gets nothing from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _enabled()
        if not seconds or request.method != "GET" or not request.path.startswith("/api/v1/"):
            return self.get_response(request)
        credential = _api_credential(request)
        if credential is None:
            return self.get_response(request)
        key, cached = _lookup("api", credential, request.get_full_path())
        if key is None:
            return self.get_response(request)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("application/json")
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            _store(key, _bytes_only(response), seconds)
        return response


def _bytes_only(response) -> HttpResponse:
    """The answer as sent (status, headers, body), without the serializer, queryset and view
    a DRF Response carries: those would be pickled with it, and cost more to read back than
    the query they saved."""
    copy = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy


def _api_credential(request) -> str | None:
    """Who is asking, checked now: "token:<user>:<key hash>" or "session:<user>:<key>"."""
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        try:
            found = TokenAuthentication().authenticate(request)
        except AuthenticationFailed:
            return None
        if found is None:
            return None
        user, token = found
        digest = hashlib.sha256(token.key.encode()).hexdigest()
        return f"token:{user.pk}:{digest}"
    user = getattr(request, "user", None)
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is None or not user.is_authenticated or not session_key:
        return None
    return f"session:{user.pk}:{session_key}"
