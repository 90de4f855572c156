"""Rendered pages cached per session, invalidated by any write to the records they show.

The heaviest read pages (a plan and its ranking, the dashboards, the boards) are computed from
many records but change only when someone writes. Each is cached for the session that asked
(so roles, CSRF tokens and "your" panels are never shared), for the day (overdue flags move at
midnight), and for the current *generation*: a counter bumped after the commit of every write
to the records pages show, so no page outlives the data it shows. Pages with a flash message
waiting are never served from or stored to the cache.

Invalidation happens where writes happen, in the database layer, so it cannot be forgotten: a
wrapper on every connection (`connection.execute_wrapper`'s kind, installed when a connection
opens) sees each INSERT, UPDATE and DELETE statement, whichever code sent it (a model's
save(), a queryset's update() or delete(), bulk_create(), raw SQL), and when the table is one
pages show, it bumps the generation after the transaction commits (`transaction.on_commit`).
A write that rolls back bumps nothing: Django discards its callbacks. The tables pages show are
derived from the app registry: every model of the project's own apps (the packages at the top
of the project), less their history tables and UNSHOWN, plus SHOWN_ELSEWHERE; an update of
UNSHOWN_COLUMNS alone (a sign-in's last_login) changes nothing shown. A new app, model or
bulk write is covered without a line here; `bump()` is left for a change outside the database.

It needs a cache that every process shares (Redis in production): with Django's per-process
local-memory cache a write in one process would not be seen by another, so it is off unless
PAGE_CACHE_SECONDS is set or the cache is Redis. A cache that does not answer is passed by.
"""

import functools
import hashlib
import logging
import re
import threading
import weakref
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# The project's rows that no cached page shows, written often by background work or by
# signing in (sign-ins: their pages are not cached, their API answers say no-store).
UNSHOWN = frozenset(
    {
        "timeline.reminderclaim",
        "exports.export",
        "commissioning.auditevent",
        "accounts.signin",
    }
)
# Other apps' rows that pages show: a new or revoked API token changes what the API answers.
SHOWN_ELSEWHERE = frozenset({"authtoken.token"})
# Columns no cached page shows, whose update alone is no change: a sign-in's last_login (so that
# people signing in in the morning do not throw away everyone's cached pages).
# A personal API token's last_used_at (issue 19), written at most once a minute per token in use.
UNSHOWN_COLUMNS = {
    "accounts.user": frozenset({"last_login"}),
    "accounts.apitoken": frozenset({"last_used_at"}),
}

# The table a data-changing statement writes, as Django (or hand-written SQL) spells it:
# INSERT [OR IGNORE] INTO "t", UPDATE "t", DELETE FROM "t", TRUNCATE [TABLE] "t".
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM"
    r"|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?((?:[`\"]?\w+[`\"]?\.)?[`\"]?\w+[`\"]?)",
    re.IGNORECASE,
)


# An UPDATE's SET list, and the columns it assigns ("col" = ...).
_SET = re.compile(r"\s*UPDATE\s+\S+\s+SET\s+(.*?)(?:\s+WHERE\s|$)", re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r'[`"]?(\w+)[`"]?\s*=')


def _generation() -> int:
    # Started from the clock, not 1: after an eviction or a flush it never meets an old value.
    generation = cache.get_or_set(GENERATION_KEY, _fresh_generation, None)
    return int(generation) if generation is not None else _fresh_generation()


def _fresh_generation() -> int:
    return 1 + int(timezone.now().timestamp())


def _bump_now() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(GENERATION_KEY, _fresh_generation(), None)
    except Exception:
        logger.warning("Page cache unavailable: generation not bumped", exc_info=True)


def project_apps() -> list[str]:
    """The labels of the project's own apps: those whose package sits at the top of the
    project (hubs/, priorities/, ...), as opposed to Django's and third parties'."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    ]


@functools.cache
def shown_tables() -> frozenset[str]:
    """The tables whose rows cached pages show (computed once the app registry is ready).

    History tables (django-simple-history's) are left out: a history row is only ever written
    beside a write to the row it records, which is watched."""
    from simple_history.models import HistoricalChanges

    watched = set(project_apps())
    return frozenset(
        model._meta.db_table.lower()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower in SHOWN_ELSEWHERE
        or (
            model._meta.app_label in watched
            and model._meta.label_lower not in UNSHOWN
            and not issubclass(model, HistoricalChanges)
        )
    )


@functools.cache
def _unshown_columns() -> dict[str, frozenset[str]]:
    """UNSHOWN_COLUMNS by table and column name."""
    found = {}
    for label, names in UNSHOWN_COLUMNS.items():
        meta = apps.get_model(label)._meta
        found[meta.db_table.lower()] = frozenset(meta.get_field(n).column.lower() for n in names)
    return found


def _changes_what_pages_show(table: str, sql: str) -> bool:
    if table not in shown_tables():
        return False
    unshown = _unshown_columns().get(table)
    if unshown is None:
        return True
    changed = _SET.match(sql)
    return changed is None or not set(_COLUMN.findall(changed.group(1).lower())) <= unshown


def written_table(sql: str) -> str | None:
    """The table a data-changing statement writes, or None for any other statement."""
    found = _WRITE.match(sql)
    if found is None:
        return None
    return found.group(1).rsplit(".", 1)[-1].strip('`"').lower()


# Statements that open, release or roll back a savepoint (an inner atomic block's edges).
_SAVEPOINT = re.compile(r"\s*(?:SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\b", re.I)


class _BumpOnCommit:
    """The invalidation a transaction's writes owe, registered with `transaction.on_commit`.

    One registration stands for every later write while it is still owed: not yet run, not
    discarded (Django drops the callbacks of a block that rolls back, and with them the only
    reference to this object, so the weak reference kept to it dies), and no savepoint opened,
    released or rolled back since (a new atomic block registers its own, as a test capturing
    one block's callbacks expects). If a later write commits, so does the block that holds
    this registration, so it runs: a transaction of many writes costs one bump."""

    __slots__ = ("__weakref__", "ran")
    __name__ = "_bump_now"  # what a list of on-commit callbacks shows for it

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        if not self.ran:
            self.ran = True
            _bump_now()


class _Owed(threading.local):
    """Per thread, as Django's connections are: for each database alias, the registration
    that stands for its writes now, and how many savepoint edges it has passed."""

    def __init__(self) -> None:
        self.registered: dict[str, tuple[weakref.ref, int]] = {}
        self.edges: dict[str, int] = {}


_owed = _Owed()


def _written(connection) -> None:
    """Invalidate every cached page once what `connection` has just written is committed."""
    if not connection.in_atomic_block:  # autocommit: the statement is committed already
        _bump_now()
        return
    alias, edges = connection.alias, _owed.edges.get(connection.alias, 0)
    ref, at = _owed.registered.get(alias, (None, None))
    owed = ref() if ref is not None else None
    if owed is None or owed.ran or at != edges:
        owed = _BumpOnCommit()
        _owed.registered[alias] = (weakref.ref(owed), edges)
        transaction.on_commit(owed, using=alias)
    if settings.PAGE_CACHE_INVALIDATE_ON_WRITE:
        # The test suite: each test is one transaction that never commits, and its requests
        # read its uncommitted writes, so there a write must also count at once.
        _bump_now()


def _watch(execute, sql, params, many, context):
    """The execute wrapper: after a statement that writes a table pages show, invalidate."""
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None:
        if _changes_what_pages_show(table, sql):
            _written(context["connection"])
    elif _SAVEPOINT.match(sql):
        alias = context["connection"].alias
        _owed.edges[alias] = _owed.edges.get(alias, 0) + 1
    return result


def watch(connection, **kwargs) -> None:
    """Watch every statement `connection` executes (once, however often it reconnects).

    Put first among its execute wrappers rather than entered with
    `connection.execute_wrapper()`: that context manager pops the last wrapper on exit, so one
    entered for the connection's life inside someone else's block would be popped by theirs."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def install() -> None:
    """Watch every database connection, those open now and those opened later."""
    connection_created.connect(watch, dispatch_uid="pagecache-watch")
    for connection in connections.all(initialized_only=True):
        watch(connection)


def bump() -> None:
    """Invalidate every cached page once the current transaction commits (at once outside a
    transaction). Writes do this by themselves; this is for a change the database does not
    see."""
    _written(transaction.get_connection())


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
        key, cached = _lookup("page", request.user.pk, session_key, request.get_full_path())
        if key is None:
            return view(request, *args, **kwargs)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "no-store" not in response.get("Cache-Control", "")
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
    return str(html)


class ApiReadCacheMiddleware:
    """The API's GET answers, cached like the pages: per credential (the token, or the
    session), day and data generation. The credential is checked before anything is served
    from the cache, so a revoked token or an ended session gets nothing from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _enabled()
        if not seconds or request.method != "GET" or not request.path.startswith("/api/v1/"):
            return self.get_response(request)
        found = _api_credential(request)
        if found is None:
            return self.get_response(request)
        credential, by_token = found
        key, cached = _lookup("api", credential, request.get_full_path())
        if key is None:
            return self.get_response(request)
        if cached is not None and (not by_token or _token_valid(request)):
            return cached
        response = self.get_response(request)
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("application/json")
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "no-store" not in response.get("Cache-Control", "")
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
