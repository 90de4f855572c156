"""The edit-conflict page, field by field (issue 18, finding 2; the product adds this).

When `lock_version` refuses a save because a colleague saved first, `conflicts_from_error`
turns each field they changed into a `FieldConflict`: what they saved and what you typed, the
changes marked word by word for long text, and a choice — take theirs, keep yours, or (long
text) edit a merged version pre-filled with both people's changes. The choice travels back
with the form (hidden inputs, no JavaScript needed) and `apply_choices` puts the chosen value
in the field before the form validates, so the next save carries the new version number and
succeeds, and nothing of the colleague's is lost without the person choosing so.

Every form that can conflict uses this through `commissioning.forms` (NHSForm/NHSModelForm
and `apply_error`) and one partial, `_partials/conflict_field.html`.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString

from .diffs import is_long, merge, word_diff

PREFIX = "_conflict"
THEIRS, MINE, MERGED = "theirs", "mine", "merged"


@dataclass
class FieldConflict:
    name: str
    label: str
    by: str
    long: bool
    theirs: str
    mine: str
    base: str | None
    theirs_shown: str
    mine_shown: str
    base_shown: str
    merged: str = ""
    clash: bool = False
    choice: str = ""
    error: str = ""
    field_id: str = ""

    @property
    def theirs_html(self) -> SafeString:
        if self.long and self.base is not None:
            return word_diff(self.base, self.theirs)
        return linebreaksbr(self.theirs_shown)

    @property
    def mine_html(self) -> SafeString:
        if self.long:
            return word_diff(self.base if self.base is not None else self.theirs, self.mine)
        return linebreaksbr(self.mine_shown)

    @property
    def against(self) -> str:
        return "the version you opened" if self.base is not None else "what they saved"

    @property
    def choices(self) -> list[tuple[str, str, str, str]]:
        """(value, label, hint, input id) of each way out, in the order offered. The first
        radio of a short field, or the merged box of a long one, takes the field's own id, so
        the error summary's link lands on it."""
        options = [
            (THEIRS, f"Take theirs ({self.by})", "Your change to this field is dropped."),
            (MINE, "Keep yours", "What they saved in this field is replaced by yours."),
        ]
        if self.long:
            options.append(
                (
                    MERGED,
                    "Keep both: use the merged version below",
                    "Their changes and yours, combined. You can change it.",
                )
            )
        return [
            (value, label, hint, self._radio_id(value, first=i == 0))
            for i, (value, label, hint) in enumerate(options)
        ]

    @property
    def first_input_id(self) -> str:
        """Where the error summary's link for this field lands: its first choice."""
        return self.choices[0][3]

    def _radio_id(self, value: str, *, first: bool) -> str:
        if first and not self.long and self.field_id:
            return self.field_id
        return f"conflict-{self.name}-{value}"


def _encode(field: forms.Field, raw: Any) -> str:
    """A stored value as the form posts it (a choice's key, a date as the box shows it)."""
    if raw is None:
        return ""
    if isinstance(field, forms.ModelChoiceField):
        return str(getattr(raw, "pk", raw))
    if isinstance(field, forms.BooleanField):
        return "on" if raw else ""
    if isinstance(field, forms.ChoiceField):
        coerce = getattr(field, "coerce", None)
        for key, _label in field.choices:  # type: ignore[union-attr,misc]  # a list by now
            if key == raw or str(key) == str(raw) or (coerce and _coerced(coerce, key) == raw):
                return str(key)
        return str(raw)
    value = field.widget.format_value(field.prepare_value(raw))
    return "" if value is None else str(value)


def _coerced(coerce, key) -> Any:
    try:
        return coerce(key)
    except (TypeError, ValueError):
        return None


def _shown(field: forms.Field, value: str) -> str:
    """A posted value as a person reads it (a choice's label, "Yes"/"No" for a box)."""
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        for key, label in field.choices:  # type: ignore[union-attr,misc]  # a list by now
            if str(key) == value:
                return str(label)
    return value if value != "" else "(empty)"


def _resolvable(field: forms.Field) -> bool:
    return not isinstance(field, forms.MultipleChoiceField | forms.FileField) and not (
        field.widget.is_hidden
    )


def _mine(form: forms.Form, name: str) -> str:
    value = form.data.get(form.add_prefix(name), "")
    return value if isinstance(value, str) else str(value)


def _build(form, name: str, *, by: str, theirs: str, mine: str, base: str | None, choice=""):
    field = form.fields[name]
    long = isinstance(field, forms.CharField) and is_long(theirs, mine, base or "")
    conflict = FieldConflict(
        name=name,
        label=str(field.label or name),
        by=by,
        long=long,
        theirs=theirs,
        mine=mine,
        base=base,
        theirs_shown=_shown(field, theirs),
        mine_shown=_shown(field, mine),
        base_shown=_shown(field, base) if base is not None else "unknown",
        field_id=form[name].id_for_label,
    )
    if long:
        conflict.merged, conflict.clash = merge(base if base is not None else "", theirs, mine)
    if choice:
        conflict.choice = choice
    elif base is not None and mine == base:
        conflict.choice = THEIRS  # you did not touch it: theirs stands unless you say so
    elif long:
        conflict.choice = MERGED
    return conflict


def conflicts_from_error(form: forms.Form, error) -> dict[str, FieldConflict]:
    """Each form field a colleague changed (and you typed differently), as a FieldConflict."""
    found: dict[str, FieldConflict] = {}
    for change in error.changes:
        field = form.fields.get(change.name) if change.name else None
        if field is None or not _resolvable(field):
            continue
        theirs = _encode(field, change.after)
        base = _encode(field, change.before) if change.known else None
        mine = _mine(form, change.name)
        if mine == theirs:
            continue  # you both made the same change: nothing to choose
        found[change.name] = _build(
            form, change.name, by=error.by, theirs=theirs, mine=mine, base=base
        )
    return found


def apply_choices(form: forms.Form) -> None:
    """Before validation: put each conflicted field's chosen value in the form's data. A field
    left without a choice keeps its comparison and gets an error beside it."""
    data = form.data
    names = data.getlist(PREFIX) if isinstance(data, QueryDict) else []
    if not names:
        return
    data = data.copy()  # type: ignore[attr-defined]  # a QueryDict, checked above
    pending: dict[str, FieldConflict] = {}
    for name in names:
        if name not in form.fields:
            continue
        key = form.add_prefix(name)
        theirs = data.get(f"{PREFIX}-theirs-{name}", "")
        mine = data.get(f"{PREFIX}-mine-{name}", "")
        choice = data.get(f"{PREFIX}-choice-{name}", "")
        if choice == THEIRS:
            data[key] = theirs
        elif choice == MINE:
            data[key] = mine
        elif choice == MERGED:
            continue  # the merged box is posted under the field's own name
        else:
            base = data.get(f"{PREFIX}-base-{name}") if f"{PREFIX}-base-{name}" in data else None
            pending[name] = _build(
                form,
                name,
                by=data.get(f"{PREFIX}-by", "Someone else"),
                theirs=theirs,
                mine=mine,
                base=base,
            )
            pending[name].choice = ""
            pending[
                name
            ].error = f"Choose whether to take their {pending[name].label.lower()} or keep yours"
    form.data = data
    form.conflicts = pending  # type: ignore[attr-defined]


def add_pending_errors(form: forms.Form) -> None:
    """After validation: a conflicted field still without a choice is an error beside it."""
    pending: dict[str, FieldConflict] = getattr(form, "conflicts", {})
    for name, conflict in pending.items():
        if conflict.error and name in form.fields:
            form.add_error(name, conflict.error)


def take_conflicts(form: forms.Form, error) -> None:
    """On a ConflictError: the page shows each changed field to choose on, and the summary
    names only what is not shown field by field."""
    found = conflicts_from_error(form, error)
    form.conflicts = found  # type: ignore[attr-defined]
    shown = tuple(found)
    if shown:
        form.add_error(
            None,
            f"{error.saved_meanwhile(skip=shown)} Your changes were not saved. For each field "
            "they changed, below, compare what they saved with what you typed and choose which "
            "to keep, then save again.",
        )
    else:
        form.add_error(None, error.message)
