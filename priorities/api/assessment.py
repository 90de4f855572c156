"""A plan's assessment through the API: its criteria and its assessors (hub staff write)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oversight.api import ConflictSerializer

from .. import selectors, services
from ..models import PrioritiesPlan
from ..permissions import find_plan_for_user, get_criterion_for_user
from .common import requesting_user
from .serializers import (
    AssessorCreateSerializer,
    AssessorSerializer,
    CriterionCreateSerializer,
    CriterionSerializer,
    CriterionUpdateSerializer,
    VersionSerializer,
)


def _plan_for_writing(user, plan_id: int) -> PrioritiesPlan:
    """A plan named in a request body: 400 if not the user's to see, 403 if not hub staff."""
    plan = find_plan_for_user(user, plan_id, write=True)
    if plan is None:
        raise ValidationError({"plan": ["No such plan."]})
    return plan


class CriterionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The assessment criteria of the plans whose proposals you see (hub staff, assessors, the
    region). Hub staff add, rename, reweight (PATCH, with `version`) and archive them until
    the first score is recorded; archived criteria are neither scored nor ranked."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = CriterionSerializer
    filterset_fields = ["plan", "archived"]

    def get_queryset(self):
        return selectors.api_criteria(requesting_user(self))

    @extend_schema(request=CriterionCreateSerializer, responses={201: CriterionSerializer})
    def create(self, request):
        body = CriterionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan = _plan_for_writing(request.user, data.pop("plan"))
        criterion = services.criterion_add(by=request.user, plan=plan, **data)
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CriterionUpdateSerializer,
        responses={200: CriterionSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        criterion = get_criterion_for_user(request.user, pk, write=True)
        body = CriterionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        criterion = services.criterion_update(
            by=request.user, criterion=criterion, **body.validated_data
        )
        return Response(CriterionSerializer(criterion).data)

    @extend_schema(request=VersionSerializer, responses={200: CriterionSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take the criterion out of the assessment; it stays on record."""
        criterion = get_criterion_for_user(request.user, pk, write=True)
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        criterion = services.criterion_archive(
            by=request.user, criterion=criterion, **body.validated_data
        )
        return Response(CriterionSerializer(criterion).data)


class AssessorViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who scores each plan's proposals (plans whose proposals you see); hub staff add
    assessors by email address."""

    serializer_class = AssessorSerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        return selectors.api_assessors(requesting_user(self))

    @extend_schema(request=AssessorCreateSerializer, responses={201: AssessorSerializer})
    def create(self, request):
        body = AssessorCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _plan_for_writing(request.user, body.validated_data["plan"])
        user = selectors.active_user_by_email(body.validated_data["email"])
        if user is None:
            raise ValidationError({"email": ["No one with that email address has an account."]})
        assessor = services.assessor_add(by=request.user, plan=plan, user=user)
        return Response(AssessorSerializer(assessor).data, status=status.HTTP_201_CREATED)
