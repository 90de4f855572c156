"""What a cached page depends on, and the writes that change it (issue 20).

Every table has generations in the shared cache, counters bumped after the commit of each write
to it: one for the whole table, one per hub (or person) for the records scoped in
commissioning/pagescopes.py, and one for writes whose hub is not known. A cached page records
the generations of what it read, and is served again only while they are unchanged:

- **Reads are found, not declared.** While a page renders, a wrapper on the database connection
  sees each SELECT and notes the tables it reads (a history table counts as its record's table),
  reading their generations before the rows. A page cannot forget a table it shows.
- **Each page declares its scope** next to it (`per_session(hubs=...)`): the hubs whose records
  it shows. For a scoped table it then depends only on those hubs' generations (and on writes
  whose hub is unknown); for any other table, on the whole table's.
- **Writes are found where they happen**, as before: a wrapper sees each INSERT, UPDATE, DELETE
  and TRUNCATE, however sent. A record saved or deleted through the ORM (its pre_save or
  pre_delete signal) carries its hub, so its write bumps that hub's generation and the whole
  table's; a write in bulk or raw SQL bumps the whole table's and the unknown-hub generation.
  All after the commit (`transaction.on_commit`); a write that rolls back bumps nothing.

A cache that does not answer is passed by: the page is rendered and nothing is stored.
"""

import contextlib
import functools
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from celery.signals import task_prerun
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from .pagescopes import HUB, PERSON, RECORD_SCOPES  # noqa: F401 - PERSON for pagecache

logger = logging.getLogger(__name__)

# bump(): a change the database does not see; every cached page depends on it.
GENERATION_KEY = "pagecache:generation"
ANY = "*"  # the generation of a table's writes whose hub (or person) is not known

# The project's rows that no cached page shows, written often by background work or by
# signing in; tests/test_pagecache_scopes.py proves no cached page reads them.
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
# people signing in in the morning do not throw away everyone's cached pages), and a personal
# API token's last_used_at (issue 19), written at most once a minute per token in use.
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
# The tables a SELECT reads, from its FROM and JOIN clauses (subqueries included).
_READ = re.compile(r"\b(?:FROM|JOIN)\s+(?:[`\"]?\w+[`\"]?\.)?[`\"]?(\w+)[`\"]?", re.IGNORECASE)
# A query may open with a parenthesis: PostgreSQL's UNION of querysets is (SELECT ...) UNION ...
_SELECT = re.compile(r"[\s(]*(?:SELECT|WITH)\b", re.IGNORECASE)
# An UPDATE's SET list, and the columns it assigns ("col" = ...).
_SET = re.compile(r"\s*UPDATE\s+\S+\s+SET\s+(.*?)(?:\s+WHERE\s|$)", re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r'[`"]?(\w+)[`"]?\s*=')
# Statements that open, release or roll back a savepoint (an inner atomic block's edges).
_SAVEPOINT = re.compile(r"\s*(?:SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\b", re.I)


# -- Generations ------------------------------------------------------------------------------


def generation_key(table: str, kind: str | None = None, value: object = None) -> str:
    """The cache key of a table's generation: the whole table's, one hub's (person's), or
    (kind ANY) that of its writes whose hub is not known."""
    if kind is None:
        return f"pagecache:g:{table}"
    return f"pagecache:g:{table}:{ANY}" if kind == ANY else f"pagecache:g:{table}:{kind}:{value}"


def _fresh() -> int:
    # From the clock in microseconds, not 1: after an eviction or a flush a generation never
    # comes back to a value an old page recorded.
    return time.time_ns() // 1000


def read_generations(keys: Iterable[str]) -> dict[str, int]:
    """The generations under `keys`, starting any missing one afresh. Raises when the cache
    does not answer (callers render and store nothing)."""
    keys = list(keys)
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh(), None)
        found.update(cache.get_many(missing))
    return found


def generation(table: str, kind: str | None = None, value: object = None) -> int:
    """One table's generation now (for tests and tools)."""
    key = generation_key(table, kind, value)
    return read_generations([key])[key]


def _bump_keys(keys: Iterable[str]) -> None:
    for key in sorted(set(keys)):
        try:
            cache.incr(key)
        except ValueError:  # not set yet (or evicted): any new value invalidates
            cache.set(key, _fresh(), None)
        except Exception:
            logger.warning("Page cache unavailable: generation not bumped", exc_info=True)
            return


# -- Which tables are watched -----------------------------------------------------------------


def project_apps() -> list[str]:
    """The labels of the project's own apps: those whose package sits at the top of the
    project (hubs/, priorities/, ...), as opposed to Django's and third parties'."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    ]


def _is_history(model) -> bool:
    from simple_history.models import HistoricalChanges

    return issubclass(model, HistoricalChanges)


def _record_model(model):
    """The model whose records `model` holds: itself, or for a history model the model whose
    history it keeps."""
    return model.instance_type if _is_history(model) else model


@functools.cache
def shown_tables() -> frozenset[str]:
    """The tables whose rows cached pages may show, whose writes are watched (computed once the
    app registry is ready). History tables are left out: a history row is only ever written
    beside a write to the row it records, and a page reading one depends on that row's table."""
    watched = set(project_apps())
    return frozenset(
        model._meta.db_table.lower()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower in SHOWN_ELSEWHERE
        or (
            model._meta.app_label in watched
            and model._meta.label_lower not in UNSHOWN
            and not _is_history(model)
        )
    )


@functools.cache
def _tables() -> dict[str, tuple[str, str | None]]:
    """For each table a page may read: (the table it depends on, its scope kind or None). A
    history table depends on its record's table, with the record's scope."""
    found: dict[str, tuple[str, str | None]] = {}
    for model in apps.get_models(include_auto_created=True):
        record = _record_model(model)
        scope = RECORD_SCOPES.get(record._meta.label_lower)
        found[model._meta.db_table.lower()] = (
            record._meta.db_table.lower(),
            scope[0] if scope else None,
        )
    return found


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


def read_tables(sql: str) -> set[str]:
    """The tables a SELECT reads (none for any other statement)."""
    if not _SELECT.match(sql):
        return set()
    return {name.lower() for name in _READ.findall(sql)}


# -- A record's hub (or person) ---------------------------------------------------------------

# (model, field, value, path) -> what the path reaches; emptied when a request starts.
_above: dict[tuple[str, str, object, str], object] = {}
_ABOVE_MAX = 50_000


def scope_value(model, pk: object, path: str) -> object:
    """What `path` reaches from the `model` row `pk` (a hub's id, say): read once per request
    or task (the chain above a record does not change), None if there is no such row."""
    return None if pk is None else _reached(model, "pk", pk, path)


def _reached(model, field: str, value: object, path: str) -> object:
    """What `path` reaches from the `model` row whose `field` is `value`, remembered until the
    next request or task starts (None if there is no such row)."""
    key = (model._meta.label_lower, field, value, path)
    if key not in _above:
        if len(_above) >= _ABOVE_MAX:
            _above.clear()
        rows = model._base_manager.filter(**{field: value})
        _above[key] = rows.values_list(path, flat=True).first()
    return _above[key]


def record_scope(instance) -> tuple[str, object] | None:
    """(kind, value) of the hub or person a record belongs to, or None when not scoped or not
    known (a committee's meeting has no hub)."""
    model = type(instance)
    record = _record_model(model)
    declared = RECORD_SCOPES.get(record._meta.label_lower)
    if declared is None:
        return None
    kind, path = declared
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    value = getattr(instance, field.attname)
    if rest:
        value = scope_value(field.related_model, value, rest)
    return None if value is None else (kind, value)


def hub_of(label: str, pk: object) -> object:
    """The hub of the `label` record `pk` (for a page's declared scope), or None."""
    kind, path = RECORD_SCOPES[label]
    if kind != HUB:
        raise ValueError(f"{label} belongs to a {kind}, not a hub")
    return scope_value(apps.get_model(label), pk, path)


def hub_with_slug(slug: str) -> object:
    """The id of the hub with `slug` (read once per request), or None."""
    return _reached(apps.get_model("hubs.hub"), "slug", slug, "pk")


# -- Writes -----------------------------------------------------------------------------------


class _Local(threading.local):
    """Per thread, as Django's connections are."""

    def __init__(self) -> None:
        # For each database alias: the registration standing for its writes now, and how many
        # savepoint edges it has passed.
        self.registered: dict[str, tuple[weakref.ref, int]] = {}
        self.edges: dict[str, int] = {}
        # For each table: the scopes of the records being saved or deleted through the ORM now,
        # or written in bulk under `scoped()`; each entry a list of (kind, value), None unknown.
        self.pending: dict[str, list[list | None]] = {}
        # The captures of pages being rendered now (innermost last).
        self.captures: list[Capture] = []


_local = _Local()


class _BumpOnCommit:
    """The generations a transaction's writes owe, registered with `transaction.on_commit`.

    One registration stands for every later write while it is still owed: not yet run, not
    discarded (Django drops the callbacks of a block that rolls back, and with them the only
    reference to this object, so the weak reference kept to it dies), and no savepoint opened,
    released or rolled back since (a new atomic block registers its own). If a later write
    commits, so does the block that holds this registration, so it runs: a transaction of many
    writes costs one bump of each generation it touched."""

    __slots__ = ("__weakref__", "keys", "ran")
    __name__ = "_bump_now"  # what a list of on-commit callbacks shows for it

    def __init__(self) -> None:
        self.ran = False
        self.keys: set[str] = set()

    def __call__(self) -> None:
        if not self.ran:
            self.ran = True
            _bump_keys(self.keys)


def owed_keys(table: str, scopes: list | None) -> set[str]:  # scopes: [(kind, value) | None]
    """The generations a write to `table` bumps: the whole table's, and its hubs' (persons')
    when every record written is known, or the unknown-hub one when not."""
    keys = {generation_key(table)}
    if not getattr(settings, "PAGE_CACHE_SCOPED", True):
        keys.add(GENERATION_KEY)  # as before issue 20: every write, every page
    if scopes and all(scope is not None for scope in scopes):
        keys.update(generation_key(table, kind, value) for kind, value in scopes)
    else:
        keys.add(generation_key(table, ANY))
    return keys


def written(connection, keys: set[str]) -> None:
    """Bump `keys` once what `connection` has just written is committed."""
    if not connection.in_atomic_block:  # autocommit: the statement is committed already
        _bump_keys(keys)
        return
    alias, edges = connection.alias, _local.edges.get(connection.alias, 0)
    ref, at = _local.registered.get(alias, (None, None))
    owed = ref() if ref is not None else None
    if owed is None or owed.ran or at != edges:
        owed = _BumpOnCommit()
        _local.registered[alias] = (weakref.ref(owed), edges)
        transaction.on_commit(owed, using=alias)
    owed.keys.update(keys)
    if settings.PAGE_CACHE_INVALIDATE_ON_WRITE:
        # The test suite: each test is one transaction that never commits, and its requests
        # read its uncommitted writes, so there a write must also count at once.
        _bump_keys(keys)


def _watch(execute, sql, params, many, context):
    """The execute wrapper: note what a page being rendered reads (before reading it), and
    after a statement that writes a table pages show, owe its generations."""
    if _local.captures:
        tables = read_tables(sql)
        if tables:
            for capture in _local.captures:
                capture.read(tables)
    try:
        result = execute(sql, params, many, context)
    except Exception:
        # A save that fails sends no post_save: what it pushed must not name later writes.
        _local.pending.clear()
        raise
    table = written_table(sql)
    if table is not None:
        if _changes_what_pages_show(table, sql):
            pending = _local.pending.get(table)
            if not pending:
                scopes = None
            elif sql.lstrip()[:6].upper() == "DELETE":  # a delete's batch: every record's
                scopes = [scope for entry in pending for scope in (entry or [None])]
            else:  # the record being saved now, or the rows written under scoped()
                scopes = pending[-1] or None
            written(context["connection"], owed_keys(table, scopes))
    elif _SAVEPOINT.match(sql):
        alias = context["connection"].alias
        _local.edges[alias] = _local.edges.get(alias, 0) + 1
        if sql.lstrip()[:8].upper() == "ROLLBACK":
            _local.pending.clear()
    return result


def _pending_push(sender, instance, **kwargs) -> None:
    scope = record_scope(instance)
    _local.pending.setdefault(sender._meta.db_table.lower(), []).append(
        None if scope is None else [scope]
    )


@contextlib.contextmanager
def scoped(model, kind: str, values: Iterable) -> Iterator[None]:
    """Writes to `model`'s table in this block (in bulk: `bulk_create`, a queryset `update()`)
    touch only the records of these hubs or persons, so they bump only theirs. The caller
    vouches for it: every row written belongs to one of `values`."""
    table = model._meta.db_table.lower()
    entry = [(kind, value) for value in values] or None
    _local.pending.setdefault(table, []).append(entry)
    try:
        yield
    finally:
        pending = _local.pending.get(table)
        if pending and pending[-1] is entry:  # (gone if a failed statement cleared them)
            pending.pop()


def _pending_pop(sender, instance, **kwargs) -> None:
    pending = _local.pending.get(sender._meta.db_table.lower())
    if pending:
        pending.pop()


def _forget_pending(**kwargs) -> None:
    """A request (or a task) starts afresh: nothing pending, and records' hubs read again
    (cheap, and never wrong where ids are used again: a test's rows roll back, and SQLite may
    reuse them)."""
    _local.pending.clear()
    _above.clear()


def watch(connection, **kwargs) -> None:
    """Watch every statement `connection` executes (once, however often it reconnects).

    Put first among its execute wrappers rather than entered with
    `connection.execute_wrapper()`: that context manager pops the last wrapper on exit, so one
    entered for the connection's life inside someone else's block would be popped by theirs."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def install() -> None:
    """Watch every database connection, those open now and those opened later, and the saves
    and deletes of every scoped record (and its history)."""
    connection_created.connect(watch, dispatch_uid="pagecache-watch")
    request_started.connect(_forget_pending, dispatch_uid="pagecache-pending")
    task_prerun.connect(_forget_pending, dispatch_uid="pagecache-pending", weak=False)
    for connection in connections.all(initialized_only=True):
        watch(connection)
    for model in apps.get_models():
        record = _record_model(model)
        if record._meta.label_lower in RECORD_SCOPES:
            uid = f"pagecache-{model._meta.label_lower}"
            pre_save.connect(_pending_push, sender=model, dispatch_uid=uid)
            post_save.connect(_pending_pop, sender=model, dispatch_uid=uid)
            pre_delete.connect(_pending_push, sender=model, dispatch_uid=uid)
            post_delete.connect(_pending_pop, sender=model, dispatch_uid=uid)


def bump() -> None:
    """Invalidate every cached page once the current transaction commits (at once outside a
    transaction). Writes do this by themselves; this is for a change the database does not
    see."""
    written(transaction.get_connection(), {GENERATION_KEY})


# -- Reads ------------------------------------------------------------------------------------


class Capture:
    """What one page (or shared piece) reads while it renders: the generations it depends on,
    each read before the rows it stands for. `scopes` maps a scope kind to the values the page
    shows (its hubs), or to a callable giving them once known (the API's person is known only
    once it is authenticated); a kind not given means the whole table."""

    def __init__(
        self,
        scopes: dict[str, Callable[[], Iterable] | Iterable] | None = None,
        known: dict[str, int] | None = None,
    ) -> None:
        self.scopes = dict(scopes or {})
        self.tables: set[str] = set()
        self.generations: dict[str, int] = dict(known or {})
        self.failed = False

    def _values(self, kind: str) -> list | None:
        values = self.scopes.get(kind)
        if callable(values):
            values = self.scopes[kind] = values()
        if values is None:
            return None
        values = [value for value in values if value is not None]
        return values or None

    def keys_for(self, table: str) -> set[str]:
        depends_on, kind = _tables().get(table, (table, None))
        values = self._values(kind) if kind else None
        if values is None:
            return {generation_key(depends_on)}
        keys = {generation_key(depends_on, ANY)}
        keys.update(generation_key(depends_on, kind, value) for value in values)
        return keys

    def read(self, tables: Iterable[str]) -> None:
        new = set(tables) - self.tables
        if not new:
            return
        self.tables |= new
        keys = set().union(*(self.keys_for(table) for table in new)) - set(self.generations)
        self.add_keys(keys)

    def add_keys(self, keys: Iterable[str]) -> None:
        keys = set(keys) - set(self.generations)
        if not keys or self.failed:
            return
        try:
            self.generations.update(read_generations(keys))
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            self.failed = True

    def add(self, generations: dict[str, int]) -> None:
        """Depend on what a piece served from the cache recorded when it was rendered."""
        for key, value in generations.items():
            self.generations.setdefault(key, value)

    def __enter__(self) -> "Capture":
        self.add_keys({GENERATION_KEY})
        _local.captures.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _local.captures.remove(self)


def capturing() -> bool:
    """Whether a cached page or piece is being rendered now."""
    return bool(_local.captures)


def depends_on(table: str, **scope) -> None:
    """For a read that does not reach the database (a count kept in the cache): the pages
    being rendered depend on `table`, as if they had read it; `scope` (person=<id>) is what
    was read of it when the page's own scope does not say."""
    for capture in _local.captures:
        if not scope or all(capture._values(kind) for kind in scope):
            capture.read({table})
        else:
            keys = {generation_key(table, ANY)}
            keys.update(generation_key(table, kind, value) for kind, value in scope.items())
            capture.tables.add(table)
            capture.add_keys(keys)


def served(generations: dict[str, int]) -> None:
    """A piece served from the cache inside pages being rendered: they depend on what it
    depended on when it was rendered."""
    for capture in _local.captures:
        capture.add(generations)
