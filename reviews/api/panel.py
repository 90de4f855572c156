"""API: places on the panels, and the submitted assessments of a review."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.schema import ErrorSerializer
from oversight.api import ConflictSerializer

from .. import selectors, services
from ..models import Assessment, Reviewer
from ..permissions import get_place_for_user, get_review_for_user, visible_assessments
from .filters import PlaceFilter
from .serializers import (
    AssessmentSerializer,
    PanelPlaceSerializer,
    PlaceConflictSerializer,
    PlaceCreateSerializer,
    PlaceReplaceSerializer,
    PlaceRespondSerializer,
    ReviewRefSerializer,
)


class PanelViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Places on the panels whose workings you may read, and your own. The regional team
    invites and replaces; the invited person accepts, declines or declares a conflict."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = PanelPlaceSerializer
    filterset_class = PlaceFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.none(Reviewer)
        return selectors.panel_places_for(self.request.user)

    def retrieve(self, request, pk):
        return Response(PanelPlaceSerializer(get_place_for_user(request.user, pk)).data)

    @extend_schema(
        request=PlaceCreateSerializer, responses={201: PanelPlaceSerializer, 404: ErrorSerializer}
    )
    def create(self, request):
        """Invite someone onto the panel (never anyone who may not review the hub)."""
        data = _valid(PlaceCreateSerializer, request)
        review = get_review_for_user(request.user, data["review"], manage=True)
        place = services.panel_invite(
            by=request.user,
            review=review,
            user=selectors.person(data["user"], active=True),
            role=data["role"],
        )
        return Response(PanelPlaceSerializer(place).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlaceRespondSerializer,
        responses={200: PanelPlaceSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk):
        """The invited person accepts or declines."""
        place = get_place_for_user(request.user, pk, own=True)
        data = _valid(PlaceRespondSerializer, request)
        place = services.reviewer_respond(by=request.user, reviewer=place, **data)
        return Response(PanelPlaceSerializer(place).data)

    @extend_schema(request=PlaceConflictSerializer, responses={200: PanelPlaceSerializer})
    @action(detail=True, methods=["post"], url_path="declare-conflict")
    def declare_conflict(self, request, pk):
        """The invited person declares a conflict with the hub: off this panel, and never
        offered for the hub's reviews again."""
        place = get_place_for_user(request.user, pk, own=True)
        data = _valid(PlaceConflictSerializer, request)
        place = services.reviewer_declare_conflict(by=request.user, reviewer=place, **data)
        return Response(PanelPlaceSerializer(place).data)

    @extend_schema(
        request=PlaceReplaceSerializer,
        responses={201: PanelPlaceSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def replace(self, request, pk):
        """The regional team puts someone else in the place (same role); the old place stays
        as history. Answers with the newcomer's place."""
        place = get_place_for_user(request.user, pk, manage=True)
        data = _valid(PlaceReplaceSerializer, request)
        newcomer = services.reviewer_replace(
            by=request.user,
            reviewer=place,
            version=data["version"],
            user=selectors.person(data["user"], active=True),
            reason=data["reason"],
        )
        return Response(PanelPlaceSerializer(newcomer).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Submitted assessments of a review: the regional team and national admins read them all,
    a reviewer reads colleagues' once their own is submitted. Drafts are never listed (your
    own is at peer-reviews/{id}/my-assessment/)."""

    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return selectors.none(Assessment)

    @extend_schema(
        parameters=[OpenApiParameter("review", int, required=True, description="Peer review id")],
        responses={200: AssessmentSerializer(many=True), 404: ErrorSerializer},
    )
    def list(self, request):
        query = ReviewRefSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        review = get_review_for_user(request.user, query.validated_data["review"])
        page = self.paginate_queryset(visible_assessments(request.user, review))
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)
