from django import forms

from commissioning.forms import DateInput, NHSForm
from hubs.models import CCG, Hub, IntegratedCareSystem, Place

DATE_ERRORS = {"invalid": "Enter a real date, for example 1 April 2018"}


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}"},
    )


class SystemForm(NHSForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the system's name"}
    )
    short_name = forms.CharField(label="Short name (optional)", max_length=20, required=False)
    kind = forms.ChoiceField(label="Kind", choices=IntegratedCareSystem.Kind.choices)
    hub = forms.ModelChoiceField(
        label="Specialised commissioning hub",
        queryset=Hub.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choose a hub",
        error_messages={"required": "Choose the hub the system is in"},
    )
    valid_from = _date("Start date")
    valid_to = _date("End date (optional)", required=False)


class SystemEditForm(SystemForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlaceForm(NHSForm):
    name = forms.CharField(
        label="Name of the place (ICP)",
        max_length=200,
        error_messages={"required": "Enter the place's name"},
    )
    valid_from = _date("Start date")
    valid_to = _date("End date (optional)", required=False)


class MemberForm(NHSForm):
    commissioner = forms.ModelChoiceField(
        label="Commissioner (CCG or ICB)",
        queryset=CCG.objects.order_by("name"),
        to_field_name="ods_code",
        empty_label="Choose a CCG or ICB",
        error_messages={"required": "Choose the commissioner"},
    )
    place = forms.ModelChoiceField(
        label="Place (optional)",
        queryset=Place.objects.none(),
        required=False,
        empty_label="Not in one place (the whole system)",
    )
    valid_from = _date("In the system from")
    valid_to = _date("Until (optional)", required=False)

    def __init__(self, *args, system: IntegratedCareSystem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = system.places.order_by("name")


class MemberEndForm(NHSForm):
    valid_to = _date("Left the system on")
