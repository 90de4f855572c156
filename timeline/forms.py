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
    section = forms.CharField(
        label="Source (optional)",
        max_length=60,
        required=False,
        help_text="The seed section it comes from, for example “Seed 000 §4.1.1”.",
    )
    starts_on = forms.DateField(label="From (optional)", required=False, widget=DateInput)
    due_on = forms.DateField(
        label="Due by", widget=DateInput, error_messages={"required": "Enter the date it is due by"}
    )
    for_national_admins = forms.BooleanField(label="Concerns national admins", required=False)
    for_hub_staff = forms.BooleanField(label="Concerns hub staff", required=False)
    for_ccg_leads = forms.BooleanField(label="Concerns CCG leads", required=False)
    for_regional_teams = forms.BooleanField(label="Concerns regional teams", required=False)
    satisfied_by = forms.ChoiceField(
        label="Done when",
        choices=Satisfier.choices,
        initial=Satisfier.MANUAL,
        help_text="The record that shows a hub has met it; reminders stop the moment it exists.",
    )
    every_ccg = forms.BooleanField(
        label="Every CCG of the hub's footprint must meet it",
        required=False,
        help_text="Shows how many have (“4 of 11”) and is done only when all have.",
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


class EngagementMeetingForm(NHSForm):
    """A meeting or workshop of the hub with its CCGs (seed 000 §4.1.1)."""

    title = forms.CharField(
        label="What it was",
        max_length=200,
        initial="Workshop with the hub's CCGs",
        error_messages={"required": "Say what the meeting was"},
    )
    held_on = forms.DateField(
        label="Held on", widget=DateInput, error_messages={"required": "Enter the date it was held"}
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
