"""REST API for oversight groups, their CCG places and their members.

Each operation is access helper → one service → response, asking the same helpers as the
pages (oversight/permissions.py): not visible is 404, visible but not changeable is 403. A
service's refusal is a 400 keyed by the field it concerns; an edit made from a stale `version`
is a 409 naming the current version, and nothing is written.
"""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.concurrency import ConflictError
from commissioning.schema import ErrorSerializer
from hubs.models import CCG, Hub

from . import services
from .models import CCGMembership, GroupMember, Interest, OversightGroup, SubGroup
from .permissions import (
    can_manage_group,
    get_group_for_user,
    get_hub_for_group_setup,
    get_interest_for_user,
    get_member_for_user,
    get_membership_for_user,
    get_subgroup_for_user,
    groups_visible_to,
)

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


# --- responses -----------------------------------------------------------------------------


class ConflictSerializer(serializers.Serializer):
    """Someone else saved since `version`: nothing was written. Review, then send again."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    covered_count = serializers.IntegerField(
        help_text="Footprint CCGs that are members or represented."
    )
    footprint_count = serializers.IntegerField(help_text="CCGs in the hub's footprint today.")
    percent = serializers.IntegerField()
    not_covered = serializers.ListField(
        child=serializers.CharField(), help_text="ODS codes of footprint CCGs with no voice yet."
    )


class GroupSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:group-detail")
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    hub_name = serializers.CharField(source="hub.name", read_only=True)
    region = serializers.CharField(source="hub.region.slug", read_only=True)
    kind = GroupKindField(read_only=True)
    status = GroupStatusField(read_only=True)
    coverage = serializers.SerializerMethodField()

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
            "purpose",
            "version",
            "created_at",
            "coverage",
        ]
        read_only_fields = fields

    @extend_schema_field(CoverageSerializer)
    def get_coverage(self, group: OversightGroup) -> dict:
        coverage = services.group_coverage(group, list(group.ccgs.all()), timezone.localdate())
        return {
            "covered_count": coverage.covered_count,
            "footprint_count": len(coverage.footprint),
            "percent": coverage.percent,
            "not_covered": [c.ods_code for c in coverage.not_covered],
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
        slug_field="slug", queryset=Hub.objects.all(), help_text="e.g. north-east-and-cumbria"
    )
    name = serializers.CharField(max_length=200)
    kind = GroupKindField(default=OversightGroup.Kind.OVERSIGHT_GROUP)
    start_date = serializers.DateField()
    purpose = serializers.CharField(allow_blank=True, default="")


class GroupUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    name = serializers.CharField(max_length=200, required=False)
    kind = GroupKindField(required=False)
    status = GroupStatusField(required=False)
    start_date = serializers.DateField(required=False)
    closed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Only for a closed group; null to reopen."
    )
    purpose = serializers.CharField(required=False, allow_blank=True)


class GroupInviteSerializer(serializers.Serializer):
    """Either `ccgs` (ODS codes) or `all` (every CCG in the hub's footprint today)."""

    ccgs = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, allow_empty=False
    )
    all = serializers.BooleanField(default=False)

    def validate(self, attrs):
        codes = sorted({c.upper() for c in attrs.get("ccgs", [])})
        if attrs["all"] == bool(codes):
            raise ValidationError("Give either a list of ODS codes in `ccgs` or `all: true`.")
        group = self.context["group"]
        if attrs["all"]:
            return {"ccgs": list(CCG.objects.valid_on(timezone.localdate()).filter(hub=group.hub))}
        found = list(CCG.objects.filter(ods_code__in=codes))
        unknown = set(codes) - {c.ods_code for c in found}
        if unknown:
            raise ValidationError({"ccgs": [f"No CCG with ODS code {', '.join(sorted(unknown))}."]})
        return {"ccgs": found}


class MembershipRespondSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=services.Answer.CHOICES)
    represented_by = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=CCG.objects.all(),
        required=False,
        allow_null=True,
        help_text="For `represent`: the ODS code of a member CCG of the same group.",
    )
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    note = serializers.CharField(max_length=300, allow_blank=True, default="")


class MembershipWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class _HubCCGMixin:
    """A member's `ccg` must be in the group's hub (as the page's choice list offers)."""

    def __init__(self, *args, group: OversightGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            self.fields["ccg"].queryset = CCG.objects.filter(hub_id=group.hub_id)


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
        queryset=CCG.objects.all(),
        allow_null=True,
        default=None,
        help_text=CCG_HELP,
        error_messages={"does_not_exist": CCG_MISSING},
    )
    role = MemberRoleField(default=GroupMember.Role.MEMBER)
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
        queryset=CCG.objects.all(),
        allow_null=True,
        required=False,
        help_text=CCG_HELP,
        error_messages={"does_not_exist": CCG_MISSING},
    )
    role = MemberRoleField(required=False)
    voting = serializers.BooleanField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(allow_null=True, required=False)


# --- errors --------------------------------------------------------------------------------


def _invalid(error: services.GroupError, **renames: str) -> ValidationError:
    """A service's refusal as a 400 keyed by the field it concerns (renamed to the API's)."""
    field = renames.get(error.field, error.field) if error.field else "non_field_errors"
    return ValidationError({field: [str(error)]})


def _conflict(error: ConflictError) -> Response:
    return Response(
        {"detail": error.message, "current_version": error.current.version},
        status=status.HTTP_409_CONFLICT,
    )


def _places(memberships: list[CCGMembership], *, context: dict) -> list:
    """Serialise places a service returned, reloaded with their joins in one query."""
    places = CCGMembership.objects.filter(pk__in=[m.pk for m in memberships]).select_related(
        "group", "ccg", "represented_by"
    )
    return CCGMembershipSerializer(places.order_by("ccg__name"), many=True, context=context).data


# --- filters -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number from 1 within a database integer (else a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return MaxValueValidator(2**63 - 1)


class GroupFilter(django_filters.FilterSet):
    hub = django_filters.CharFilter(field_name="hub__slug", label="Hub slug")
    status = django_filters.ChoiceFilter(choices=OversightGroup.Status.choices)

    class Meta:
        model = OversightGroup
        fields = ["hub", "status"]


class MembershipFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group_id", label="Oversight group id")
    ccg = django_filters.CharFilter(field_name="ccg__ods_code", label="CCG ODS code")
    status = django_filters.ChoiceFilter(choices=CCGMembership.Status.choices)

    class Meta:
        model = CCGMembership
        fields = ["group", "ccg", "status"]


class MemberFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group_id", label="Oversight group id")
    sector = django_filters.ChoiceFilter(choices=GroupMember.Sector.choices)
    role = django_filters.ChoiceFilter(choices=GroupMember.Role.choices)

    class Meta:
        model = GroupMember
        fields = ["group", "sector", "role"]


# --- views ---------------------------------------------------------------------------------


class GroupViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Oversight groups you may see, each with its coverage of the hub's footprint today.
    Hub staff set up and change their own hub's group and invite its CCGs."""

    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return OversightGroup.objects.none()
        return (
            groups_visible_to(self.request.user)
            .prefetch_related("ccgs", "hub__ccgs")
            .order_by("hub__region__name", "hub__name", "-start_date", "id")
        )

    def _out(self, group: OversightGroup) -> dict:
        return GroupSerializer(group, context=self.get_serializer_context()).data

    def retrieve(self, request, pk):
        return Response(self._out(get_group_for_user(request.user, pk)))

    @extend_schema(request=GroupCreateSerializer, responses={201: GroupSerializer})
    def create(self, request):
        data = _valid(GroupCreateSerializer, request)
        hub = get_hub_for_group_setup(request.user, data.pop("hub").slug)
        try:
            group = services.group_create(by=request.user, hub=hub, **data)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(self._out(group), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GroupUpdateSerializer, responses={200: GroupSerializer, 409: ConflictSerializer}
    )
    def partial_update(self, request, pk):
        group = get_group_for_user(request.user, pk, write=True)
        changes = _valid(GroupUpdateSerializer, request)
        version = changes.pop("version")
        try:
            group = services.group_update(by=request.user, group=group, version=version, **changes)
        except ConflictError as error:
            return _conflict(error)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(self._out(group))

    @extend_schema(request=GroupInviteSerializer, responses={200: GroupInviteResultSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk):
        """Invite footprint CCGs (again, if they declined or withdrew); their leads are emailed."""
        group = get_group_for_user(request.user, pk, write=True)
        data = _valid(GroupInviteSerializer, request, context={"group": group})
        try:
            invited = services.ccgs_invite(by=request.user, group=group, ccgs=data["ccgs"])
        except services.GroupError as error:
            raise _invalid(error, ccg="ccgs") from error
        places = _places(invited, context=self.get_serializer_context())
        return Response({"invited": places})


class CCGMembershipViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """CCGs' places in the groups you may see. A CCG's leads answer its invitation; they or
    the hub's staff withdraw it."""

    serializer_class = CCGMembershipSerializer
    filterset_class = MembershipFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CCGMembership.objects.none()
        return (
            CCGMembership.objects.filter(group__in=groups_visible_to(self.request.user))
            .select_related("group", "ccg", "represented_by")
            .order_by("group_id", "ccg__name", "id")
        )

    def _out(self, membership: CCGMembership) -> dict:
        return CCGMembershipSerializer(membership, context=self.get_serializer_context()).data

    def retrieve(self, request, pk):
        return Response(self._out(get_membership_for_user(request.user, pk)))

    @extend_schema(
        request=MembershipRespondSerializer,
        responses={200: CCGMembershipSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk):
        """Accept, decline, or be represented by a member CCG of the same group (no chains)."""
        membership = get_membership_for_user(request.user, pk, respond=True)
        data = _valid(MembershipRespondSerializer, request)
        try:
            membership = services.membership_respond(by=request.user, membership=membership, **data)
        except ConflictError as error:
            return _conflict(error)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(self._out(membership))

    @extend_schema(
        request=MembershipWithdrawSerializer,
        responses={200: MembershipWithdrawResultSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk):
        """Withdraw the CCG; any CCGs it represented lose their representation."""
        membership = get_membership_for_user(request.user, pk, withdraw=True)
        data = _valid(MembershipWithdrawSerializer, request)
        try:
            orphans = services.membership_withdraw(by=request.user, membership=membership, **data)
        except ConflictError as error:
            return _conflict(error)
        except services.GroupError as error:
            raise _invalid(error) from error
        membership.refresh_from_db()
        context = self.get_serializer_context()
        return Response(
            {
                "membership": self._out(membership),
                "lost_representation": _places(orphans, context=context),
            }
        )


class GroupMemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """People on the groups you may see, with every past spell of membership. Hub staff add and
    change them; ending a membership sets `end_date` (records are never deleted)."""

    serializer_class = GroupMemberSerializer
    filterset_class = MemberFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GroupMember.objects.none()
        return (
            GroupMember.objects.filter(group__in=groups_visible_to(self.request.user))
            .select_related("ccg")
            .order_by("group_id", "full_name", "start_date", "id")
        )

    def _out(self, member: GroupMember) -> dict:
        return GroupMemberSerializer(member, context=self.get_serializer_context()).data

    def retrieve(self, request, pk):
        return Response(self._out(get_member_for_user(request.user, pk)))

    @extend_schema(
        request=GroupMemberCreateSerializer,
        responses={201: GroupMemberSerializer, 404: ErrorSerializer},
    )
    def create(self, request):
        # The group comes first, so that who may not add to it hears 404/403, not field errors.
        group_id = _valid(GroupRefSerializer, request)["group"]
        group = get_group_for_user(request.user, group_id, write=True)
        data = _valid(GroupMemberCreateSerializer, request, group=group)
        data.pop("group")
        try:
            member = services.member_add(by=request.user, group=group, **data)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(self._out(member), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GroupMemberUpdateSerializer,
        responses={200: GroupMemberSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        member = get_member_for_user(request.user, pk, write=True)
        changes = _valid(GroupMemberUpdateSerializer, request, group=member.group)
        version = changes.pop("version")
        # The service takes the whole record: what the request leaves out stays as it is.
        fields = {f: getattr(member, f) for f in services.MEMBER_FIELDS} | changes
        try:
            member = services.member_update(
                by=request.user, member=member, version=version, **fields
            )
        except ConflictError as error:
            return _conflict(error)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(self._out(member))


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


class InterestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The groups' registers of interests. Hub staff add entries and end them (`valid_to`)."""

    serializer_class = InterestSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Interest.objects.none()
        return (
            Interest.objects.filter(member__group__in=groups_visible_to(self.request.user))
            .select_related("member")
            .order_by("member__group_id", "member__full_name", "id")
        )

    def retrieve(self, request, pk):
        return Response(InterestSerializer(get_interest_for_user(request.user, pk)).data)

    @extend_schema(request=InterestCreateSerializer, responses={201: InterestSerializer})
    def create(self, request):
        data = _valid(InterestCreateSerializer, request)
        member = (
            GroupMember.objects.filter(
                pk=data.pop("member"), group__in=groups_visible_to(request.user)
            )
            .select_related("group")
            .first()
        )
        if member is None:
            raise ValidationError({"member": ["No such member."]})
        if not can_manage_group(request.user, member.group):
            raise PermissionDenied("Only the hub's staff keep the register of interests.")
        try:
            interest = services.interest_declare(by=request.user, member=member, **data)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InterestUpdateSerializer,
        responses={200: InterestSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        interest = get_interest_for_user(request.user, pk, write=True)
        changes = _valid(InterestUpdateSerializer, request)
        version = changes.pop("version")
        fields = {f: getattr(interest, f) for f in services.INTEREST_FIELDS} | changes
        try:
            interest = services.interest_update(
                by=request.user, interest=interest, version=version, **fields
            )
        except ConflictError as error:
            return _conflict(error)
        except services.GroupError as error:
            raise _invalid(error) from error
        return Response(InterestSerializer(interest).data)


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


class SubGroupViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Delivery sub-groups of the groups you may see (read; change them in the app)."""

    serializer_class = SubGroupSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SubGroup.objects.none()
        return (
            SubGroup.objects.filter(group__in=groups_visible_to(self.request.user))
            .select_related("lead")
            .prefetch_related("members")
            .order_by("group_id", "name", "id")
        )

    def retrieve(self, request, pk):
        return Response(SubGroupSerializer(get_subgroup_for_user(request.user, pk)).data)
