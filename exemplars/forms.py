"""The exemplar project's forms (NHS.UK design system); each posts to one service."""

from django import forms

from commissioning.forms import DateInput, NHSForm
from hubs.models import CCG, IntegratedCareSystem
from oversight.models import OversightGroup

from . import selectors
from .models import Recommendation

DATE_ERRORS = {"invalid": "Enter a real date, for example 26 September 2018"}


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}"},
    )


def _text(label: str, missing: str = "", help_text: str = "") -> forms.CharField:
    """A free-text box; required when `missing` says what to do if it is empty."""
    return forms.CharField(
        label=label,
        required=bool(missing),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"required": missing} if missing else {},
    )


class VersionForm(NHSForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ExemplarForm(NHSForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Cardiology pathway exemplar.",
        error_messages={"required": "Enter the project's title"},
    )
    pathway = forms.CharField(
        label="Care pathway",
        max_length=100,
        help_text="For example, Cardiology.",
        error_messages={"required": "Enter the care pathway, for example Cardiology"},
    )
    scope = _text("Scope (optional)", help_text="What the project will explore, and what not.")
    start_date = _date("Start date")
    board = forms.ModelChoiceField(
        label="Overseen by (optional)",
        queryset=OversightGroup.objects.none(),
        required=False,
        empty_label="No strategy board",
    )

    def __init__(self, *args, system: IntegratedCareSystem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = selectors.boards_of(system)


class ExemplarEditForm(ExemplarForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseForm(VersionForm):
    closed_on = _date("Closed on")
    reason = _text("Why the project is closing", missing="Say why the project is closing")


class ServiceForm(NHSForm):
    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        error_messages={"required": "Enter the service's name"},
    )
    specialised = forms.TypedChoiceField(
        label="Commissioned as",
        choices=[("yes", "Specialised (NHS England)"), ("no", "Non-specialised (locally)")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the service is specialised"},
    )
    programme = forms.ModelChoiceField(
        label="Programme of Care (specialised services)",
        queryset=selectors.programmes(),
        to_field_name="slug",
        required=False,
        empty_label="None (not specialised)",
    )
    note = _text("Note (optional)")


class ServiceEditForm(ServiceForm):
    removed = forms.BooleanField(label="Removed from the pathway (kept on record)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ParticipantForm(NHSForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the participant's name"}
    )
    role = forms.CharField(
        label="Role on the project",
        max_length=200,
        help_text="For example, CCG representative for scoping.",
        error_messages={"required": "Enter their role on the project"},
    )
    commissioner = forms.ModelChoiceField(
        label="Represents a commissioner of the system (optional)",
        queryset=CCG.objects.none(),
        to_field_name="ods_code",
        required=False,
        empty_label="Not a commissioner's representative",
        help_text="The CCG or ICB must be in the system on the day they join.",
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="Leave empty for a commissioner's representative: the commissioner's name.",
    )
    joined_on = _date("Joined on")
    left_on = _date("Left on (optional)", required=False)

    def __init__(self, *args, system: IntegratedCareSystem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = selectors.commissioners_of(system)


class ParticipantEditForm(ParticipantForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MilestoneForm(NHSForm):
    title = forms.CharField(
        label="Milestone", max_length=200, error_messages={"required": "Enter the milestone"}
    )
    due_on = _date("Due on")
    done_on = _date("Done on (optional)", required=False)
    note = _text("Note (optional)")


class MilestoneEditForm(MilestoneForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportVersionForm(NHSForm):
    file = forms.FileField(
        label="Report file (PDF or Word .docx, up to 10 MB; optional if you enter the text)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        error_messages={"empty": "The file is empty: choose the report's file again."},
    )
    text = _text("Report text (optional if you upload a file)")
    change_summary = forms.CharField(
        label="What this version changes",
        max_length=500,
        help_text="For the first version, 'First version'.",
        error_messages={"required": "Say what this version changes"},
    )


class RecommendationForm(NHSForm):
    to = forms.ChoiceField(
        label="Made to",
        choices=Recommendation.To.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the recommendation is made to"},
    )
    text = _text("Recommendation", missing="Enter the recommendation")
    made_on = _date("Made on")


DECISIONS = [
    (Recommendation.Decision.AGREED, "Agreed"),
    (Recommendation.Decision.NOT_AGREED, "Not agreed"),
    (Recommendation.Decision.DEFERRED, "Deferred"),
]


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    decided_on = _date("Decided on")
    note = _text("Note", help_text="Needed if not agreed or deferred: why, and what next.")
