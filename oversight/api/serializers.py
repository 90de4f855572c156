"""The group API's serializers: enums, responses and requests."""

from django.db import models
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from hubs import selectors as hub_selectors
from oversight import selectors, services
from oversight.models import CCGMembership, GroupMember, Interest, OversightGroup, SubGroup

# --- enums ---------------------------------------------------------------------------------


def _enum_field(choices: type[models.TextChoices], component_name: str):
    """A ChoiceField documented once, as the schema component `component_name`.

    Several choice sets share a field name across the API (`status`, `kind`, `role`); named
    components spare drf-spectacular a clash it can only resolve with a warning."""

    @extend_schema_field(
        {
            "type": "string",
            "enum": list(choices.values),
            "description": "\n".join(f"* `{v}` - {label}" for v, label in choices.choices),
        },
        component_name=component_name,
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    return EnumField


GroupKindField = _enum_field(OversightGroup.Kind, "GroupKindEnum")
GroupStatusField = _enum_field(OversightGroup.Status, "GroupStatusEnum")
MembershipStatusField = _enum_field(CCGMembership.Status, "CCGMembershipStatusEnum")
MemberSectorField = _enum_field(GroupMember.Sector, "GroupMemberSectorEnum")
MemberRoleField = _enum_field(GroupMember.Role, "GroupMemberRoleEnum")
MemberSeatField = _enum_field(GroupMember.Seat, "BoardSeatEnum")
SEAT_HELP = "On a strategy board: the seat of seed 003's membership the member fills, or empty."
PLACE_HELP = "For the `place` seat: the id of one of the board's system's places (ICP areas)."


# --- responses -----------------------------------------------------------------------------


class ConflictSerializer(serializers.Serializer):
    """Nothing was written: someone else saved since `version` (review, then send again), or
    the record is not in a state that allows this (say, a draft is already open)."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(
        required=False, help_text="Given when someone else saved since `version`."
    )


class CoverageSerializer(serializers.Serializer):
    covered_count = serializers.IntegerField(
        help_text="Footprint CCGs or ICBs (on the group's `footprint_day`) that are members or "
        "represented."
    )
    footprint_count = serializers.IntegerField(
        help_text="CCGs or ICBs in the hub's footprint on the group's `footprint_day`."
    )
    percent = serializers.IntegerField()
    not_covered = serializers.ListField(
        child=serializers.CharField(), help_text="ODS codes of footprint CCGs with no voice yet."
    )
    representation_requested = serializers.ListField(
        child=serializers.CharField(),
        help_text="ODS codes of footprint CCGs that asked another CCG to represent them and "
        "wait for its lead to confirm (not covered until then; also in `not_covered`).",
    )


class GroupSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:group-detail")
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    hub_name = serializers.CharField(source="hub.name", read_only=True)
    region = serializers.CharField(source="hub.region.slug", read_only=True)
    kind = GroupKindField(read_only=True)
    status = GroupStatusField(read_only=True)
    footprint_day = serializers.DateField(
        read_only=True,
        help_text="The date whose footprint the group invites, covers and is judged ready on: "
        "its start date, brought forward when organisations merge or are replaced (issue 13).",
    )
    coverage = serializers.SerializerMethodField()
    system = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="A strategy board's integrated care system."
    )
    predecessor = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The oversight group a board succeeds."
    )
    recommends_to = serializers.CharField(
        read_only=True,
        help_text="Whom its recommendations go to: the regional team, or for a strategy board "
        "the Regional Leadership Group and the ICS (seed 003).",
    )

    class Meta:
        model = OversightGroup
        fields = [
            "id",
            "url",
            "hub",
            "hub_name",
            "region",
            "name",
            "kind",
            "status",
            "start_date",
            "closed_on",
            "footprint_day",
            "purpose",
            "version",
            "created_at",
            "coverage",
            "system",
            "predecessor",
            "recommends_to",
        ]
        read_only_fields = fields

    @extend_schema_field(CoverageSerializer)
    def get_coverage(self, group: OversightGroup) -> dict:
        coverage = services.group_coverage(group, list(group.ccgs.all()), group.footprint_day)
        return {
            "covered_count": coverage.covered_count,
            "footprint_count": len(coverage.footprint),
            "percent": coverage.percent,
            "not_covered": [c.ods_code for c in coverage.not_covered],
            "representation_requested": [
                c.ods_code for c in coverage.not_covered if c.pk in coverage.requested_ccg_ids
            ],
        }


class CCGMembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:ccg-membership-detail")
    group = serializers.PrimaryKeyRelatedField(read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    ccg_name = serializers.CharField(source="ccg.name", read_only=True)
    status = MembershipStatusField(read_only=True)
    represented_by = serializers.SlugRelatedField(
        slug_field="ods_code", read_only=True, allow_null=True
    )
    is_covered = serializers.BooleanField(read_only=True)

    class Meta:
        model = CCGMembership
        fields = [
            "id",
            "url",
            "group",
            "group_name",
            "ccg",
            "ccg_name",
            "status",
            "represented_by",
            "is_covered",
            "invited_at",
            "responded_at",
            "note",
            "version",
        ]
        read_only_fields = fields


class GroupInviteResultSerializer(serializers.Serializer):
    invited = CCGMembershipSerializer(
        many=True, help_text="Places newly invited (those already invited or in are left alone)."
    )


class MembershipWithdrawResultSerializer(serializers.Serializer):
    membership = CCGMembershipSerializer()
    lost_representation = CCGMembershipSerializer(
        many=True, help_text="CCGs it represented: they are invited again."
    )


class GroupMemberSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:group-member-detail")
    group = serializers.PrimaryKeyRelatedField(read_only=True)
    sector = MemberSectorField(read_only=True)
    role = MemberRoleField(read_only=True)
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True, allow_null=True)
    seat = serializers.CharField(read_only=True, help_text=SEAT_HELP)
    place = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = GroupMember
        fields = [
            "id",
            "url",
            "group",
            "full_name",
            "email",
            "organisation",
            "sector",
            "ccg",
            "role",
            "seat",
            "place",
            "voting",
            "start_date",
            "end_date",
            "is_current",
            "version",
        ]
        read_only_fields = fields

    def get_is_current(self, member: GroupMember) -> bool:
        return member.is_current_on(timezone.localdate())


# --- requests ------------------------------------------------------------------------------

VERSION_HELP = "Required: the version of the record your change was made from."


class GroupCreateSerializer(serializers.Serializer):
    hub = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=hub_selectors.hub_choices(),
        help_text="e.g. north-east-and-cumbria",
    )
    name = serializers.CharField(max_length=200)
    kind = GroupKindField(
        default=OversightGroup.Kind.OVERSIGHT_GROUP,
        help_text="Only `oversight_group`: a strategy board succeeds a group "
        "(POST /groups/{id}/board/).",
    )
    start_date = serializers.DateField()
    purpose = serializers.CharField(allow_blank=True, default="")


class GroupUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    name = serializers.CharField(max_length=200, required=False)
    kind = GroupKindField(
        required=False,
        help_text="Refused: a group's kind does not change; a strategy board succeeds a group "
        "(POST /groups/{id}/board/).",
    )
    status = GroupStatusField(required=False)
    start_date = serializers.DateField(required=False)
    closed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Only for a closed group; null to reopen."
    )
    purpose = serializers.CharField(required=False, allow_blank=True)

    def validate_kind(self, value):
        raise ValidationError(
            "A group's kind does not change: a strategy board succeeds its group "
            "(POST /groups/{id}/board/)."
        )


class GroupInviteSerializer(serializers.Serializer):
    """Either `ccgs` (ODS codes) or `all` (every CCG or ICB in the hub's footprint on the
    group's own date, `footprint_date`)."""

    ccgs = serializers.ListField(
        child=serializers.CharField(max_length=5), required=False, allow_empty=False
    )
    all = serializers.BooleanField(default=False)

    def validate(self, attrs):
        codes = sorted({c.upper() for c in attrs.get("ccgs", [])})
        if attrs["all"] == bool(codes):
            raise ValidationError("Give either a list of ODS codes in `ccgs` or `all: true`.")
        group = self.context["group"]
        if attrs["all"]:
            return {"ccgs": selectors.footprint_on(group, group.footprint_day)}
        found = hub_selectors.ccgs_with_codes(codes)
        unknown = set(codes) - {c.ods_code for c in found}
        if unknown:
            raise ValidationError({"ccgs": [f"No CCG with ODS code {', '.join(sorted(unknown))}."]})
        return {"ccgs": found}


class MembershipRespondSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=services.Answer.CHOICES)
    represented_by = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=hub_selectors.ccg_choices(),
        required=False,
        allow_null=True,
        help_text="For `represent`: the ODS code of a member CCG of the same group.",
    )
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    note = serializers.CharField(max_length=300, allow_blank=True, default="")


class RepresentationConfirmSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class RepresentationDeclineSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    reason = serializers.CharField(
        max_length=200,
        allow_blank=True,
        default="",
        help_text="Why the representative declines (kept in the requesting CCG's note).",
    )


class MembershipWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class _HubCCGMixin:
    """A member's `ccg` must be in the group's hub (as the page's choice list offers)."""

    def __init__(self, *args, group: OversightGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None and group.is_board:  # issue 16: the system's commissioners
            self.fields["ccg"].queryset = hub_selectors.ccgs_of_system(group.system_id)
            self.fields["place"].queryset = hub_selectors.places_of_system(group.system_id)
        elif group is not None:
            self.fields["ccg"].queryset = hub_selectors.ccgs_of_hub(group.hub_id)


CCG_HELP = "For CCG members: the ODS code of the CCG they speak for (in the group's hub)."
CCG_MISSING = "No CCG with ODS code {value} in this group's hub."


class GroupRefSerializer(serializers.Serializer):
    group = serializers.IntegerField(min_value=1, help_text="The oversight group's id.")


class GroupMemberCreateSerializer(_HubCCGMixin, GroupRefSerializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(allow_blank=True, default="")
    organisation = serializers.CharField(max_length=200)
    sector = MemberSectorField()
    ccg = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=hub_selectors.ccg_choices(),
        allow_null=True,
        default=None,
        help_text=CCG_HELP,
        error_messages={"does_not_exist": CCG_MISSING},
    )
    role = MemberRoleField(default=GroupMember.Role.MEMBER)
    seat = MemberSeatField(default="", allow_blank=True, help_text=SEAT_HELP)
    place = serializers.PrimaryKeyRelatedField(
        queryset=hub_selectors.places_of_system(None),
        allow_null=True,
        default=None,
        help_text=PLACE_HELP,
    )
    voting = serializers.BooleanField(default=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, default=None)


class GroupMemberUpdateSerializer(_HubCCGMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    full_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    organisation = serializers.CharField(max_length=200, required=False)
    sector = MemberSectorField(required=False)
    ccg = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=hub_selectors.ccg_choices(),
        allow_null=True,
        required=False,
        help_text=CCG_HELP,
        error_messages={"does_not_exist": CCG_MISSING},
    )
    role = MemberRoleField(required=False)
    seat = MemberSeatField(required=False, allow_blank=True, help_text=SEAT_HELP)
    place = serializers.PrimaryKeyRelatedField(
        queryset=hub_selectors.places_of_system(None),
        allow_null=True,
        required=False,
        help_text=PLACE_HELP,
    )
    voting = serializers.BooleanField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(allow_null=True, required=False)


# --- register of interests and delivery sub-groups -----------------------------------------


class InterestSerializer(serializers.ModelSerializer):
    group = serializers.IntegerField(source="member.group_id", read_only=True)

    class Meta:
        model = Interest
        fields = [
            "id",
            "group",
            "member",
            "kind",
            "organisation",
            "description",
            "valid_from",
            "valid_to",
            "version",
        ]
        read_only_fields = ["id", "group", "member", "version"]


class InterestCreateSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=Interest.Kind.choices)
    organisation = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=300)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)


class InterestUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Interest.Kind.choices, required=False)
    organisation = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=300, required=False)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True)


class SubGroupSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    lead = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = SubGroup
        fields = [
            "id",
            "group",
            "name",
            "focus_kind",
            "focus",
            "lead",
            "members",
            "terms",
            "status",
            "version",
        ]
        read_only_fields = fields
