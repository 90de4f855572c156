"""What each recorded change changed, field by field, old → new (issue 18, finding 2; the
product adds this). Audit events name the fields a save changed (`data["fields"]`); the record's
django-simple-history rows already keep every saved version, so the previous text is read from
them, never stored again. History pages show each changed field as a word diff."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.safestring import SafeString

from . import dates
from .diffs import is_long, word_diff

# Fields whose values mean nothing to read (a stored file's name, its size and type).
_UNREADABLE = {"file", "original_filename", "content_type", "size", "version"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    was: str
    now: str
    long: bool

    @property
    def diff(self) -> SafeString:
        return word_diff(self.was, self.now)


def _shown(field, value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return dates.nhs_datetime(value)
    if isinstance(value, date):
        return dates.nhs_date(value)
    return str(value)


def _changes(model, before: Any, after: Any, names: list[str]) -> list[FieldChange]:
    found = []
    for name in names:
        if name in _UNREADABLE:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many or field.is_relation:
            continue  # a related row's key says nothing; the event's own words do
        was, now = getattr(before, field.attname, None), getattr(after, field.attname, None)
        if was == now:
            continue
        long = isinstance(was, str) and isinstance(now, str) and is_long(was, now)
        found.append(
            FieldChange(
                label=str(field.verbose_name).capitalize(),
                was=str(was) if long else _shown(field, was),
                now=str(now) if long else _shown(field, now),
                long=long,
            )
        )
    return found


def _saved_at_or_before(rows: list, at: datetime) -> int | None:
    """The index of the last history row saved no later than `at` (rows oldest first)."""
    index = None
    for i, row in enumerate(rows):
        if row.history_date <= at:
            index = i
        else:
            break
    return index


def with_field_changes(events) -> list:
    """`events` (audit events, any order) as a list, each with `field_changes`: the fields it
    names, old → new, read from its record's history rows (one query per kind of record)."""
    events = list(events)
    wanted: dict[str, set[str]] = {}
    for event in events:
        event.field_changes = []
        if isinstance(event.data, dict) and event.data.get("fields"):
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    rows_by_target: dict[tuple[str, str], list] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        history = getattr(model, "history", None)
        if history is None:
            continue
        pk = model._meta.pk.attname
        for row in history.filter(**{f"{pk}__in": list(ids)}).order_by(
            pk, "history_date", "history_id"
        ):
            rows_by_target.setdefault((label, str(getattr(row, pk))), []).append(row)
    for event in events:
        rows = rows_by_target.get((event.target_type, event.target_id))
        if not rows or not (isinstance(event.data, dict) and event.data.get("fields")):
            continue
        index = _saved_at_or_before(rows, event.at)
        if not index:  # no row, or the first one: nothing earlier to compare with
            continue
        model = apps.get_model(event.target_type)
        event.field_changes = _changes(model, rows[index - 1], rows[index], event.data["fields"])
    return events


def with_row_changes(history, fields: list[str], *, limit: int = 20) -> list:
    """The newest `limit` of a record's own history rows (a simple-history queryset, newest
    first), each with `field_changes`: which of `fields` it changed from the row before it,
    old → new. One query (one row more than shown, to compare the oldest shown with)."""
    rows = list(history[: limit + 1])
    for i, newer in enumerate(rows):
        older = rows[i + 1] if i + 1 < len(rows) else None
        newer.field_changes = (
            _changes(newer.instance_type, older, newer, fields) if older is not None else []
        )
    return rows[:limit]
