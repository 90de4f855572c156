from django import forms

from commissioning.dates import nhs_date
from commissioning.forms import DateInput, NHSForm
from hubs.models import ProgrammeOfCare
from oversight.forms import VersionedForm

from .models import Finding, Rating, ReviewCycle, Reviewer, ReviewRecommendation, Theme


class CycleForm(NHSForm):
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=[(y, f"{y}/{(y + 1) % 100:02d}") for y in range(2015, 2028)],
    )
    kind = forms.ChoiceField(
        label="Which review", choices=ReviewCycle.Kind.choices, widget=forms.RadioSelect
    )
    opens_on = forms.DateField(
        label="Window opens",
        widget=DateInput,
        error_messages={"required": "Enter the date the window opens"},
    )
    closes_on = forms.DateField(
        label="Window closes",
        widget=DateInput,
        error_messages={"required": "Enter the date the window closes"},
    )
    purpose = forms.CharField(
        label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReadinessForm(NHSForm):
    note = forms.CharField(
        label="Note for the regional team",
        required=False,
        help_text="Needed when a check is not met: why the hub is ready all the same, and what "
        "it is doing about it.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VersionOnlyForm(VersionedForm):
    pass


class PanelInviteForm(NHSForm):
    user = forms.TypedChoiceField(
        label="Person to invite",
        coerce=int,
        help_text="Suggested first: people from hubs and regions not yet on the panel, with the "
        "fewest reviews this cycle. People who may not review this hub are not offered.",
        error_messages={
            "required": "Choose a reviewer",
            "invalid_choice": "Choose a reviewer from the list",
        },
    )
    role = forms.ChoiceField(
        label="Role on the panel",
        choices=Reviewer.Role.choices,
        initial=Reviewer.Role.REVIEWER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a reviewer")] + [
            (c.user.pk, f"{c.user.full_name} — {c.home} ({c.load} this cycle)") for c in candidates
        ]


class ReplaceForm(VersionedForm):
    user = forms.TypedChoiceField(
        label="New reviewer",
        coerce=int,
        error_messages={
            "required": "Choose a reviewer",
            "invalid_choice": "Choose a reviewer from the list",
        },
    )
    reason = forms.CharField(label="Reason", max_length=300, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a reviewer")] + [
            (c.user.pk, f"{c.user.full_name} — {c.home}") for c in candidates
        ]


class ConflictForm(NHSForm):
    reason = forms.CharField(
        label="Your conflict of interest with the hub",
        max_length=300,
        help_text="For example: you worked for the hub, sit on its group, or have an interest "
        "in one of its CCGs or providers. You will not be offered its reviews again.",
        error_messages={"required": "Say what the conflict is"},
    )


class RespondToInvitationForm(VersionedForm):
    note = forms.CharField(label="Note", max_length=300, required=False)


def assessment_form(lines, data=None, *, ratings=None, version: int = 1):
    """One fieldset per line of enquiry: rating, evidence, comments."""
    ratings = ratings or {}
    fields = {"version": forms.IntegerField(widget=forms.HiddenInput, min_value=1)}
    initial = {"version": version}
    for line in lines:
        current = ratings.get(line.pk)
        fields[f"rating_{line.pk}"] = forms.ChoiceField(
            label=f"Your rating: {line.title}",
            choices=Rating.choices,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose assured, partially assured or not assured"},
        )
        fields[f"evidence_{line.pk}"] = forms.CharField(
            label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        fields[f"comments_{line.pk}"] = forms.CharField(
            label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        if current is not None:
            initial.update(
                {
                    f"rating_{line.pk}": current.rating,
                    f"evidence_{line.pk}": current.evidence,
                    f"comments_{line.pk}": current.comments,
                }
            )
    form_class = type("AssessmentForm", (NHSForm,), fields)
    return form_class(data, initial=initial)


class ConsolidateForm(VersionedForm):
    overall_rating = forms.ChoiceField(
        label="Overall rating", choices=Rating.choices, widget=forms.RadioSelect, required=False
    )
    summary = forms.CharField(
        label="Summary of the review", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class FindingForm(NHSForm):
    kind = forms.ChoiceField(label="Kind", choices=Finding.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the finding a title"}
    )
    detail = forms.CharField(
        label="Detail",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the finding"},
    )
    theme = forms.ChoiceField(label="Theme", choices=Theme.choices)
    programme_of_care = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=ProgrammeOfCare.objects.all(),
        required=False,
        empty_label="Not specific to one",
    )
    shareable = forms.BooleanField(
        label="Share with all hubs in the learning library", required=False
    )


class FindingEditForm(VersionedForm, FindingForm):
    pass


class RecommendationForm(NHSForm):
    title = forms.CharField(
        label="Recommendation",
        max_length=200,
        error_messages={"required": "Say what is recommended"},
    )
    detail = forms.CharField(
        label="Detail", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(
        label="Owner",
        max_length=150,
        help_text="Who at the hub is responsible, for example the hub director.",
        error_messages={"required": "Name who owns the recommendation"},
    )
    due_date = forms.DateField(
        label="Due by", widget=DateInput, error_messages={"required": "Give the date it is due by"}
    )


class RecommendationEditForm(VersionedForm, RecommendationForm):
    pass


class IssueForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for the correction",
        required=False,
        help_text="Only for a corrected version of an issued report.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def response_form(recommendations, data=None, *, version: int):
    fields = {
        "version": forms.IntegerField(widget=forms.HiddenInput, min_value=1),
        "summary": forms.CharField(
            label="The hub's response to the report",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        ),
    }
    initial = {"version": version}
    for rec in recommendations:
        fields[f"action_{rec.pk}"] = forms.CharField(
            label=f"Action on: {rec.title}",
            help_text=f"Owner: {rec.owner}; due by {nhs_date(rec.due_date)}.",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        initial[f"action_{rec.pk}"] = rec.hub_action
    form_class = type("ResponseForm", (NHSForm,), fields)
    return form_class(data, initial=initial)


class NoteForm(VersionedForm):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(VersionedForm):
    status = forms.ChoiceField(
        label="Status", choices=ReviewRecommendation.Status.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="What was done",
        required=False,
        help_text="Needed to close the recommendation.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LearningSearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    theme = forms.ChoiceField(
        label="Theme", required=False, choices=[("", "All themes"), *Theme.choices]
    )
    programme_of_care = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=ProgrammeOfCare.objects.all(),
        required=False,
        empty_label="All Programmes of Care",
    )
