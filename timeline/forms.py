from django import forms

from commissioning.forms import DateInput, NHSForm
from oversight.forms import VersionedForm

from .models import NotificationPreference, Satisfier


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2013, max_value=2100, required=False)


class MilestoneForm(NHSForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the milestone a title"}
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label="From (optional)", required=False, widget=DateInput)
    due_on = forms.DateField(
        label="Due by", widget=DateInput, error_messages={"required": "Enter the date it is due by"}
    )
    for_hub_staff = forms.BooleanField(label="Concerns hub staff", required=False)
    for_ccg_leads = forms.BooleanField(label="Concerns CCG leads", required=False)
    for_regional_teams = forms.BooleanField(label="Concerns regional teams", required=False)
    satisfied_by = forms.ChoiceField(
        label="Done when",
        choices=Satisfier.choices,
        initial=Satisfier.MANUAL,
        help_text="The record that shows a hub has met it; reminders stop the moment it exists.",
    )


class MilestoneEditForm(VersionedForm, MilestoneForm):
    pass


class PreferenceForm(NHSForm):
    email = forms.ChoiceField(
        label="Email me reminders",
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
        help_text="Deadlines on the day and escalations are always emailed at once.",
    )
    mute_non_essential = forms.BooleanField(
        label="Mute reminders that are not essential (they still appear in your inbox)",
        required=False,
    )
