from django import forms
from django.utils import timezone

from commissioning.dates import financial_year_label
from commissioning.forms import DateInput, NHSForm
from hubs.models import CCG, ProgrammeOfCare, Region
from meetings.models import Meeting

from .models import ClinicalReferenceGroup, CRGDocument, LeadershipSeat, ServiceReview

DATE_ERRORS = {"invalid": "Enter a real date, for example 1 April 2016"}


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}"},
    )


def _text(label: str, required: bool = True, max_length: int = 200) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class VersionForm(NHSForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HoldingForm(NHSForm):
    seat = forms.ChoiceField(label="Seat", choices=LeadershipSeat.choices)
    name = _text("Name")
    organisation = _text("Organisation")
    email = forms.EmailField(label="Email (optional)", required=False)
    start_date = _date("From")
    end_date = _date("Until (optional)", required=False)


class HoldingEditForm(VersionForm):
    name = _text("Name")
    organisation = _text("Organisation")
    email = forms.EmailField(label="Email (optional)", required=False)
    start_date = _date("From")
    end_date = _date("Until (optional)", required=False)


class CRGForm(NHSForm):
    name = _text("Name")
    programme = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=ProgrammeOfCare.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choose a Programme of Care",
        error_messages={"required": "Choose the CRG's Programme of Care"},
    )
    chair = _text("Chair (optional)", required=False)


class CRGCreateForm(CRGForm):
    with_seats = forms.BooleanField(
        label="Add its four local commissioner seats, one per region",
        required=False,
        initial=True,
    )


class CRGEditForm(CRGForm):
    archived = forms.BooleanField(label="Archived (no longer meets)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SeatForm(NHSForm):
    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choose a region",
        error_messages={"required": "Choose the seat's region"},
    )


class DocumentForm(NHSForm):
    title = _text("Title")
    kind = forms.ChoiceField(label="Kind", choices=CRGDocument.Kind.choices)
    url = forms.URLField(
        label="Link (optional)", required=False, max_length=500, assume_scheme="https"
    )
    file = forms.FileField(
        label="Upload the document (optional, PDF or Word .docx)", required=False
    )


class DocumentVersionForm(NHSForm):
    file = forms.FileField(
        label="New version (PDF or Word .docx)",
        error_messages={"required": "Choose the file to upload"},
    )


class NominationForm(NHSForm):
    meeting = forms.ModelChoiceField(
        label="Held meeting at which the group nominated",
        queryset=Meeting.objects.none(),
        empty_label="Choose a meeting",
        error_messages={"required": "Choose the meeting"},
    )
    nominee_name = _text("Nominee's name")
    job_title = _text("Job title")
    ccg = forms.ModelChoiceField(
        label="CCG or ICB",
        queryset=CCG.objects.none(),
        to_field_name="ods_code",
        empty_label="Choose the nominee's CCG or ICB",
        error_messages={"required": "Choose the nominee's CCG or ICB"},
    )
    email = forms.EmailField(label="Email", error_messages={"required": "Enter the email"})
    term_start = _date("Term starts")
    term_end = _date("Term ends")

    def __init__(self, *args, meetings, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.group.name}: {m}"
        self.fields["ccg"].queryset = commissioners


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label="Why is the nomination declined?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say why the nomination is declined"},
    )


def _review_years() -> list[tuple[int, str]]:
    """The financial years a national review may be recorded for: from 2013/14 (when NHS England
    took on specialised commissioning) to five years ahead."""
    last = timezone.localdate().year + 5
    return [(y, financial_year_label(y)) for y in range(2013, last + 1)]


class ServiceReviewForm(NHSForm):
    """A national service review (issue 17 part 4; seed 000 §3.6)."""

    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=_review_years,
        error_messages={"required": "Choose the financial year"},
    )
    title = _text("Service reviewed")
    programme = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=ProgrammeOfCare.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choose a Programme of Care",
        error_messages={"required": "Choose the review's Programme of Care"},
    )
    crg = forms.ModelChoiceField(
        label="Clinical Reference Group (optional)",
        help_text="One of the Programme of Care's CRGs, when the review is of its services.",
        queryset=ClinicalReferenceGroup.objects.select_related("programme").order_by("name"),
        required=False,
        empty_label="None",
    )
    scope = forms.CharField(
        label="Scope",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the review's scope"},
    )
    lead = _text("Review lead")
    start_date = _date("Starts")
    end_date = _date("Ends (optional)", required=False)
    status = forms.ChoiceField(
        label="Status", choices=ServiceReview.Status.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crg"].label_from_instance = lambda c: (
            f"{c.name} ({c.programme.name}){' (archived)' if c.archived else ''}"
        )


class ServiceReviewEditForm(ServiceReviewForm):
    archived = forms.BooleanField(
        label="Archived (kept on record, out of the year's list and the joint programme)",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
