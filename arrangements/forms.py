from django import forms

from commissioning.forms import DateInput, MoneyField, NHSForm
from exemplars.models import Exemplar
from hubs.models import CCG, IntegratedCareSystem
from oversight.models import OversightGroup

from . import selectors
from .models import Arrangement
from .services import TRANSITIONS

DATE_ERRORS = {"invalid": "Enter a real date, for example 1 July 2022"}
HOST_NHSE = "nhse"


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}"},
    )


class ArrangementForm(NHSForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Cardiology pooled budget.",
        error_messages={"required": "Enter the arrangement's title"},
    )
    kind = forms.ChoiceField(
        label="Type of arrangement",
        choices=Arrangement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of arrangement"},
    )
    parties = forms.ModelMultipleChoiceField(
        label="Commissioners party to it, with NHS England",
        queryset=CCG.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    legal_basis = forms.ChoiceField(
        label="Legal basis",
        choices=Arrangement.LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis"},
    )
    legal_basis_other = forms.CharField(
        label="Other legal basis (if other)", max_length=200, required=False
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Programmes of Care in scope",
        queryset=selectors.programmes(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    services = forms.CharField(
        label="Services in scope",
        help_text="Name the services or clinical reference groups (CRGs) it covers.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    host = forms.ChoiceField(label="Host", required=True)
    start_date = _date("Start date")
    end_date = _date("End date (optional)", required=False)
    review_date = _date("Review date (optional)", required=False)
    board = forms.ModelChoiceField(
        label="Strategy board that oversees it (optional)",
        queryset=OversightGroup.objects.none(),
        required=False,
        empty_label="None",
    )
    exemplar = forms.ModelChoiceField(
        label="Exemplar project it came from (optional)",
        queryset=Exemplar.objects.none(),
        required=False,
        empty_label="None",
    )
    officer_name = forms.CharField(
        label="Accountable officer (optional)", max_length=200, required=False
    )
    officer_title = forms.CharField(
        label="Accountable officer's job title (optional)", max_length=200, required=False
    )

    def __init__(self, *args, system: IntegratedCareSystem, **kwargs):
        super().__init__(*args, **kwargs)
        parties = selectors.party_choices(system)
        self.fields["parties"].queryset = parties
        self.fields[
            "parties"
        ].help_text = "Each must be open, and a commissioner in the system, on the start date."
        self.fields["host"].choices = [(HOST_NHSE, "NHS England")] + [
            (str(c.pk), c.name) for c in parties
        ]
        self.fields["board"].queryset = selectors.boards_of(system)
        self.fields["exemplar"].queryset = selectors.exemplars_of(system)
        self._parties = parties

    def clean_host(self):
        value = self.cleaned_data["host"]
        if value == HOST_NHSE:
            return None
        return self._parties.filter(pk=value).first()


class ArrangementEditForm(ArrangementForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusForm(NHSForm):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status"},
    )
    end_date = _date(
        "End date", required=False, help_text="Needed to end it, unless it has one already."
    )
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, arrangement: Arrangement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, Arrangement.Status(s).label) for s in TRANSITIONS[arrangement.status]
        ]


class ContributionForm(NHSForm):
    party = forms.ChoiceField(label="Contributor")
    year = forms.IntegerField(
        label="Financial year",
        min_value=2013,
        max_value=2100,
        help_text="The year it starts in: 2022 means 2022/23.",
        error_messages={"required": "Enter the financial year, for example 2022"},
    )
    amount = MoneyField(
        label="Amount (£)",
        max_digits=15,
        decimal_places=0,
        error_messages={"required": "Enter the amount in pounds"},
    )

    def __init__(self, *args, arrangement: Arrangement, **kwargs):
        super().__init__(*args, **kwargs)
        self._parties = arrangement.parties.order_by("name")
        self.fields["party"].choices = [(HOST_NHSE, "NHS England")] + [
            (str(c.pk), c.name) for c in self._parties
        ]

    def clean_party(self):
        value = self.cleaned_data["party"]
        return None if value == HOST_NHSE else self._parties.filter(pk=value).first()


class ContributionEditForm(NHSForm):
    amount = MoneyField(
        label="Amount (£)",
        max_digits=15,
        decimal_places=0,
        error_messages={"required": "Enter the amount in pounds"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AgreementForm(NHSForm):
    file = forms.FileField(
        label="Signed agreement (PDF or Word document)",
        error_messages={"required": "Choose the signed agreement's file"},
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)


class NationalFilterForm(NHSForm):
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *Arrangement.Kind.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *Arrangement.Status.choices]
    )
    region = forms.ModelChoiceField(
        label="Region",
        queryset=selectors.regions(),
        to_field_name="slug",
        required=False,
        empty_label="All regions",
    )
