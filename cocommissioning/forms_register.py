"""Forms of the arrangements table, the application windows and the registers of interests, in
the NHS.UK design system (refusals beside their field with `apply_error`)."""

import datetime

from django import forms
from django.utils import timezone

from commissioning.forms import DateInput, NHSForm
from hubs.selectors import hub_choices, region_choices

from .models import Interest, Model
from .selectors import NO_MODEL

# The columns the arrangements table sorts by (?sort=), with their headings.
SORTS = {
    "ccg": "CCG",
    "model": "Model",
    "since": "Since",
    "region": "Region",
    "hub": "Hub",
    "area_team": "Area team (2013)",
}
MODEL_FILTER = [("", "Any model"), (NO_MODEL, "No co-commissioning"), *Model.choices]


class ArrangementFilterForm(NHSForm):
    """The table's date, filters and order: every date in its own time (today unless chosen)."""

    on = forms.DateField(
        label="Date",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 1 April 2015"},
        help_text="For example, 1 April 2015. Leave empty for today.",
    )
    region = forms.ModelChoiceField(
        label="Region",
        required=False,
        queryset=region_choices(),
        empty_label="All regions",
        to_field_name="slug",
    )
    hub = forms.ModelChoiceField(
        label="Hub",
        required=False,
        queryset=hub_choices(),
        empty_label="All hubs",
        to_field_name="slug",
    )
    model = forms.ChoiceField(label="Model", required=False, choices=MODEL_FILTER)

    def clean_on(self):
        day = self.cleaned_data.get("on")
        if day and day < datetime.date(2013, 4, 1):
            raise forms.ValidationError(
                "Enter a date on or after 1 April 2013, when CCGs were established"
            )
        return day

    def filters(self) -> dict:
        """The valid choices (an invalid one is ignored; its error shows beside the field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "day": data.get("on") or timezone.localdate(),
            "region": data.get("region"),
            "hub": data.get("hub"),
            "model": data.get("model") or "",
        }


class GreaterInvolvementForm(NHSForm):
    valid_from = forms.DateField(
        label="Greater involvement from",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date greater involvement begins",
            "invalid": "Enter a real date, for example 1 April 2015",
        },
        help_text="Agreed with the area team; no approval is needed. For example, 1 April 2015.",
    )


class InterestForm(NHSForm):
    person = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the person's name"}
    )
    position = forms.CharField(
        label="Position",
        max_length=200,
        help_text="For example, GP member, governing body.",
        error_messages={"required": "Enter the person's position"},
    )
    kind = forms.ChoiceField(
        label="Type of interest",
        choices=Interest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of interest"},
    )
    description = forms.CharField(
        label="Description of the interest",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the interest"},
    )
    managed_by = forms.CharField(
        label="How it is managed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, excluded from decisions on GP contracts.",
    )
    valid_from = forms.DateField(
        label="Interest from",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date the interest begins",
            "invalid": "Enter a real date, for example 1 April 2015",
        },
    )
    valid_to = forms.DateField(
        label="Interest to",
        required=False,
        widget=DateInput(),
        help_text="Leave empty if it continues.",
        error_messages={"invalid": "Enter a real date, for example 31 March 2016"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WindowForm(NHSForm):
    model = forms.ChoiceField(
        label="Model",
        choices=[(Model.JOINT, Model.JOINT.label), (Model.DELEGATED, Model.DELEGATED.label)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the model"},
    )
    go_live_on = forms.DateField(
        label="Go-live date",
        widget=DateInput(),
        help_text="The day arrangements go live, usually 1 April.",
        error_messages={
            "required": "Enter the go-live date",
            "invalid": "Enter a real date, for example 1 April 2017",
        },
    )
    submit_by = forms.DateField(
        label="Proposals due by",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date proposals are due",
            "invalid": "Enter a real date, for example 1 June 2016",
        },
    )
    sign_off_on = forms.DateField(
        label="Commissioning Committee sign-off",
        required=False,
        widget=DateInput(),
        help_text="Delegated only. Leave empty if not yet set.",
        error_messages={"invalid": "Enter a real date, for example 1 September 2016"},
    )
    source = forms.CharField(
        label="Source",
        max_length=200,
        required=False,
        help_text="Where the dates come from, for example a letter to CCGs.",
    )
