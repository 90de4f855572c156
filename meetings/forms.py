import re
from datetime import datetime

from django import forms
from django.utils import timezone

from commissioning.dates import month_number
from commissioning.forms import DateInput, NHSForm
from oversight.forms import VersionedForm
from oversight.models import Committee

from .models import Action, AgendaItem, Meeting, Recommendation

_DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s/.-]+(?P<month>[a-z]+|\d{1,2})[\s/.-]+(?P<year>\d{4})"
    r"(?:,?\s*(?:at\s+)?|t)(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?$"
)
_ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})[t\s]+(?:at\s+)?"
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?$"
)


def parse_meeting_time(text: str) -> datetime | None:
    """A date and time as people type it, in the service's time zone (Europe/London): "21 April
    2015 at 2pm", "21/4/2015 14:00", "21 Apr 2015 2.30pm" or "2015-04-21T14:00". None if it is
    not a real date and time."""
    text = " ".join(text.strip().lower().split())
    match = _DAY_FIRST.match(text) or _ISO.match(text)
    if match is None:
        return None
    month = month_number(match["month"])
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    try:
        return datetime(
            int(match["year"]),
            month or 0,
            int(match["day"]),
            hour,
            minute,
            tzinfo=timezone.get_current_timezone(),
        )
    except ValueError:
        return None


def meeting_time_label(value: datetime) -> str:
    """The NHS style, as the hint shows it: "21 April 2015 at 2pm", "21 April 2015 at 2:30pm"."""
    hour = value.hour % 12 or 12
    minute = f":{value.minute:02d}" if value.minute else ""
    return f"{value.day} {value:%B %Y} at {hour}{minute}{'am' if value.hour < 12 else 'pm'}"


class MeetingTimeInput(forms.TextInput):
    """A text box in the NHS date style (issue 18: a datetime-local box showed the browser's
    mm/dd/yyyy beside a hint in another format). The product adds this; no seed asks for it."""

    def format_value(self, value):
        if isinstance(value, datetime):
            return meeting_time_label(
                timezone.localtime(value) if timezone.is_aware(value) else value
            )
        return super().format_value(value)


class MeetingTimeField(forms.DateTimeField):
    widget = MeetingTimeInput

    def to_python(self, value):
        if isinstance(value, datetime) or value in self.empty_values:
            return super().to_python(value)
        parsed = parse_meeting_time(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class MeetingForm(NHSForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the meeting"}
    )
    starts_at = MeetingTimeField(
        label="Date and time",
        help_text="For example, 21 April 2015 at 2pm",
        error_messages={
            "required": "Enter the date and time",
            "invalid": "Enter a real date and time, for example 21 April 2015 at 2pm",
        },
    )
    # The online box comes before the place: a meeting held online only needs no place
    # (meetings.services.meeting_create's rule), and the hint says how to say so.
    online = forms.BooleanField(label="Online (or with an online option)", required=False)
    location = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        help_text="Where people meet in person. Leave empty only if the meeting is online only "
        "(tick “Online” above).",
    )


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
