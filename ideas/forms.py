from django import forms

from commissioning.forms import NHSForm

from . import selectors
from .models import Theme
from .permissions import OrganisationChoice


class PostSearchForm(NHSForm):
    q = forms.CharField(label="Search ideas", max_length=200, required=False)
    programme = forms.ModelChoiceField(
        label="Programme of Care",
        queryset=selectors.programmes(),
        to_field_name="slug",
        required=False,
        empty_label="All Programmes of Care",
    )
    crg = forms.ModelChoiceField(
        label="Clinical Reference Group",
        queryset=selectors.crgs(),
        required=False,
        empty_label="All Clinical Reference Groups",
    )
    theme = forms.ChoiceField(
        label="Theme", required=False, choices=[("", "All themes"), *Theme.choices]
    )
    region = forms.ModelChoiceField(
        label="Author's region",
        queryset=selectors.regions(),
        to_field_name="slug",
        required=False,
        empty_label="All regions",
    )
    hub = forms.ModelChoiceField(
        label="Author's hub",
        queryset=selectors.hubs(),
        to_field_name="slug",
        required=False,
        empty_label="All hubs",
    )
    adopted = forms.ChoiceField(
        label="Adopted by another hub",
        required=False,
        choices=[("", "Adopted or not"), ("yes", "Adopted"), ("no", "Not adopted yet")],
    )

    def filters(self) -> selectors.PostFilters:
        if not self.is_valid():
            return selectors.PostFilters()
        data = self.cleaned_data
        adopted = {"yes": True, "no": False}.get(data["adopted"])
        return selectors.PostFilters(
            q=data["q"].strip(),
            programme=data["programme"],
            crg=data["crg"],
            theme=data["theme"],
            region=data["region"],
            hub=data["hub"],
            adopted=adopted,
        )


class PostForm(NHSForm):
    organisation = forms.ChoiceField(
        label="Shared for",
        help_text="The organisation you share the idea for: readers see it beside your name.",
        error_messages={"required": "Choose the organisation you share the idea for"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the idea"}
    )
    problem = forms.CharField(
        label="The problem",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the problem the idea answers"},
    )
    tried = forms.CharField(
        label="What was tried (optional)", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    results = forms.CharField(
        label="Results (optional)",
        help_text="Benefits, perverse incentives and blockages found, and what others can learn.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    contacts = forms.CharField(
        label="Contacts (optional)",
        help_text="Who to ask about it: names, roles, email addresses.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Programmes of Care (optional)",
        queryset=selectors.programmes(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    crg = forms.ModelChoiceField(
        label="Clinical Reference Group (optional)",
        help_text="The CRG whose services the idea concerns, if one does.",
        queryset=selectors.crgs(),
        required=False,
        empty_label="None",
    )
    themes = forms.MultipleChoiceField(
        label="Themes (optional)",
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, organisations: list[OrganisationChoice] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
            return
        field = self.fields["organisation"]
        field.choices = [(c.key, c.label) for c in organisations]  # type: ignore[attr-defined]
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("organisation", organisations[0].key)
        else:
            field.widget = forms.RadioSelect(choices=field.choices)  # type: ignore[attr-defined]


class PostEditForm(PostForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AttachmentForm(NHSForm):
    file = forms.FileField(
        label="Document (PDF or Word document)",
        error_messages={"required": "Choose a file to attach"},
    )


class CommentForm(NHSForm):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )


class CommentEditForm(CommentForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ContactForm(NHSForm):
    message = forms.CharField(
        label="Message to the author (optional)",
        help_text="Say who you are and what you would like to know. The author gets your email"
        " address.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class HideForm(NHSForm):
    reason = forms.CharField(
        label="Why is it hidden?",
        help_text="The author and national admins read the reason; nobody else sees the item.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is hidden: the author reads the reason"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UnhideForm(NHSForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AdoptForm(NHSForm):
    hub = forms.ModelChoiceField(
        label="Adopted by",
        queryset=selectors.hubs().none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={"required": "Choose your hub"},
    )
    proposal = forms.ModelChoiceField(
        label="The priority that takes it up",
        queryset=selectors.proposals_of_hubs([]),
        empty_label="Choose a priority",
        error_messages={"required": "Choose the priority of your hub's plan that takes it up"},
    )
    note = forms.CharField(
        label="Note (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, hubs: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = selectors.hubs().filter(pk__in=[h.pk for h in hubs])  # type: ignore[attr-defined]
        proposals = self.fields["proposal"]
        proposals.queryset = selectors.proposals_of_hubs(hubs)  # type: ignore[attr-defined]
        proposals.label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.title} ({p.plan.group.hub.name}, {p.plan.year_label})"
        )
