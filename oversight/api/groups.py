"""Oversight groups, their CCG places and their members."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.schema import ErrorSerializer
from oversight import selectors, services
from oversight.models import CCGMembership, GroupMember, OversightGroup
from oversight.permissions import (
    get_group_for_user,
    get_hub_for_group_setup,
    get_member_for_user,
    get_membership_for_user,
)

from .boards import BoardActionsMixin
from .filters import (
    GroupFilter,
    MemberFilter,
    MembershipFilter,
)
from .serializers import (
    CCGMembershipSerializer,
    ConflictSerializer,
    GroupCreateSerializer,
    GroupInviteResultSerializer,
    GroupInviteSerializer,
    GroupMemberCreateSerializer,
    GroupMemberSerializer,
    GroupMemberUpdateSerializer,
    GroupRefSerializer,
    GroupSerializer,
    GroupUpdateSerializer,
    MembershipRespondSerializer,
    MembershipWithdrawResultSerializer,
    MembershipWithdrawSerializer,
    RepresentationConfirmSerializer,
    RepresentationDeclineSerializer,
)

# --- helpers -------------------------------------------------------------------------------


def _places(memberships: list[CCGMembership], *, context: dict) -> list:
    """Serialise places a service returned, reloaded with their joins in one query."""
    places = selectors.places([m.pk for m in memberships])
    return CCGMembershipSerializer(places, many=True, context=context).data


def request_user(view):
    """The requesting user, or None while the schema is generated (no request user)."""
    return None if getattr(view, "swagger_fake_view", False) else view.request.user


# --- views ---------------------------------------------------------------------------------


class GroupViewSet(BoardActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Oversight groups you may see, each with its coverage of the hub's footprint today.
    Hub staff set up and change their own hub's group and invite its CCGs."""

    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    lookup_value_regex = "[0-9]+"
    # Invitations name CCGs in `ccgs`; the service's refusals name the one `ccg` refused.
    error_field_names = {"ccg": "ccgs"}

    def get_queryset(self):
        return selectors.groups_listed_for(request_user(self))

    def _out(self, group: OversightGroup) -> dict:
        return GroupSerializer(group, context=self.get_serializer_context()).data

    def retrieve(self, request, pk):
        return Response(self._out(get_group_for_user(request.user, pk)))

    @extend_schema(request=GroupCreateSerializer, responses={201: GroupSerializer})
    def create(self, request):
        data = _valid(GroupCreateSerializer, request)
        hub = get_hub_for_group_setup(request.user, data.pop("hub").slug)
        group = services.group_create(by=request.user, hub=hub, **data)
        return Response(self._out(group), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GroupUpdateSerializer, responses={200: GroupSerializer, 409: ConflictSerializer}
    )
    def partial_update(self, request, pk):
        group = get_group_for_user(request.user, pk, write=True)
        changes = _valid(GroupUpdateSerializer, request)
        version = changes.pop("version")
        group = services.group_update(by=request.user, group=group, version=version, **changes)
        return Response(self._out(group))

    @extend_schema(request=GroupInviteSerializer, responses={200: GroupInviteResultSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk):
        """Invite footprint CCGs (again, if they declined or withdrew); their leads are emailed."""
        group = get_group_for_user(request.user, pk, write=True)
        data = _valid(GroupInviteSerializer, request, context={"group": group})
        invited = services.ccgs_invite(by=request.user, group=group, ccgs=data["ccgs"])
        places = _places(invited, context=self.get_serializer_context())
        return Response({"invited": places})


class CCGMembershipViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """CCGs' places in the groups you may see. A CCG's leads answer its invitation; they or
    the hub's staff withdraw it. Asking to be represented (`represent`) yields
    `representation_requested` until the representative's leads confirm or decline it."""

    serializer_class = CCGMembershipSerializer
    filterset_class = MembershipFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.memberships_visible_to(request_user(self))

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
        """Accept, decline, or ask to be represented by a member CCG of the same group (no
        chains): the answer `represent` yields `representation_requested` (not covered) until
        the representative's leads confirm it."""
        membership = get_membership_for_user(request.user, pk, respond=True)
        data = _valid(MembershipRespondSerializer, request)
        membership = services.membership_respond(by=request.user, membership=membership, **data)
        return Response(self._out(membership))

    @extend_schema(
        request=RepresentationConfirmSerializer,
        responses={200: CCGMembershipSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"], url_path="confirm-representation")
    def confirm_representation(self, request, pk):
        """The representative CCG's lead agrees to represent this CCG: it becomes `represented`
        (covered). Only the representative's leads may (403; 404 if the group is not visible)."""
        membership = get_membership_for_user(request.user, pk, represent=True)
        data = _valid(RepresentationConfirmSerializer, request)
        membership = services.representation_confirm(by=request.user, membership=membership, **data)
        return Response(self._out(membership))

    @extend_schema(
        request=RepresentationDeclineSerializer,
        responses={200: CCGMembershipSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"], url_path="decline-representation")
    def decline_representation(self, request, pk):
        """The representative CCG's lead declines: this CCG is `invited` again, with a note."""
        membership = get_membership_for_user(request.user, pk, represent=True)
        data = _valid(RepresentationDeclineSerializer, request)
        membership = services.representation_decline(by=request.user, membership=membership, **data)
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
        orphans = services.membership_withdraw(by=request.user, membership=membership, **data)
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
        return selectors.members_visible_to(request_user(self))

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
        member = services.member_add(by=request.user, group=group, **data)
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
        member = services.member_update(by=request.user, member=member, version=version, **fields)
        return Response(self._out(member))
