"""API: review cycles and their lines of enquiry."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid

from .. import selectors, services
from ..permissions import get_cycle_for_user, require_cycle_runner
from .filters import CycleFilter
from .serializers import ReviewCycleCreateSerializer, ReviewCycleSerializer


class ReviewCycleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The year's rounds of peer review with their lines of enquiry (any signed-in user).
    National admins open a new cycle, with the default lines for its kind."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewCycleSerializer
    filterset_class = CycleFilter

    def get_queryset(self):
        return selectors.cycles_with_lines()

    def retrieve(self, request, pk):
        return Response(
            ReviewCycleSerializer(get_cycle_for_user(request.user, pk, lines=True)).data
        )

    @extend_schema(request=ReviewCycleCreateSerializer, responses={201: ReviewCycleSerializer})
    def create(self, request):
        require_cycle_runner(request.user)
        data = _valid(ReviewCycleCreateSerializer, request)
        cycle = services.cycle_create(by=request.user, **data)
        cycle = get_cycle_for_user(request.user, cycle.pk, lines=True)
        return Response(ReviewCycleSerializer(cycle).data, status=status.HTTP_201_CREATED)
