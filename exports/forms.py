from django import forms

from commissioning.forms import DateInput, NHSForm
from hubs.models import Hub


class HubFootprintExportForm(NHSForm):
    hub = forms.ModelChoiceField(
        queryset=Hub.objects.all(),
        to_field_name="slug",
        error_messages={"required": "Choose a hub", "invalid_choice": "Choose a hub"},
    )
    on = forms.DateField(
        label="Footprint on",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a real date, for example 2015-04-01"},
    )

    def export_args(self) -> dict:
        hub, day = self.cleaned_data["hub"], self.cleaned_data.get("on")
        on = day.isoformat() if day else ""
        return {
            "kind": "hub_footprint",
            "params": {"hub": hub.slug, "on": on},
            "title": f"{hub.name} footprint" + (f" on {day:%-d %B %Y}" if day else ""),
        }
