"""REST API for integrated care systems in the register (issue 16, "What to build" 1 and 5):
anyone signed in reads them (`?on=YYYY-MM-DD`: the places and commissioners of that day);
national admins add systems, places and commissioners and end a commissioner's place. Refusals
are 400 by field, a stale version 409, as elsewhere."""

import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissioning.api_helpers import valid
from hubs.api import CanViewRegister
from hubs.models import IntegratedCareSystem, Place, SystemMember

from . import selectors, services
from .permissions import get_member, get_system, require_keeper


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "valid_from", "valid_to"]
        read_only_fields = fields


class SystemMemberSerializer(serializers.ModelSerializer):
    commissioner = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    commissioner_name = serializers.CharField(source="commissioner.name", read_only=True)
    place = serializers.CharField(source="place.name", read_only=True, allow_null=True)

    class Meta:
        model = SystemMember
        fields = ["id", "commissioner", "commissioner_name", "place", "valid_from", "valid_to"]
        read_only_fields = fields


class SystemSerializer(serializers.ModelSerializer):
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    places = PlaceSerializer(many=True, read_only=True)
    members = SystemMemberSerializer(many=True, read_only=True)

    class Meta:
        model = IntegratedCareSystem
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "hub",
            "valid_from",
            "valid_to",
            "version",
            "places",
            "members",
        ]
        read_only_fields = fields


class SystemWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    kind = serializers.ChoiceField(choices=IntegratedCareSystem.Kind.choices)
    hub = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.hubs())
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)


class SystemUpdateSerializer(SystemWriteSerializer):
    version = serializers.IntegerField(min_value=1)


class PlaceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)


class MemberWriteSerializer(serializers.Serializer):
    commissioner = serializers.SlugRelatedField(
        slug_field="ods_code", queryset=selectors.commissioners()
    )
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)


class MemberEndSerializer(serializers.Serializer):
    valid_to = serializers.DateField()


ON = OpenApiParameter(
    "on", str, description="A date (YYYY-MM-DD): only what was open that day.", required=False
)


def _day(request) -> datetime.date | None:
    text = request.query_params.get("on", "")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as bad:
        raise ValidationError({"on": ["Enter a real date, for example 2019-04-01."]}) from bad


class SystemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Integrated care systems (STPs and ICSs), their places and commissioners through time."""

    permission_classes = [CanViewRegister]
    serializer_class = SystemSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.systems_on(None).none()
        return selectors.systems_for_api(_day(self.request))

    @extend_schema(parameters=[ON])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[ON])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _answer(self, system, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.systems_for_api(None).get(pk=system.pk)
        return Response(SystemSerializer(fresh).data, status=code)

    @extend_schema(request=SystemWriteSerializer, responses={201: SystemSerializer})
    def create(self, request):
        """A national admin adds a system."""
        require_keeper(request.user)
        system = services.system_create(by=request.user, **valid(SystemWriteSerializer, request))
        return self._answer(system, status.HTTP_201_CREATED)

    @extend_schema(request=SystemUpdateSerializer, responses={200: SystemSerializer})
    def update(self, request, pk=None):
        """A national admin changes a system (naming the version they started from)."""
        system = get_system(request.user, pk, write=True)
        data = valid(SystemUpdateSerializer, request)
        system = services.system_update(by=request.user, system=system, **data)
        return self._answer(system)

    @extend_schema(request=PlaceWriteSerializer, responses={201: SystemSerializer})
    @action(detail=True, methods=["post"])
    def places(self, request, pk=None):
        """A national admin adds a place (an integrated care partnership)."""
        system = get_system(request.user, pk, write=True)
        services.place_add(by=request.user, system=system, **valid(PlaceWriteSerializer, request))
        return self._answer(system, status.HTTP_201_CREATED)

    @extend_schema(request=MemberWriteSerializer, responses={201: SystemSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """A national admin adds a commissioner to the system, in a place if it has one."""
        system = get_system(request.user, pk, write=True)
        data = valid(MemberWriteSerializer, request)
        place_id = data.pop("place")
        place = None
        if place_id is not None:
            place = selectors.place_of(system, place_id)
            if place is None:
                raise ValidationError({"place": ["Choose a place of this system."]})
        services.member_add(by=request.user, system=system, place=place, **data)
        return self._answer(system, status.HTTP_201_CREATED)

    @extend_schema(request=MemberEndSerializer, responses={200: SystemSerializer})
    @action(detail=False, methods=["post"], url_path=r"members/(?P<member_pk>[0-9]{1,18})/end")
    def member_end(self, request, member_pk=None):
        """A national admin ends a commissioner's place in its system (the row is kept)."""
        member = get_member(request.user, int(member_pk))
        member = services.member_end(
            by=request.user, member=member, **valid(MemberEndSerializer, request)
        )
        return self._answer(member.system)
