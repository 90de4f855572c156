"""REST API for co-commissioning's register (issue 15, "What to build" 7; seed 002): each CCG's
arrangement on a day, the application windows national admins keep, and each CCG's register of
interests its leads keep. Refusals as in cocommissioning.api."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import scopes
from commissioning.api_helpers import valid
from oversight.api import ConflictSerializer

from . import selectors, services
from .api_serializers import (
    CoArrangementQuerySerializer,
    CoArrangementRowSerializer,
    CoInterestCreateSerializer,
    CoInterestSerializer,
    CoInterestUpdateSerializer,
    CoVersionSerializer,
    CoWindowCreateSerializer,
    CoWindowSerializer,
)
from .models import Interest, Model
from .permissions import can_keep_register, can_keep_windows, get_interest_for_keeper, require

ID = "[0-9]{1,18}"
FILTERS = ("on", "region", "hub", "model")


class ArrangementViewSet(viewsets.GenericViewSet):
    """Every CCG open on a day (`on`, default today) with its co-commissioning arrangement that
    day (`model` null: none). Anyone with a role reads it."""

    serializer_class = CoArrangementRowSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="The day, YYYY-MM-DD (default today)."),
            OpenApiParameter("region", str, description="A region's slug."),
            OpenApiParameter("hub", str, description="A hub's slug."),
            OpenApiParameter("model", str, enum=list(Model.values)),
        ],
        responses={200: CoArrangementRowSerializer(many=True)},
    )
    def list(self, request):
        require(bool(scopes(request.user).roles), "The register is for people with a role.")
        # An empty parameter (?on=) means no filter, as elsewhere in the API.
        params = {k: v for k, v in request.query_params.items() if k in FILTERS and v}
        query = CoArrangementQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        rows = selectors.arrangements_on(
            wanted.get("on") or timezone.localdate(),
            region=wanted.get("region"),
            hub=wanted.get("hub"),
            model=wanted.get("model", ""),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CoArrangementRowSerializer(page, many=True).data)


class WindowViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The application windows: the go-live dates each model's proposals may aim at, and when
    they are due (seed 002, "Implementation timetable"). National admins add later years."""

    serializer_class = CoWindowSerializer
    filterset_fields = ["model", "go_live_on"]

    def get_queryset(self):
        return selectors.windows()

    @extend_schema(request=CoWindowCreateSerializer, responses={201: CoWindowSerializer})
    def create(self, request):
        require(can_keep_windows(request.user), "Only national admins keep the windows.")
        window = services.window_add(by=request.user, **valid(CoWindowCreateSerializer, request))
        return Response(CoWindowSerializer(window).data, status=status.HTTP_201_CREATED)


class InterestFilter(django_filters.FilterSet):
    ccg = django_filters.CharFilter(field_name="ccg__ods_code", help_text="A CCG's ODS code.")

    class Meta:
        model = Interest
        fields = ["ccg", "kind"]


class InterestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each CCG's register of interests of co-commissioning's decision-makers, readable by
    anyone signed in (archived entries are left out). The CCG's leads keep it."""

    lookup_value_regex = ID
    serializer_class = CoInterestSerializer
    filterset_class = InterestFilter

    def get_queryset(self):
        # Listed: the current entries; one entry (to read or change): archived ones too.
        return selectors.interests(include_archived=self.action != "list")

    @extend_schema(request=CoInterestCreateSerializer, responses={201: CoInterestSerializer})
    def create(self, request):
        data = valid(CoInterestCreateSerializer, request)
        ccg = data.pop("ccg")
        require(can_keep_register(request.user, ccg), "Only the CCG's leads keep its register.")
        interest = services.interest_declare(by=request.user, ccg=ccg, **data)
        return Response(CoInterestSerializer(interest).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CoInterestUpdateSerializer,
        responses={200: CoInterestSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        interest = self.get_object()
        interest = get_interest_for_keeper(request.user, interest.pk)
        changes = valid(CoInterestUpdateSerializer, request)
        version = changes.pop("version")
        interest = services.interest_update(
            by=request.user, interest=interest, version=version, **changes
        )
        return Response(CoInterestSerializer(interest).data)

    @extend_schema(
        request=CoVersionSerializer,
        responses={200: CoInterestSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive an entry (kept, no longer listed)."""
        interest = get_interest_for_keeper(request.user, self.get_object().pk)
        version = valid(CoVersionSerializer, request)["version"]
        interest = services.interest_update(
            by=request.user, interest=interest, version=version, archived=True
        )
        return Response(CoInterestSerializer(interest).data)
