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
    field: str
    was: str
    now: str


class ConflictError(Exception):
    def __init__(self, *, current: Versioned, changes: list[Change], by: str):
        self.current = current
        self.changes = changes
        self.by = by
        super().__init__(self.message)

    @property
    def message(self) -> str:
        what = "; ".join(f"{c.field} is now “{c.now}” (was “{c.was}”)" for c in self.changes)
        detail = f": {what}" if what else ""
        return (
            f"{self.by} changed this record after you opened it{detail}. Your changes were not "
            "saved. Check the current values below, then save again if you still want yours."
        )


def _display(obj: models.Model, name: str) -> str:
    value = getattr(obj, name)
    display = getattr(obj, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    return "" if value is None else str(value)


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
