"""Optimistic locking: a change names the version it was made from, or it is refused.

Edits carry the record's `version` from the page the person started on. If someone else saved
in between, `lock_version` raises ConflictError listing what they changed (from the record's
history), and nothing is written; the person reviews and saves again on purpose.
"""

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Versioned(Protocol):
    """A row under optimistic locking: what a refusal reports back (its key and version)."""

    @property
    def pk(self) -> Any: ...

    @property
    def version(self) -> int: ...


@dataclass(frozen=True)
class Change:
    """One field a colleague changed: its label and values shown (`was` at the version the
    person opened, `now` saved since), and, when `lock_version` found them, the field's `name`
    and raw values so a conflict page can offer "take theirs" and a merge (issue 18)."""

    field: str
    was: str
    now: str
    name: str = ""
    before: Any = None
    after: Any = None
    known: bool = False


class ConflictError(Exception):
    def __init__(self, *, current: Versioned, changes: list[Change], by: str):
        self.current = current
        self.changes = changes
        self.by = by
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return (
            f"{self.saved_meanwhile()} Your changes were not saved. Look at what they saved, "
            "then save again if you still want yours."
        )

    def saved_meanwhile(self, *, skip: tuple[str, ...] = ()) -> str:
        """ "<Who> saved this while you were editing: <what changed>." — long texts are named,
        not printed whole (a conflict page shows them as a word diff); `skip` leaves out
        fields the page shows field by field."""
        what = "; ".join(_describe(c) for c in self.changes if not (c.name and c.name in skip))
        detail = f": {what}" if what else ""
        return f"{self.by} saved this while you were editing{detail}."


def _describe(change: Change) -> str:
    from .diffs import is_long

    if is_long(change.was, change.now):
        return f"{change.field} changed"
    return f"{change.field} is now “{change.now}” (was “{change.was}”)"


def _display(obj: models.Model, name: str) -> str:
    value = getattr(obj, name)
    display = getattr(obj, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    return "" if value is None else str(value)


def _raw(obj: Any, model: type[models.Model], name: str) -> Any:
    """The stored value (a related row's key, not the row), as a form would carry it."""
    field = model._meta.get_field(name)
    if isinstance(field, models.Field) and not field.many_to_many:
        return field.value_from_object(obj)
    return None


def _label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def lock_version(model: type[M], pk: int, version: int, fields: list[str]) -> M:
    """Lock and return the row if it is still at `version`; else raise ConflictError."""
    # Any: `version` and `history` are declared by each versioned model, not by Model.
    current: Any = model._default_manager.select_for_update().get(pk=pk)
    if current.version == version:
        return current
    base = current.history.filter(version=version).order_by("-history_id").first()
    changes = [
        Change(
            field=_label(model, name),
            was=_display(base, name) if base else "unknown",
            now=_display(current, name),
            name=name,
            before=_raw(base, model, name) if base else None,
            after=_raw(current, model, name),
            known=base is not None,
        )
        for name in fields
        if base is None or getattr(base, name) != getattr(current, name)
    ]
    latest = current.history.select_related("history_user").first()
    by = str(latest.history_user) if latest and latest.history_user else "Someone else"
    raise ConflictError(current=current, changes=changes, by=by)


def attribute_to(obj: models.Model, by) -> None:
    """Name `by` as the person making the next save of `obj` in its simple-history record
    (the library reads the instance's `_history_user`; this is the one place that sets it)."""
    obj._history_user = by  # type: ignore[attr-defined]  # simple-history's private hook


def save_versioned(obj: models.Model, *, by, fields: list[str]) -> None:
    """Save the changed `fields` of a row locked by `lock_version`, moving its version on by
    one and recording `by` in its history. Every optimistic-locked write ends here."""
    obj.version += 1  # type: ignore[attr-defined]  # each versioned model declares `version`
    attribute_to(obj, by)
    obj.save(update_fields=[*fields, "version"])


def create_recorded(model: type[M], *, by, **fields) -> M:
    """Create a row of `model`, its first history record naming `by`."""
    obj = model(**fields)
    attribute_to(obj, by)
    obj.save()
    return obj
