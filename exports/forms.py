import datetime

from django import forms

from commissioning.dates import nhs_date
from commissioning.forms import DateInput, NHSForm
from hubs.models import Hub


class HubFootprintExportForm(NHSForm):
    hub = forms.ModelChoiceField(
        queryset=Hub.objects.all(),
        to_field_name="slug",
        label="Hub",
        error_messages={"required": "Choose a hub", "invalid_choice": "Choose a hub"},
    )
    on = forms.DateField(
        label="Footprint on",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 1 April 2015"},
    )

    def clean_on(self) -> datetime.date | None:
        from commissioning.errors import RuleError

        from .services import check_export_day

        try:
            check_export_day(self.cleaned_data.get("on"))
        except RuleError as error:
            raise forms.ValidationError(str(error)) from None
        return self.cleaned_data.get("on")

    def export_args(self) -> dict:
        return hub_footprint_args(self.cleaned_data["hub"], self.cleaned_data.get("on"))


def hub_footprint_args(hub: Hub, day: datetime.date | None) -> dict:
    """The export_request arguments for a hub's footprint on `day` (today if None)."""
    return {
        "kind": "hub_footprint",
        "params": {"hub": hub.slug, "on": day.isoformat() if day else ""},
        "title": f"{hub.name} footprint" + (f" on {nhs_date(day)}" if day else ""),
    }
