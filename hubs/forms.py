import datetime

from django import forms
from django.utils import timezone

from commissioning.forms import DateInput, NHSForm

from . import selectors


class AsAtForm(NHSForm):
    """The date whose organisations a register page shows (today unless chosen)."""

    on = forms.DateField(
        label="Show organisations as they were on",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 1 April 2015"},
        help_text="For example, 1 April 2015. Leave empty for today.",
    )

    def clean_on(self):
        day = self.cleaned_data.get("on")
        if day and day < datetime.date(2013, 4, 1):
            raise forms.ValidationError(
                "Enter a date on or after 1 April 2013, when CCGs were established"
            )
        return day

    def day(self) -> datetime.date:
        """The chosen date if valid, else today (the page shows the error beside the field)."""
        if self.is_valid() and self.cleaned_data.get("on"):
            return self.cleaned_data["on"]
        return timezone.localdate()


class CCGSearchForm(AsAtForm):
    q = forms.CharField(
        label="Search CCGs and ICBs by name or ODS code",
        required=False,
        max_length=100,
        help_text="For example, Sunderland, 00P or QHM",
    )
    include_closed = forms.BooleanField(
        label="Include organisations that had closed by that date", required=False
    )
    # A hub's page links here for the hub's own organisations, searchable (issue 20).
    hub = forms.ModelChoiceField(
        queryset=selectors.hub_choices(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That hub is not in the register"},
    )


def as_at(request) -> tuple[datetime.date, AsAtForm]:
    """The day a register page shows (today unless the visitor chose one), and its form."""
    form = AsAtForm(request.GET or None)
    return (form.day() if form.is_bound else timezone.localdate()), form
