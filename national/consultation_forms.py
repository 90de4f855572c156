from django import forms

from commissioning.forms import NHSForm

from .forms import VersionForm, _date, _text
from .models import ConsultationResponse, CRGDocumentVersion


def _long(label: str, what: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": f"Enter {what}"},
    )


class ConsultationDetailsForm(NHSForm):
    title = _text("Title")
    summary = _long(
        "Summary",
        "a summary of the draft",
        "What the draft is and what has changed since the last version.",
    )
    questions = _long(
        "What feedback is sought",
        "what feedback is sought",
        "The questions the oversight groups and their CCGs or ICBs are asked.",
    )


class ConsultationOpenForm(ConsultationDetailsForm):
    document_version = forms.ModelChoiceField(
        label="Document version consulted on",
        queryset=CRGDocumentVersion.objects.none(),
        empty_label="Choose a version",
        error_messages={"required": "Choose the document version consulted on"},
    )
    opens_on = _date("Opening date")
    closes_on = _date("Closing date")
    field_order = ["document_version", "title", "summary", "questions", "opens_on", "closes_on"]

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_version"].queryset = versions
        self.fields["document_version"].label_from_instance = lambda v: (
            f"{v.document.title}, version {v.number} ({v.document.get_kind_display()})"
        )


class ConsultationEditForm(VersionForm, ConsultationDetailsForm):
    pass


class ConsultationExtendForm(VersionForm):
    closes_on = _date("New closing date")


class ResponseForm(NHSForm):
    position = forms.ChoiceField(
        label="Position on the draft",
        choices=ConsultationResponse.Position.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a position on the draft"},
    )
    body = _long(
        "Response",
        "the response",
        "The group's comments on the draft and answers to the questions asked.",
    )


class ResponseEditForm(VersionForm, ResponseForm):
    pass
