"""The register of interests and delivery sub-groups."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from oversight import selectors, services
from oversight.permissions import (
    get_interest_for_user,
    get_subgroup_for_user,
    require_interest_keeper,
)

from .groups import request_user
from .serializers import (
    ConflictSerializer,
    InterestCreateSerializer,
    InterestSerializer,
    InterestUpdateSerializer,
    SubGroupSerializer,
)


class InterestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The groups' registers of interests. Hub staff add entries and end them (`valid_to`)."""

    serializer_class = InterestSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.interests_visible_to(request_user(self))

    def retrieve(self, request, pk):
        return Response(InterestSerializer(get_interest_for_user(request.user, pk)).data)

    @extend_schema(request=InterestCreateSerializer, responses={201: InterestSerializer})
    def create(self, request):
        data = _valid(InterestCreateSerializer, request)
        member = selectors.visible_member(request.user, data.pop("member"))
        if member is None:
            raise ValidationError({"member": ["No such member."]})
        require_interest_keeper(request.user, member.group)
        interest = services.interest_declare(by=request.user, member=member, **data)
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
        interest = services.interest_update(
            by=request.user, interest=interest, version=version, **fields
        )
        return Response(InterestSerializer(interest).data)


class SubGroupViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Delivery sub-groups of the groups you may see (read; change them in the app)."""

    serializer_class = SubGroupSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.subgroups_visible_to(request_user(self))

    def retrieve(self, request, pk):
        return Response(SubGroupSerializer(get_subgroup_for_user(request.user, pk)).data)
