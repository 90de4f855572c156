from django import forms

from commissioning.forms import DateInput, MoneyField, NHSForm
from hubs.models import CCG, ProgrammeOfCare
from national.selectors import crg_choices
from oversight.forms import VersionedForm
from oversight.models import SubGroup

from .models import OverlapDecision, Proposal


class PlanCreateForm(NHSForm):
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=[(y, f"{y}/{(y + 1) % 100:02d}") for y in range(2015, 2028)],
    )


class PlanSectionsForm(VersionedForm):
    context = forms.CharField(
        label="Context", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    delivery_arrangements = forms.CharField(
        label="Delivery arrangements", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    finance = forms.CharField(
        label="Finance (QIPP)", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    risks = forms.CharField(label="Risks", required=False, widget=forms.Textarea(attrs={"rows": 5}))


class AssureForm(VersionedForm):
    """The region assures a plan: on the issued peer review report, or (override) without it
    with the reason recorded (issue 13 part 6)."""

    override = forms.BooleanField(
        label="Assure the plan without the peer review report", required=False
    )
    reason = forms.CharField(
        label="Reason for assuring without the peer review report",
        help_text="Recorded on the plan and in its history.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for reopening",
        max_length=300,
        error_messages={"required": "Give the reason for reopening the plan"},
    )


MONEY_ERRORS = {
    "invalid": "Enter an amount in whole pounds, like £250,000",
    "max_digits": "Enter a smaller amount",
    "required": "Enter an amount (0 if none)",
}


class ProposalForm(NHSForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the priority"}
    )
    programme_of_care = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=ProgrammeOfCare.objects.all(),
        required=False,
        empty_label="Choose a Programme of Care",
    )
    crg = forms.ModelChoiceField(
        label="Clinical Reference Group (optional)",
        queryset=crg_choices(),
        required=False,
        empty_label="Choose a Clinical Reference Group",
    )
    service = forms.CharField(
        label="Service (optional)",
        help_text="Older proposals name their service or CRG here.",
        required=False,
        max_length=200,
    )
    problem = forms.CharField(
        label="Problem and evidence",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the problem and its evidence"},
    )
    issues = forms.CharField(
        label="Access, quality and equity issues",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    population = forms.CharField(
        label="Population affected", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ccgs_affected = forms.ModelMultipleChoiceField(
        label="CCGs affected",
        queryset=CCG.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    benefits = forms.CharField(
        label="Expected benefits", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    qipp_savings = MoneyField(
        label="Estimated QIPP savings (£)",
        min_value=0,
        max_digits=12,
        decimal_places=0,
        initial=0,
        error_messages={**MONEY_ERRORS, "min_value": "Savings cannot be negative"},
    )
    costs = MoneyField(
        label="Estimated costs (£)",
        min_value=0,
        max_digits=12,
        decimal_places=0,
        initial=0,
        error_messages={**MONEY_ERRORS, "min_value": "Costs cannot be negative"},
    )
    risks = forms.CharField(label="Risks", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    suggested_subgroup = forms.ModelChoiceField(
        label="Suggested delivery sub-group",
        queryset=SubGroup.objects.none(),
        required=False,
        empty_label="None suggested",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from hubs.models import commissioner_label, financial_year_day
        from hubs.querysets import valid_on_q

        day = financial_year_day(plan.year, timezone.localdate())  # the plan's own year
        # CCGs or ICBs, whichever were the local commissioners on the plan's date (issue 13).
        self.fields["ccgs_affected"].label = f"{commissioner_label(day, plural=True)} affected"
        self.fields["ccgs_affected"].queryset = CCG.objects.filter(
            valid_on_q(day), hub=plan.group.hub
        ).order_by("name")
        self.fields["suggested_subgroup"].queryset = plan.group.subgroups.filter(
            status=SubGroup.Status.ACTIVE
        )


class ProposalEditForm(VersionedForm, ProposalForm):
    pass


class DecisionForm(VersionedForm):
    status = forms.ChoiceField(
        label="The group's decision",
        widget=forms.RadioSelect,
        choices=[(s, Proposal.Status(s).label) for s in Proposal.DECISIONS],
        error_messages={"required": "Choose the group's decision"},
    )
    rationale = forms.CharField(
        label="Rationale (the proposer sees this)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the group's rationale"},
    )


class InfoRequestForm(VersionedForm):
    message = forms.CharField(
        label="What more information is needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what more information is needed"},
    )


class CommentForm(NHSForm):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment"},
    )


class AssessorForm(NHSForm):
    email = forms.EmailField(
        label="Assessor's email address",
        help_text="Someone who already has an account, for example a member of the group.",
        error_messages={
            "required": "Enter the assessor's email address",
            "invalid": "Enter an email address in the correct format",
        },
    )


# What each score means, shown as the score form's legend and in its choices. The product adds
# this scale (seed 000 asks for priorities that reduce inequalities and improve quality, value
# and sustainability, but gives no scale); assessors read the same words for every criterion.
SCORE_SCALE = [
    (0, "no evidence", "The proposal gives no evidence against this criterion."),
    (1, "very weak", "A little evidence, with major gaps."),
    (2, "weak", "Some evidence, with gaps that matter."),
    (3, "adequate", "Enough evidence; meets the criterion."),
    (4, "good", "Clear evidence; meets the criterion well."),
    (5, "excellent", "Strong evidence; an exemplar against this criterion."),
]


def criterion_phrase(name: str) -> str:
    """A criterion's name inside a sentence: the first word in lower case unless it is an
    acronym ("Value and QIPP" → "value and QIPP"; "QIPP delivery" stays)."""
    first, _, rest = name.partition(" ")
    if len(first) > 1 and first[1:].isupper():
        return name
    return f"{first[:1].lower()}{first[1:]}{' ' if rest else ''}{rest}"


def score_form(criteria, data=None, initial=None):
    """A form with a 0-5 score and a note per criterion."""
    fields = {}
    for c in criteria:
        fields[f"score-{c.pk}"] = forms.TypedChoiceField(
            label=f"Score for {criterion_phrase(c.name)}",
            help_text=f"Weight {c.weight}. From 0 (no evidence) to 5 (excellent).",
            coerce=int,
            choices=[("", "Choose a score")]
            + [(value, f"{value}: {word}") for value, word, _ in SCORE_SCALE],
            error_messages={
                "required": f"Choose a score from 0 to 5 for {criterion_phrase(c.name)}"
            },
        )
        fields[f"note-{c.pk}"] = forms.CharField(
            label=f"Note on {criterion_phrase(c.name)} (optional)", required=False, max_length=300
        )
    form_class = type("ScoreForm", (NHSForm,), fields)
    return form_class(data, initial=initial)


class DeliveryForm(NHSForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lead = forms.CharField(label="Lead", max_length=150, required=False)
    subgroup = forms.ModelChoiceField(
        label="Delivery sub-group",
        queryset=SubGroup.objects.none(),
        required=False,
        empty_label="None",
    )
    kpis = forms.CharField(label="KPIs", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    qipp_target = MoneyField(
        label="QIPP target (£)",
        min_value=0,
        max_digits=12,
        decimal_places=0,
        error_messages={**MONEY_ERRORS, "min_value": "The target cannot be negative"},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subgroup"].queryset = plan.group.subgroups.all()


class MilestoneForm(NHSForm):
    title = forms.CharField(
        label="Milestone", max_length=200, error_messages={"required": "Enter the milestone"}
    )
    due_date = forms.DateField(
        label="Due",
        widget=DateInput(),
        error_messages={"required": "Enter the due date", "invalid": "Enter a real date"},
    )


class UpdateForm(NHSForm):
    rag = forms.ChoiceField(
        label="RAG status",
        choices=[("", "Choose a status"), ("green", "Green"), ("amber", "Amber"), ("red", "Red")],
        error_messages={"required": "Choose the RAG status"},
    )
    commentary = forms.CharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the commentary"},
    )
    qipp_realised = MoneyField(
        label="QIPP realised to date (£)",
        min_value=0,
        max_digits=12,
        decimal_places=0,
        initial=0,
        error_messages={**MONEY_ERRORS, "min_value": "QIPP realised cannot be negative"},
    )
    reported_on = forms.DateField(
        label="Reported on",
        widget=DateInput(),
        error_messages={"required": "Enter the date of the report", "invalid": "Enter a real date"},
    )


WEIGHT_ERRORS = {
    "required": "Enter a weight from 1 to 10",
    "invalid": "Enter a whole number from 1 to 10",
    "min_value": "Enter a weight from 1 to 10",
    "max_value": "Enter a weight from 1 to 10",
}


class CriterionForm(NHSForm):
    name = forms.CharField(
        label="Criterion",
        max_length=120,
        error_messages={
            "required": "Enter the criterion's name",
            "max_length": "Keep the name to 120 characters or fewer",
        },
    )
    weight = forms.IntegerField(
        label="Weight (1 to 10)",
        min_value=1,
        max_value=10,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}),
        error_messages=WEIGHT_ERRORS,
    )


class CriterionRenameForm(VersionedForm):
    name = forms.CharField(
        label="New name",
        max_length=120,
        error_messages={
            "required": "Enter the criterion's name",
            "max_length": "Keep the name to 120 characters or fewer",
        },
    )


def weights_form(criteria, data=None):
    """One weight (1-10) per active criterion, each carrying the version it was shown at."""
    fields, initial = {}, {}
    for c in criteria:
        fields[f"weight-{c.pk}"] = forms.IntegerField(
            label=c.name,
            min_value=1,
            max_value=10,
            widget=forms.NumberInput(
                attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}
            ),
            error_messages=WEIGHT_ERRORS,
        )
        fields[f"version-{c.pk}"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        initial.update({f"weight-{c.pk}": c.weight, f"version-{c.pk}": c.version})
    form_class = type("WeightsForm", (NHSForm,), fields)
    return form_class(data, initial=initial)


class RowDecisionForm(DecisionForm):
    """The group's decision from a row of the ranking: the same fields, compact widgets."""

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, prefix=f"decide-{proposal.pk}", **kwargs)
        self.fields["status"].widget = forms.Select()
        self.fields["status"].choices = [("", "Choose a decision"), *self.fields["status"].choices]
        self.fields["status"].label = f"Decision on “{proposal.title}”"
        self.fields["rationale"].widget = forms.Textarea(attrs={"rows": 2})


class WayForwardForm(NHSForm):
    """The agreed way forward for a priority that overlaps a national review (issue 17)."""

    way_forward = forms.ChoiceField(
        label="Agreed way forward",
        choices=OverlapDecision.WayForward.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agreed way forward"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="The hub sees it on its plan.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the rationale for the way forward"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
