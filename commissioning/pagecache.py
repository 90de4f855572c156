"""Rendered pages cached per session, invalidated by the writes to the records they show.

The heaviest read pages (a plan and its ranking, the dashboards, the boards) are computed from
many records but change only when someone writes. Each is cached for the session that asked
(so roles, CSRF tokens and "your" panels are never shared) and for the day (overdue flags move
at midnight), and is served again only while nothing it read has been written since: the
generations of the tables it read, for the hubs it shows (commissioning/pagedeps.py). A write
in Wessex leaves London's pages alone (issue 20). Pages with a flash message waiting are never
served from or stored to the cache.

Each page declares its scope where it is defined: `@per_session(hubs=...)` names the hubs whose
records it shows; a page without one (a national page, My work) depends on whole tables. What
it reads is found as it renders, so a page cannot forget a table it shows.

It needs a cache that every process shares (Redis in production): with Django's per-process
local-memory cache a write in one process would not be seen by another, so it is off unless
PAGE_CACHE_SECONDS is set or the cache is Redis. A cache that does not answer is passed by.
"""

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import pagedeps
from .pagedeps import (  # noqa: F401 - the page cache's public names
    GENERATION_KEY,
    SHOWN_ELSEWHERE,
    UNSHOWN,
    UNSHOWN_COLUMNS,
    bump,
    depends_on,
    hub_of,
    install,
    project_apps,
    scoped,
    shown_tables,
    written_table,
)

logger = logging.getLogger(__name__)


def _enabled() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def _has_messages(request) -> bool:
    return "messages" in request.COOKIES or bool(getattr(request, "session", {}).get("_messages"))


Scopes = dict[str, Any]


class _Served:
    """What `_cached` answers: the payload, and whether it came from the cache."""

    __slots__ = ("hit", "payload")

    def __init__(self, payload, hit: bool) -> None:
        self.payload, self.hit = payload, hit


def _key(prefix: str, parts) -> str:
    raw = "|".join(str(part) for part in (*parts, timezone.localdate()))
    return f"{prefix}:" + hashlib.sha256(raw.encode()).hexdigest()


def _cached(prefix: str, parts, scopes: Scopes, render: Callable, keep: Callable) -> _Served:
    """`render()`'s payload for `parts` on this day, from the cache while nothing it read has
    been written since; else rendered (reading what it reads, with `scopes`) and `keep(payload)`
    stored, unless it is None. Rendered, and nothing stored, when the cache does not answer."""
    seconds = _enabled()
    try:
        key = _key(prefix, parts)
        entry = cache.get(key)
        known = None
        if entry is not None:
            generations, payload = entry
            known = cache.get_many(list(generations))
            if known == generations:
                pagedeps.served(generations)  # a piece inside a page being rendered
                return _Served(payload, True)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return _Served(render(), False)
    with pagedeps.Capture(scopes, known) as capture:
        payload = render()
    kept = None if capture.failed else keep(payload)
    if kept is not None:
        try:
            cache.set(key, (capture.generations, kept), seconds)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
    return _Served(payload, False)


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "no-store" not in response.get("Cache-Control", "")
    )


# Holes: small per-request pieces of a cached page (the header's unread count), left as a
# placeholder when the page is cached and filled in each time it is served, so that what they
# show (a notification) never throws the page away. name -> render(request) -> HTML.
HOLES: dict[str, Callable[[Any], str]] = {}
_HOLE = "<!--pagecache-hole:{}-->"


class Hole:
    """In a template, `{{ hole }}` renders the piece itself, or its placeholder while a cached
    page is being rendered (the page cache fills it in when serving the page)."""

    def __init__(self, name: str, request) -> None:
        self.name, self.request = name, request

    def __str__(self) -> str:
        if pagedeps.capturing():
            return mark_safe(_HOLE.format(self.name))  # noqa: S308 - our own marker
        return mark_safe(HOLES[self.name](self.request))  # noqa: S308 - rendered, escaped

    __html__ = __str__


def _fill_holes(response, request):
    """The page as this person sees it now: every hole filled in."""
    content = response.content
    if b"<!--pagecache-hole:" not in content:
        return response
    text = content.decode(response.charset)
    for name, render in HOLES.items():
        marker = _HOLE.format(name)
        if marker in text:
            text = text.replace(marker, render(request))
    response.content = text.encode(response.charset)
    return response


def per_session(view=None, *, hubs: Callable[..., Any] | None = None):
    """Cache a GET page's 200 response per session and day, while nothing it read is written.

    `hubs(request, *args, **kwargs)` gives the hub (or hubs) whose records the page shows, for
    a page of one hub: it then depends on writes to those hubs' records only (and on the whole
    table's for records no hub owns). Without it, the page depends on whole tables."""
    if view is None:
        return functools.partial(per_session, hubs=hubs)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        session_key = getattr(getattr(request, "session", None), "session_key", None)
        if (
            not _enabled()
            or request.method != "GET"
            or not request.user.is_authenticated
            or not session_key
            or _has_messages(request)
        ):
            return view(request, *args, **kwargs)

        @_signed_in
        def render():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

        scopes: Scopes = {pagedeps.PERSON: [request.user.pk]}
        if hubs is not None:
            scopes[pagedeps.HUB] = lambda: _as_list(hubs(request, *args, **kwargs))
        served = _cached(
            "page",
            (request.user.pk, session_key, request.get_full_path()),
            scopes,
            render,
            lambda response: response if _storable(response) else None,
        )
        served.payload["X-Page-Cache"] = "hit" if served.hit else "miss"
        return _fill_holes(served.payload, request)

    wrapped.page_cache_hubs = hubs  # type: ignore[attr-defined]
    _PAGES.append(wrapped)
    return wrapped


# Every cached page's view, as declared (tests/test_pagecache_scopes.py walks them all).
_PAGES: list[Callable] = []


def cached_pages() -> list[Callable]:
    return list(_PAGES)


def _signed_in(render: Callable[[], Any]) -> Callable[[], Any]:
    """`render`, for a page or answer of a signed-in person: it also depends on their own row,
    read before the view while signing them in (the header names them)."""

    def rendered():
        depends_on(_user_table())
        return render()

    return rendered


@functools.cache
def _user_table() -> str:
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table


def _as_list(found) -> list | None:
    if found is None:
        return None
    if isinstance(found, (list, tuple, set, frozenset)):
        return list(found)
    return [found]


# What a shared piece holding forms renders for `{% csrf_token %}` (pass it in the context as
# `csrf_token`); each viewer's own token is put in its place when the piece is served.
CSRF_PLACEHOLDER = "shared-piece-csrf-token"


def shared_html(name: str, *parts, render, request=None, hubs=None) -> str:
    """A piece of a page that is the same for everyone allowed to see it (the view checks
    access first), rendered once after the writes it depends on and then shared by every
    session: after a write, sixteen people opening the same dashboard cost one computation,
    not sixteen. `render` returns the HTML; `parts` name everything else it depends on (the
    plan's id, the viewer's permissions that change what it shows); `hubs`, the hubs whose
    records it shows. Never for "your" data. A piece holding forms renders CSRF_PLACEHOLDER as
    its token and passes `request`: the viewer's own token replaces it on the way out."""
    html = _shared(name, parts, render, hubs)
    return with_csrf(html, request) if request is not None else mark_safe(html)  # noqa: S308


def with_csrf(html: str, request) -> str:
    """Our own rendered HTML (escaped when rendered) with the viewer's CSRF token in place of
    CSRF_PLACEHOLDER."""
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def _shared(name: str, parts: tuple, render, hubs) -> str:
    if not _enabled():
        return render()
    scopes: Scopes = {} if hubs is None else {pagedeps.HUB: _as_list(hubs)}
    return str(_cached("shared", (name, *parts), scopes, lambda: str(render()), str).payload)


class ApiReadCacheMiddleware:
    """The API's GET answers, cached like the pages: per credential (the token, or the
    session), day and data generation. The credential is checked before anything is served
    from the cache, so a revoked token or an ended session gets nothing from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _enabled() or request.method != "GET" or not request.path.startswith("/api/v1/"):
            return self.get_response(request)
        found = _api_credential(request)
        if found is None:
            return self.get_response(request)
        credential, by_token = found

        def person() -> list | None:
            # Known once the view has authenticated the caller (DRF sets it on the request).
            user = getattr(request, "user", None)
            return [user.pk] if user is not None and user.is_authenticated else None

        served = _cached(
            "api",
            (credential, request.get_full_path()),
            {pagedeps.PERSON: person, pagedeps.HUB: lambda: _api_hubs(request)},
            _signed_in(lambda: self.get_response(request)),
            _api_answer,
        )
        if served.hit and by_token and not _token_valid(request):
            return self.get_response(request)  # a revoked token: the view refuses it
        served.payload["X-Page-Cache"] = "hit" if served.hit else "miss"
        return served.payload


def _api_hubs(request) -> list | None:
    """An API answer's scope, as its view declares it: a viewset's `page_cache_hubs(request,
    **url_kwargs)` gives the hubs whose records the answer shows (say, a list filtered to one
    plan). None (whole tables) when the view declares none."""
    match = getattr(request, "resolver_match", None)
    declared = getattr(getattr(match, "func", None), "cls", None)
    hubs = getattr(declared, "page_cache_hubs", None)
    return None if hubs is None or match is None else _as_list(hubs(request, **match.kwargs))


def _api_answer(response) -> HttpResponse | None:
    """What of an API answer is cached: a JSON 200 answer's bytes, or nothing."""
    if _storable(response) and response.get("Content-Type", "").startswith("application/json"):
        return _bytes_only(response)
    return None


def _bytes_only(response) -> HttpResponse:
    """The answer as sent (status, headers, body), without the serializer, queryset and view
    a DRF Response carries: those would be pickled with it, and cost more to read back than
    the query they saved."""
    copy = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy


def _api_credential(request) -> tuple[str, bool] | None:
    """Who is asking, and whether that is still to be checked before a cached answer is served:
    ("token:<key hash>", True), or ("session:<user>:<key>", False) for a session already
    checked. A token is checked only when something is found for it (a miss goes on to the
    view, whose authentication checks it once), so caching costs a miss no query."""
    from rest_framework.authentication import get_authorization_header

    header = get_authorization_header(request).split()
    if header:
        if len(header) != 2 or header[0].lower() not in (b"token", b"bearer"):
            return None
        return "token:" + hashlib.sha256(header[1]).hexdigest(), True
    user = getattr(request, "user", None)
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is None or not user.is_authenticated or not session_key:
        return None
    return f"session:{user.pk}:{session_key}", False


def _token_valid(request) -> bool:
    """The request's token is (still) a live token of an active user, as the API's own token
    authentication classes (REST_FRAMEWORK's, in order, sessions aside) decide: an admin-made
    token, or a personal one that is not revoked or expired (issue 19)."""
    from rest_framework.authentication import BaseAuthentication, SessionAuthentication
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings

    # The setting holds the classes once DRF has imported them (its stubs type it as str).
    classes = cast(list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    for authentication in classes:
        if issubclass(authentication, SessionAuthentication):
            continue
        try:
            if authentication().authenticate(request) is not None:
                return True
        except AuthenticationFailed:
            return False
    return False


def hub_from(label: str, argument: str = "pk") -> Callable[..., Any]:
    """A page's scope: the hub of the `label` record named by its URL's `argument`."""

    def hubs(request, *args, **kwargs):
        return hub_of(label, kwargs[argument] if argument in kwargs else args[0])

    return hubs


def hub_from_slug(request, *args, **kwargs):
    """A page's scope: the hub named by its URL's slug."""
    return pagedeps.hub_with_slug(kwargs["slug"] if "slug" in kwargs else args[0])
