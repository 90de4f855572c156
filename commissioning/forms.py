"""Forms in the NHS.UK design system: classes, error styling and ARIA wiring on every widget."""

import datetime

from django import forms
from django.forms.boundfield import BoundField
from django.http import QueryDict

from .conflicts import add_pending_errors, apply_choices, take_conflicts
from .dates import nhs_date, parse_typed_date
from .limits import LONG_TEXT, LongTextValidator, hint
from .numbers import number, parse_money

_WIDGET_CLASS = {
    forms.Select: "nhsuk-select",
    forms.Textarea: "nhsuk-textarea",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
}


class NHSBoundField(BoundField):
    """Adds the design system's classes and error modifier to each widget."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = next(
            (name for kind, name in _WIDGET_CLASS.items() if isinstance(widget, kind)),
            "nhsuk-input",
        )
        # The widget's own classes (a width such as nhsuk-input--width-10) are kept too.
        classes = [css, widget.attrs.get("class", ""), attrs.get("class", "")]
        # Django itself adds aria-invalid and points aria-describedby at "<id>_error".
        if self.errors and css != "nhsuk-checkboxes__input":
            classes.append(f"{css}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs

    @property
    def conflict(self):
        """This field's edit conflict, if a colleague saved it first (commissioning.conflicts)."""
        return getattr(self.form, "conflicts", {}).get(self.name)


class LongTextLimits:
    """Every free-text box (a CharField on a Textarea with no limit of its own) takes at most
    LONG_TEXT characters, says so in its hint and refuses more beside the field (issue 14)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not (
                isinstance(field, forms.CharField)
                and isinstance(field.widget, forms.Textarea)
                and field.max_length is None
            ):
                continue
            field.max_length = LONG_TEXT
            field.validators.append(LongTextValidator(LONG_TEXT))
            field.help_text = f"{field.help_text} {hint()}".strip()


DATE_EXAMPLE = "1 April 2015"


class DateBoxes:
    """Every date box says how to write a date and refuses anything else in the same words
    (issue 18): a field with no example of its own gets "For example, 1 April 2015", and Django's
    "Enter a valid date." becomes "Enter a real date, for example 1 April 2015"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, DateInput):
                continue
            if "example" not in str(field.help_text).lower():
                field.help_text = f"{field.help_text} For example, {DATE_EXAMPLE}".strip()
            if (
                field.error_messages.get("invalid")
                == forms.DateField.default_error_messages["invalid"]
            ):
                field.error_messages["invalid"] = f"Enter a real date, for example {DATE_EXAMPLE}"


class ConflictChoices:
    """After an edit conflict, the person's per-field choice (take theirs, keep mine, merged)
    becomes the field's value before validation (issue 18; commissioning.conflicts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            apply_choices(self)

    def full_clean(self):
        super().full_clean()
        add_pending_errors(self)


class NHSForm(ConflictChoices, DateBoxes, LongTextLimits, forms.Form):
    bound_field_class = NHSBoundField


class NHSModelForm(ConflictChoices, DateBoxes, LongTextLimits, forms.ModelForm):
    bound_field_class = NHSBoundField


class DateInput(forms.TextInput):
    """A text box for a date in the NHS style, "1 April 2015" (issue 18: the browser's own date
    box showed mm/dd/yyyy beside hints in another format). It takes what people type ("1 April
    2015", "1 Apr 2015", "1/4/2015", or ISO 2015-04-01) and hands the field ISO 8601, so every
    DateField on it accepts them all; anything else reaches the field as typed and is refused
    beside the box. The product adds this; no seed asks for it."""

    def __init__(self, attrs=None):
        defaults = {"class": "nhsuk-input--width-20", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        day = value if isinstance(value, datetime.date) else None
        if isinstance(value, str):
            day = parse_typed_date(value)
        return nhs_date(day) if day is not None else super().format_value(value)

    def value_from_datadict(self, data, files, name):
        typed = super().value_from_datadict(data, files, name)
        day = parse_typed_date(typed) if isinstance(typed, str) else None
        return day.isoformat() if day is not None else typed


def apply_error(form: forms.Form, error: Exception) -> None:
    """Put a service's refusal beside the field it concerns (or in the error summary). After a
    version conflict the form takes the current version, so saving again is a deliberate act."""
    from .concurrency import ConflictError

    if isinstance(error, ConflictError):
        take_conflicts(form, error)
        data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
        data[form.add_prefix("version")] = str(error.current.version)  # prefixed forms too
        form.data = data
    else:
        for each in getattr(error, "errors", [error]):  # every refusal at once (raise_all)
            field = getattr(each, "field", None)
            form.add_error(field if field in form.fields else None, str(each))


class MoneyField(forms.DecimalField):
    """An amount in pounds that takes what people type: "250000", "250,000" or "£250,000"
    (issue 18, finding 8), and shows a stored amount back with its commas ("250,000")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.setdefault("localize", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(parse_money(value) if isinstance(value, str) else value)

    def prepare_value(self, value):
        if value in (None, "") or isinstance(value, str):
            return value
        return number(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # A text box: "£250,000" is not a number to the browser (step/min would refuse it).
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        attrs.setdefault("spellcheck", "false")
        attrs.setdefault("class", "nhsuk-input--width-10")  # an amount, not a sentence
        return attrs
