from django import forms

from commissioning.forms import DateInput, NHSForm
from oversight.forms import VersionedForm
from oversight.models import Committee

from .models import Action, AgendaItem, Meeting, Recommendation


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(NHSForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the meeting"}
    )
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="For example, 2015-04-21 at 14:00",
        error_messages={
            "required": "Enter the date and time",
            "invalid": "Enter a real date and time",
        },
    )
    location = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        help_text="Leave empty for an online-only meeting.",
    )
    online = forms.BooleanField(label="Online (or with an online option)", required=False)


class CommitteeForm(VersionedForm):
    """A committee's name, purpose and quorum rule (its terms of reference)."""

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the committee's name"}
    )
    purpose = forms.CharField(
        label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quorum_chair_or_vice_required = forms.BooleanField(
        label=Committee._meta.get_field("quorum_chair_or_vice_required").verbose_name.capitalize(),
        required=False,
    )
    quorum_min_voting_members = forms.IntegerField(
        label="Voting members present for a quorum, at least",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Enter how many voting members make a quorum",
            "min_value": "At least one voting member must be present for a quorum",
            "max_value": "Enter a number no more than 50",
        },
    )
    quorum_min_ccg_members = forms.IntegerField(
        label="Of them, voting CCG members, at least",
        min_value=0,
        max_value=50,
        error_messages={
            "required": "Enter how many voting CCG members make a quorum (0 for none)",
            "min_value": "Enter 0 or more",
            "max_value": "Enter a number no more than 50",
        },
    )


class MeetingEditForm(VersionedForm, MeetingForm):
    status = forms.ChoiceField(label="Status", choices=Meeting.Status.choices)
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class ItemForm(NHSForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the item's title"}
    )
    purpose = forms.ChoiceField(label="Purpose", choices=AgendaItem.Purpose.choices)
    summary = forms.CharField(
        label="Summary and papers", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ItemEditForm(VersionedForm, ItemForm):
    decision = forms.CharField(
        label="Decision or outcome", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DeclarationForm(NHSForm):
    member = forms.ModelChoiceField(
        label="Member",
        queryset=None,
        empty_label="Choose a member",
        error_messages={"required": "Choose the member"},
    )
    interest = forms.CharField(
        label="Interest declared",
        max_length=300,
        error_messages={"required": "Describe the interest"},
    )
    managed_by = forms.CharField(
        label="How it was managed",
        max_length=300,
        help_text="For example, left the room for the item; took no part in the decision.",
        error_messages={"required": "Say how the conflict was managed"},
    )
    excluded = forms.BooleanField(
        label="They took no part in the item's decision",
        required=False,
        help_text="The decision records them as excluded, and they do not count to the quorum.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ActionForm(NHSForm):
    description = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Describe the action"}
    )
    owner = forms.CharField(
        label="Owner", max_length=150, error_messages={"required": "Enter who owns the action"}
    )
    due_date = forms.DateField(
        label="Due",
        widget=DateInput(),
        error_messages={"required": "Enter the due date", "invalid": "Enter a real date"},
    )


class ActionEditForm(VersionedForm, ActionForm):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)


class RecommendationForm(NHSForm):
    title = forms.CharField(
        label="Recommendation",
        max_length=200,
        error_messages={"required": "Enter the recommendation"},
    )
    detail = forms.CharField(
        label="Detail and reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the detail and reasons"},
    )


class ResponseForm(VersionedForm):
    status = forms.ChoiceField(
        label="The region's response",
        choices=[c for c in Recommendation.Status.choices if c[0] != "awaiting"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the region's response"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the region's rationale"},
    )


class PaperForm(NHSForm):
    title = forms.CharField(
        label="Title of the paper",
        max_length=200,
        error_messages={"required": "Enter the paper's title"},
    )
    file = forms.FileField(
        label="File (PDF or Word .docx, up to 10 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        error_messages={"required": "Choose the file to attach"},
    )
