from django import forms

from commissioning.forms import DateInput, NHSForm
from oversight.forms import VersionedForm


class DraftForm(NHSForm):
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Write or paste the document, or upload it below.",
    )
    file = forms.FileField(
        label="Or upload it (PDF or Word .docx, up to 10 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    change_summary = forms.CharField(
        label="What changed in this version", max_length=300, required=False
    )
    quorum_chair_or_vice_required = forms.TypedChoiceField(
        label="Quorum: must the chair or a vice chair be present?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        initial="yes",
    )
    quorum_min_ccg_members = forms.IntegerField(
        label="Quorum: voting CCG members needed",
        min_value=0,
        max_value=50,
        initial=3,
        error_messages={
            "required": "Enter how many voting CCG members make a quorum",
            "min_value": "Enter 0 or more",
            "max_value": "Enter 50 or fewer",
            "invalid": "Enter a whole number",
        },
    )

    # The national template version the text was prefilled from (seed 000 §3.4.2).
    from_template = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, terms: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not terms:
            del self.fields["quorum_chair_or_vice_required"]
            del self.fields["quorum_min_ccg_members"]


class DraftEditForm(VersionedForm, DraftForm):
    pass


class AgreeForm(VersionedForm):
    agreed_on = forms.DateField(
        label="Agreed on",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date it was agreed",
            "invalid": "Enter a real date, for example 21 April 2015",
        },
    )
    agreed_at_meeting = forms.CharField(
        label="Agreed at",
        max_length=200,
        help_text="For example, the meeting of 21 April 2015.",
        error_messages={"required": "Say where it was agreed"},
    )


class TemplateForm(NHSForm):
    """A national template version's text (seed 000 §3.4.2)."""

    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Square brackets mark what each group completes or changes locally.",
        error_messages={"required": "Enter the text of the template"},
    )
    change_summary = forms.CharField(
        label="What changed in this version",
        max_length=300,
        required=False,
        error_messages={"max_length": "Say what changed in 300 characters or fewer"},
    )


class TemplateEditForm(VersionedForm, TemplateForm):
    pass


class TemplateActionForm(VersionedForm):
    """Publish or set aside a draft, from the version the person saw."""
