"""Forms for co-commissioning applications (seed 002). They check shape only; the workflow's
rules are the services', whose refusals land beside the field they name."""

import datetime
import functools
import operator

from django import forms

from commissioning.dates import nhs_date
from commissioning.forms import NHSForm
from hubs.models import CCG
from hubs.querysets import valid_on_q

from .models import AgendaEntry, ConflictsReview, Document, Function, Model


class VersionedForm(NHSForm):
    """Carries the version of the application the person started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


MODEL_CHOICES = [
    (Model.JOINT, "Joint commissioning: a joint committee with NHS England"),
    (Model.DELEGATED, "Delegated commissioning: the CCG takes on the functions"),
]
FUNCTIONS_HINT = (
    "Delegated commissioning only. QOF can be delegated only with full delegation (every "
    "function). Joint committees take no functions of their own here."
)


def go_live_choices(windows) -> list[tuple[str, str]]:
    """One choice per go-live date the open windows offer, with each model's deadline."""
    by_day: dict = {}
    for window in windows:
        due = f"{window.get_model_display().lower()}: proposals due by {nhs_date(window.submit_by)}"
        if window.sign_off_on:
            due += f", signed off on {nhs_date(window.sign_off_on)}"
        by_day.setdefault(window.go_live_on, []).append(due)
    return [
        (day.isoformat(), f"{nhs_date(day)} ({'; '.join(dues)})")
        for day, dues in sorted(by_day.items())
    ]


class ApplicationEditForm(VersionedForm):
    go_live_on = forms.TypedChoiceField(
        label="Go-live date",
        coerce=datetime.date.fromisoformat,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the go-live date"},
    )
    functions = forms.MultipleChoiceField(
        label="Functions the CCG will take on",
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=FUNCTIONS_HINT,
    )
    pooled_budget = forms.BooleanField(
        label="The joint committee will have a pooled budget (joint commissioning only)",
        required=False,
    )
    summary = forms.CharField(
        label="Summary of the proposal",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["go_live_on"].choices = go_live_choices(windows)


class ApplicationCreateForm(ApplicationEditForm):
    field_order = ["lead_ccg", "model", "go_live_on", "functions", "partners"]

    lead_ccg = forms.ModelChoiceField(
        label="Lead CCG",
        queryset=CCG.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the CCG applying"},
    )
    model = forms.ChoiceField(
        label="Form of co-commissioning",
        choices=MODEL_CHOICES,
        widget=forms.RadioSelect,
        help_text=(
            "Greater involvement needs no application: it is recorded as the CCG's arrangement."
        ),
        error_messages={"required": "Choose joint or delegated commissioning"},
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partner CCGs in the joint committee (joint commissioning only)",
        queryset=CCG.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="CCGs of the same region open on the go-live date.",
    )

    def __init__(self, *args, lead_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        ids = list(lead_ids)
        leads = list(CCG.objects.filter(pk__in=ids).select_related("hub").order_by("name"))
        self.fields["lead_ccg"].queryset = CCG.objects.filter(pk__in=ids).order_by("name")
        if len(leads) == 1:
            self.fields["lead_ccg"].widget = forms.HiddenInput()
            self.fields["lead_ccg"].initial = leads[0].pk
        days = [day for day, _ in self.fields["go_live_on"].choices]
        regions = {c.hub.region_id for c in leads if c.hub_id}
        partners = CCG.objects.filter(kind=CCG.Kind.CCG, hub__region__in=regions).exclude(
            pk__in=ids
        )
        if days:  # open on one of the go-live dates offered (the service checks the one chosen)
            opens = [valid_on_q(datetime.date.fromisoformat(day)) for day in days]
            partners = partners.filter(functools.reduce(operator.or_, opens))
        self.fields["partners"].queryset = partners.order_by("name")


class DocumentForm(NHSForm):
    kind = forms.ChoiceField(
        label="What the document is",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the document is"},
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF or a Word document (.docx). It replaces the same kind's earlier one, "
        "which stays on record.",
        error_messages={"required": "Choose a file to attach"},
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(VersionedForm):
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgendaForm(VersionedForm):
    """Put a recommended application on a Commissioning Committee meeting's agenda."""

    meeting = forms.ModelChoiceField(
        label="Commissioning Committee meeting",
        queryset=None,
        empty_label="Choose a meeting",
        error_messages={"required": "Choose the meeting", "invalid_choice": "Choose a meeting"},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m} ({m.committee.name})"


class DecisionForm(VersionedForm):
    """The Commissioning Committee's decision at the meeting (issue 15)."""

    outcome = forms.ChoiceField(
        label="The committee's decision",
        choices=[
            (AgendaEntry.Outcome.SIGNED_OFF, "Signed off"),
            (AgendaEntry.Outcome.NOT_APPROVED, "Not approved"),
            (AgendaEntry.Outcome.DEFERRED, "Deferred to a later meeting"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the committee's decision"},
    )
    reasons = forms.CharField(
        label="Reasons or conditions",
        required=False,
        help_text="Required when the application is not approved.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TextForm(VersionedForm):
    text = forms.CharField(label="What must change", widget=forms.Textarea(attrs={"rows": 3}))


class MessageForm(NHSForm):
    text = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(NHSForm):
    ccg = forms.ModelChoiceField(
        label="CCG", queryset=CCG.objects.none(), empty_label=None, widget=forms.HiddenInput
    )

    def __init__(self, *args, ccgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ccg"].queryset = CCG.objects.filter(pk__in=[c.pk for c in ccgs])


def _checklist_fields() -> dict:
    fields = {}
    for name, label in ConflictsReview.CHECKS:
        fields[name] = forms.ChoiceField(
            label=label,
            choices=ConflictsReview.Answer.choices,
            required=False,
            widget=forms.RadioSelect,
        )
        fields[f"{name}_evidence"] = forms.CharField(
            label=f"Evidence ({label})",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    fields["outcome"] = forms.ChoiceField(
        label="Outcome",
        choices=ConflictsReview.Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Leave it unanswered to save the checklist without completing it.",
    )
    fields["outcome_note"] = forms.CharField(
        label="Note on the outcome", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    return fields


# The region's checklist (seed 002, "Model 3: Delegated arrangements"): each check met, partly
# met or not met with its evidence; with an outcome the review is complete.
ConflictsReviewForm = type("ConflictsReviewForm", (VersionedForm,), _checklist_fields())
