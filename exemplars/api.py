"""REST API for exemplar pathway projects (issue 16, "What to build" 4 and 5): the projects you
may read with their services, participants, milestones, scoping report versions and
recommendations nested; the system's hub staff and regional team start and change them. Every
change to an edited row names the `version` it was made from (409 if stale); refusals are 400
by field; a closed project refuses changes (409)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from commissioning.api_helpers import valid

from . import selectors, services
from .api_serializers import (
    DecisionWriteSerializer,
    ExemplarCloseSerializer,
    ExemplarSerializer,
    ExemplarUpdateSerializer,
    ExemplarVersionSerializer,
    ExemplarWriteSerializer,
    MilestoneUpdateSerializer,
    MilestoneWriteSerializer,
    ParticipantUpdateSerializer,
    ParticipantWriteSerializer,
    RecommendationWriteSerializer,
    ReportUploadSerializer,
    ServiceUpdateSerializer,
    ServiceWriteSerializer,
)
from .permissions import (
    get_exemplar_for_user,
    get_milestone_for_user,
    get_participant_for_user,
    get_recommendation_for_user,
    get_service_for_user,
    get_system_for_user,
)

ID = "[0-9]{1,18}"
SYSTEM = OpenApiParameter("system", int, description="Only this system's projects.")


def _board(data: dict):
    """The strategy board named by id in the body (None if none named)."""
    pk = data.pop("board", None)
    board = selectors.board_by_id(pk)
    if pk is not None and board is None:
        raise ValidationError({"board": ["No such strategy board."]})
    return board


def _system_param(request) -> int | None:
    text = request.query_params.get("system", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError({"system": ["Give a system's id."]})
    return int(text)


class ExemplarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Exemplar pathway projects of the integrated care systems you follow."""

    serializer_class = ExemplarSerializer
    lookup_value_regex = ID
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.exemplars_for_api(None).none()
        exemplars = selectors.exemplars_for_api(self.request.user)
        system = _system_param(self.request)
        return exemplars if system is None else exemplars.filter(system_id=system)

    @extend_schema(parameters=[SYSTEM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        """The project of a detail route. The part routes (`services/<id>/` and the like) name
        their own row; asked for a project there (as DRF's OPTIONS answer does), none is."""
        if self.lookup_field not in self.kwargs:
            raise Http404("No exemplar project in this address.")
        return super().get_object()

    def _answer(self, exemplar_pk: int, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.exemplars_for_api(self.request.user).get(pk=exemplar_pk)
        return Response(ExemplarSerializer(fresh).data, status=code)

    @extend_schema(request=ExemplarWriteSerializer, responses={201: ExemplarSerializer})
    def create(self, request):
        """Start a project in a system you run (hub staff, regional team)."""
        data = valid(ExemplarWriteSerializer, request)
        try:
            system = get_system_for_user(request.user, data.pop("system"), write=True)
        except Http404 as unknown:
            raise ValidationError({"system": ["No such system."]}) from unknown
        exemplar = services.exemplar_create(
            by=request.user, system=system, board=_board(data), **data
        )
        return self._answer(exemplar.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ExemplarUpdateSerializer, responses={200: ExemplarSerializer})
    def update(self, request, pk=None):
        """Change the project's details, naming the version you read."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(ExemplarUpdateSerializer, request)
        services.exemplar_update(by=request.user, exemplar=exemplar, board=_board(data), **data)
        return self._answer(exemplar.pk)

    @extend_schema(request=ExemplarVersionSerializer, responses={200: ExemplarSerializer})
    @action(detail=True, methods=["post"])
    def scoped(self, request, pk=None):
        """Mark scoping complete (the project has a scoping report)."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(ExemplarVersionSerializer, request)
        services.exemplar_mark_scoped(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk)

    @extend_schema(request=ExemplarCloseSerializer, responses={200: ExemplarSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the project (kept on record)."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(ExemplarCloseSerializer, request)
        services.exemplar_close(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk)

    @extend_schema(request=ServiceWriteSerializer, responses={201: ExemplarSerializer})
    @action(detail=True, methods=["post"])
    def services(self, request, pk=None):
        """Add a service on the pathway (a specialised one names its Programme of Care)."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(ServiceWriteSerializer, request)
        services.service_add(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ServiceUpdateSerializer, responses={200: ExemplarSerializer})
    @action(detail=False, methods=["put"], url_path=rf"services/(?P<service_pk>{ID})")
    def service_update(self, request, service_pk=None):
        """Change a service on the pathway, or remove it (kept on record)."""
        service = get_service_for_user(request.user, int(service_pk), write=True)
        data = valid(ServiceUpdateSerializer, request)
        services.service_update(by=request.user, service=service, **data)
        return self._answer(service.exemplar_id)

    @extend_schema(request=ParticipantWriteSerializer, responses={201: ExemplarSerializer})
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        """Add a participant; a commissioner's representative names a CCG or ICB (ODS code)
        that is in the system on the day they join."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(ParticipantWriteSerializer, request)
        services.participant_add(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ParticipantUpdateSerializer, responses={200: ExemplarSerializer})
    @action(detail=False, methods=["put"], url_path=rf"participants/(?P<participant_pk>{ID})")
    def participant_update(self, request, participant_pk=None):
        """Change a participant (a leaving date ends their part)."""
        participant = get_participant_for_user(request.user, int(participant_pk), write=True)
        data = valid(ParticipantUpdateSerializer, request)
        services.participant_update(by=request.user, participant=participant, **data)
        return self._answer(participant.exemplar_id)

    @extend_schema(request=MilestoneWriteSerializer, responses={201: ExemplarSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        """Add a milestone."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(MilestoneWriteSerializer, request)
        services.milestone_add(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk, status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneUpdateSerializer, responses={200: ExemplarSerializer})
    @action(detail=False, methods=["put"], url_path=rf"milestones/(?P<milestone_pk>{ID})")
    def milestone_update(self, request, milestone_pk=None):
        """Change a milestone (record the day it was done)."""
        milestone = get_milestone_for_user(request.user, int(milestone_pk), write=True)
        data = valid(MilestoneUpdateSerializer, request)
        services.milestone_update(by=request.user, milestone=milestone, **data)
        return self._answer(milestone.exemplar_id)

    @extend_schema(
        request={"multipart/form-data": ReportUploadSerializer},
        responses={201: ExemplarSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def report(self, request, pk=None):
        """Add the next version of the scoping report: a PDF or Word file (judged by its
        content), text, or both, with what it changes. Earlier versions are kept."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(ReportUploadSerializer, request)
        services.report_version_add(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk, status.HTTP_201_CREATED)

    @extend_schema(request=RecommendationWriteSerializer, responses={201: ExemplarSerializer})
    @action(detail=True, methods=["post"])
    def recommendations(self, request, pk=None):
        """Record the project's recommendation to the Joint CCG Committee and/or the RLG."""
        exemplar = get_exemplar_for_user(request.user, pk, write=True)
        data = valid(RecommendationWriteSerializer, request)
        services.recommendation_make(by=request.user, exemplar=exemplar, **data)
        return self._answer(exemplar.pk, status.HTTP_201_CREATED)

    @extend_schema(request=DecisionWriteSerializer, responses={200: ExemplarSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path=rf"recommendations/(?P<recommendation_pk>{ID})/decision",
    )
    def decision(self, request, recommendation_pk=None):
        """Record the decision on a recommendation: agreed, not agreed or deferred."""
        recommendation = get_recommendation_for_user(
            request.user, int(recommendation_pk), write=True
        )
        data = valid(DecisionWriteSerializer, request)
        services.decision_record(by=request.user, recommendation=recommendation, **data)
        return self._answer(recommendation.exemplar_id)
