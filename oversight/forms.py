"""Forms for oversight groups. Rules live in services.py; these parse and label input."""

from django import forms
from django.utils import timezone

from commissioning.forms import DateInput, NHSForm
from hubs.models import CCG, IntegratedCareSystem, Place, commissioner_label
from hubs.selectors import ccgs_of_system, places_of_system

from .models import Committee, GroupMember, Interest, OversightGroup, SubGroup
from .services import Answer


class VersionedForm(NHSForm):
    """Carries the version of the record the person started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GroupCreateForm(NHSForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the group's name"}
    )
    start_date = forms.DateField(
        label="Start date",
        widget=DateInput(),
        help_text="For example, 1 April 2015",
        error_messages={
            "required": "Enter the date the group starts",
            "invalid": "Enter a real date, for example 1 April 2015",
        },
    )
    purpose = forms.CharField(
        label="Purpose (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the group is for, in a sentence or two.",
    )


class GroupEditForm(VersionedForm, GroupCreateForm):
    status = forms.ChoiceField(label="Status", choices=OversightGroup.Status.choices)
    closed_on = forms.DateField(
        label="Closed on",
        required=False,
        widget=DateInput(),
        help_text="Only for a closed group.",
        error_messages={"invalid": "Enter a real date, for example 31 March 2016"},
    )


class InviteForm(NHSForm):
    ccg = forms.ModelChoiceField(
        label="CCG to invite",
        queryset=CCG.objects.none(),
        to_field_name="ods_code",
        empty_label="Choose a CCG",
        error_messages={"required": "Choose a CCG to invite"},
    )

    def __init__(self, *args, group: OversightGroup, **kwargs):
        super().__init__(*args, **kwargs)
        from hubs.querysets import valid_on_q

        # Only the footprint's CCGs without a place in the group on its footprint day: one
        # already invited, a member, represented or gone is not offered again (issue 18).
        self.fields["ccg"].queryset = (
            CCG.objects.filter(valid_on_q(group.footprint_day), hub=group.hub)
            .exclude(memberships__group=group)
            .order_by("name")
        )
        # The group's own date says whether its footprint is of CCGs or ICBs (issue 13).
        kind = commissioner_label(group.footprint_day)
        if kind != "CCG":
            field = self.fields["ccg"]
            field.label = f"{kind} to invite"
            field.empty_label = f"Choose an {kind}"
            field.error_messages["required"] = f"Choose an {kind} to invite"


class RespondForm(VersionedForm):
    answer = forms.ChoiceField(
        label="Your CCG's answer",
        choices=Answer.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your CCG's answer"},
    )
    represented_by = forms.ModelChoiceField(
        label="Represented by",
        queryset=CCG.objects.none(),
        required=False,
        to_field_name="ods_code",
        empty_label="Choose a member CCG",
        help_text="Only CCGs that are members of the group can represent another CCG.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args, member_ccgs, kind_label: str = "CCG", **kwargs):
        """`kind_label` is the answering organisation's: "CCG" or "ICB" (issue 13)."""
        super().__init__(*args, **kwargs)
        self.fields["represented_by"].queryset = member_ccgs
        if kind_label != "CCG":
            k = kind_label
            self.fields["answer"].label = f"Your {k}'s answer"
            self.fields["answer"].error_messages["required"] = f"Choose your {k}'s answer"
            self.fields["answer"].choices = [
                (value, text.replace("another CCG", f"another {k}"))
                for value, text in Answer.CHOICES
            ]
            self.fields["represented_by"].empty_label = f"Choose a member {k}"
            self.fields[
                "represented_by"
            ].help_text = f"Only {k}s that are members of the group can represent another {k}."


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label="Reason", max_length=300, error_messages={"required": "Give a reason for withdrawing"}
    )


class RepresentationConfirmForm(VersionedForm):
    """Confirm a request to represent (a button on My work: only the version travels)."""


class RepresentationDeclineForm(VersionedForm):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=200)


class MemberForm(NHSForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the member's full name"},
    )
    email = forms.EmailField(label="Email (optional)", required=False)
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages={"required": "Enter their organisation"},
    )
    sector = forms.ChoiceField(label="Sector", choices=GroupMember.Sector.choices)
    ccg = forms.ModelChoiceField(
        label="CCG (for CCG members)",
        queryset=CCG.objects.none(),
        required=False,
        to_field_name="ods_code",
        empty_label="Not a CCG member",
    )
    role = forms.ChoiceField(label="Role on the group", choices=GroupMember.Role.choices)
    seat = forms.ChoiceField(
        label="Seat on the board (optional)",
        choices=[("", "No seat of the board's list"), *GroupMember.Seat.choices],
        required=False,
        help_text="The seats of seed 003's membership; the board page shows which are gaps.",
    )
    place = forms.ModelChoiceField(
        label="ICP area (for an ICP area's representative)",
        queryset=Place.objects.none(),
        required=False,
        empty_label="Not an ICP area's representative",
    )
    voting = forms.TypedChoiceField(
        label="Voting",
        choices=[("yes", "Voting member"), ("no", "Non-voting")],
        coerce=lambda v: v == "yes",
        initial="yes",
    )
    start_date = forms.DateField(
        label="Member from",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date they joined",
            "invalid": "Enter a real date, for example 1 April 2015",
        },
    )
    end_date = forms.DateField(
        label="Member until (optional)",
        required=False,
        widget=DateInput(),
        help_text="Set this to end their membership; the record is kept.",
        error_messages={"invalid": "Enter a real date, for example 31 March 2016"},
    )

    def __init__(self, *args, group: OversightGroup | Committee, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(group, Committee):  # a joint committee's CCGs (none for the national one)
            self.fields["ccg"].queryset = group.ccgs.order_by("name")
            self.fields["role"].label = "Role on the committee"
        elif group.is_board:  # issue 16: the system's commissioners, its seats and places
            self.fields["ccg"].queryset = ccgs_of_system(group.system_id)
            self.fields["ccg"].label = "CCG or ICB (for commissioner members)"
            self.fields["role"].label = "Role on the board"
            self.fields["place"].queryset = places_of_system(group.system_id)
        else:
            self.fields["ccg"].queryset = CCG.objects.filter(hub=group.hub).order_by("name")
        if not (isinstance(group, OversightGroup) and group.is_board):
            del self.fields["seat"], self.fields["place"]


class MemberEditForm(VersionedForm, MemberForm):
    @classmethod
    def for_member(cls, member: GroupMember, data=None) -> "MemberEditForm":
        """The form for changing `member` of a group or committee, from its current values."""
        from .services import MEMBER_FIELDS

        initial = {f: getattr(member, f) for f in MEMBER_FIELDS}
        initial.update(
            ccg=member.ccg.ods_code if member.ccg else None,
            voting="yes" if member.voting else "no",
            version=member.version,
        )
        return cls(data, group=member.body, initial=initial)


class InterestForm(NHSForm):
    member = forms.ModelChoiceField(
        label="Member",
        queryset=GroupMember.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose the member declaring the interest"},
    )
    kind = forms.ChoiceField(label="Type of interest", choices=Interest.Kind.choices)
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="The organisation the interest is in, for example a provider trust.",
        error_messages={"required": "Enter the organisation the interest is in"},
    )
    description = forms.CharField(
        label="Description", max_length=300, error_messages={"required": "Describe the interest"}
    )
    valid_from = forms.DateField(
        label="From",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date the interest began",
            "invalid": "Enter a real date, for example 1 April 2015",
        },
    )
    valid_to = forms.DateField(
        label="To (optional)",
        required=False,
        widget=DateInput(),
        help_text="Set this when the interest ends; the entry is kept.",
        error_messages={"invalid": "Enter a real date, for example 31 March 2016"},
    )

    def __init__(self, *args, group: OversightGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = group.members.order_by("full_name")


class InterestEditForm(VersionedForm, InterestForm):
    pass


class SubGroupForm(NHSForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the sub-group's name"}
    )
    focus_kind = forms.ChoiceField(label="Focus", choices=SubGroup.FocusKind.choices)
    focus = forms.CharField(
        label="Pathway or area",
        max_length=200,
        help_text="For example, cardiology; or Tees Valley.",
        error_messages={"required": "Enter the pathway or area"},
    )
    lead = forms.ModelChoiceField(
        label="Lead (optional)",
        queryset=GroupMember.objects.none(),
        required=False,
        empty_label="No lead yet",
    )
    members = forms.ModelMultipleChoiceField(
        label="Members (optional)",
        queryset=GroupMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    terms = forms.CharField(
        label="Terms (remit) (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, group: OversightGroup, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        current = group.members.filter(start_date__lte=today).exclude(end_date__lt=today)
        self.fields["lead"].queryset = current.order_by("full_name")
        self.fields["members"].queryset = current.order_by("full_name")


class SubGroupEditForm(VersionedForm, SubGroupForm):
    status = forms.ChoiceField(label="Status", choices=SubGroup.Status.choices)


class BoardCreateForm(VersionedForm):
    """Set up the strategy board that succeeds a group (issue 16; seed 003)."""

    system = forms.ModelChoiceField(
        label="Integrated care system",
        queryset=IntegratedCareSystem.objects.none(),
        empty_label="Choose the system",
        error_messages={"required": "Choose the system whose board this is"},
    )
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the board's name"}
    )
    start_date = forms.DateField(
        label="The board starts on",
        widget=DateInput(),
        help_text="The group closes the day before. For example, 1 October 2018",
        error_messages={
            "required": "Enter the date the board starts",
            "invalid": "Enter a real date, for example 1 October 2018",
        },
    )
    purpose = forms.CharField(
        label="Purpose",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, group: OversightGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = IntegratedCareSystem.objects.filter(
            hub_id=group.hub_id
        ).order_by("name")


class CarriedDecideForm(VersionedForm):
    """Confirm, remove or replace a member carried forward from the group the board succeeds."""

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("confirmed", "Confirm: they join the board"),
            ("removed", "Remove: they do not join the board"),
            ("replaced", "Replace: someone else takes their place"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose confirm, remove or replace"},
    )
    seat = MemberForm.base_fields["seat"]
    place = MemberForm.base_fields["place"]
    full_name = forms.CharField(
        label="Full name (for a replacement)", max_length=150, required=False
    )
    email = forms.EmailField(label="Email (optional)", required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    sector = forms.ChoiceField(label="Sector", choices=GroupMember.Sector.choices, required=False)
    ccg = forms.ModelChoiceField(
        label="CCG or ICB (for a commissioner member)",
        queryset=CCG.objects.none(),
        required=False,
        to_field_name="ods_code",
        empty_label="Not a commissioner member",
    )

    def __init__(self, *args, board: OversightGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_of_system(board.system_id)
        self.fields["ccg"].queryset = ccgs_of_system(board.system_id)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "replaced":
            if not data.get("full_name"):
                self.add_error("full_name", "Enter the name of the person who takes their place")
            if not data.get("organisation"):
                self.add_error("organisation", "Enter their organisation")
            if not data.get("sector"):
                self.add_error("sector", "Choose their sector")
        return data
