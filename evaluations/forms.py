from django import forms

from commissioning.forms import NHSForm
from ideas.models import Theme

from . import selectors
from .models import Rating

MONEY_ERRORS = {
    "invalid": "Enter an amount in whole pounds, like 250000",
    "max_digits": "Enter a smaller amount",
    "max_decimal_places": "Enter whole pounds",
    "required": "Enter the QIPP savings realised (0 if none)",
    "min_value": "QIPP savings realised cannot be negative",
}


class EvaluationForm(NHSForm):
    rating = forms.ChoiceField(
        label="Were the planned aims met?",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the planned aims were met"},
    )
    qipp_realised = forms.DecimalField(
        label="QIPP savings realised (£)",
        help_text="Over the year, in whole pounds.",
        min_value=0,
        max_digits=12,
        decimal_places=0,
        error_messages=MONEY_ERRORS,
    )
    benefits = forms.CharField(
        label="Benefits realised",
        help_text="The measurable service change benefits, against the planned aims and KPIs.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the benefits realised against the planned aims"},
    )
    working = forms.CharField(
        label="What worked and what did not (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    perverse_incentives = forms.CharField(
        label="Perverse incentives found (optional)",
        help_text="Unforeseen incentives that worked against the priority's aims.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    blockages = forms.CharField(
        label="System blockages (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    good_practice = forms.CharField(
        label="Good practice (optional)",
        help_text="What other hubs could copy.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    theme = forms.ChoiceField(
        label="Theme",
        help_text="The idea exchange's themes: the national summary groups evaluations by them.",
        choices=[("", "Choose a theme"), *Theme.choices],
        error_messages={"required": "Choose a theme"},
    )


class EvaluationEditForm(EvaluationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ArchiveForm(NHSForm):
    reason = forms.CharField(
        label="Why is the evaluation archived?",
        help_text="It is kept with its history; the priority can then be evaluated again.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the evaluation is archived"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ShareForm(NHSForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SharedSearchForm(NHSForm):
    q = forms.CharField(label="Search shared evaluations", max_length=200, required=False)
    programme = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=selectors.programmes(),
        to_field_name="slug",
        required=False,
        empty_label="All Programmes of Care",
    )
    theme = forms.ChoiceField(
        label="Theme", required=False, choices=[("", "All themes"), *Theme.choices]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data["q"].strip(), "programme": data["programme"], "theme": data["theme"]}


class SummaryForm(NHSForm):
    year = forms.TypedChoiceField(
        label="Financial year", coerce=int, required=False, empty_value=None
    )
    region = forms.ChoiceField(label="Region", required=False)

    def __init__(self, *args, years: list[int], regions: list, every_region: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, f"{y}/{(y + 1) % 100:02d}") for y in years
        ]
        choices = [(r.slug, r.name) for r in regions]
        if every_region:
            choices = [("", "All regions"), *choices]
        self.fields["region"].choices = choices  # type: ignore[attr-defined]
