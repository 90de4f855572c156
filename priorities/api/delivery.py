"""Delivery of included priorities through the API: milestones, progress updates, and each
priority's lead, sub-group, KPIs and QIPP target. Hub staff write them."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oversight.api import ConflictSerializer

from .. import selectors, services
from ..models import Proposal
from ..permissions import check_records_delivery, find_priority_to_deliver
from .common import requesting_user
from .serializers import (
    DeliveryCreateSerializer,
    DeliverySerializer,
    DeliveryUpdateSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    MilestoneStatusSerializer,
    UpdateCreateSerializer,
    UpdateSerializer,
)


def _priority_for_writing(user, proposal_id: int) -> Proposal:
    """A priority named in the body: 400 if not the user's to see, 403 if not hub staff."""
    proposal = find_priority_to_deliver(user, proposal_id)
    if proposal is None:
        raise ValidationError({"proposal": ["No such priority."]})
    return proposal


class MilestoneViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Milestones of the included priorities you can see; hub staff add them and change their
    status (PATCH, with the `version` they started from)."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = MilestoneSerializer
    filterset_fields = ["proposal", "status"]

    def get_queryset(self):
        return selectors.api_milestones(requesting_user(self))

    @extend_schema(request=MilestoneCreateSerializer, responses={201: MilestoneSerializer})
    def create(self, request):
        body = MilestoneCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _priority_for_writing(request.user, data.pop("proposal"))
        milestone = services.milestone_add(by=request.user, proposal=proposal, **data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MilestoneStatusSerializer,
        responses={200: MilestoneSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        check_records_delivery(request.user, milestone.proposal.plan)
        body = MilestoneStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = services.milestone_set_status(
            by=request.user, milestone=milestone, **body.validated_data
        )
        return Response(MilestoneSerializer(milestone).data)


class DeliveryUpdateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Progress updates (RAG, commentary, QIPP realised) on the priorities you can see; hub
    staff report them."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = UpdateSerializer
    filterset_fields = ["proposal", "rag"]

    def get_queryset(self):
        return selectors.api_delivery_updates(requesting_user(self))

    @extend_schema(request=UpdateCreateSerializer, responses={201: UpdateSerializer})
    def create(self, request):
        body = UpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _priority_for_writing(request.user, data.pop("proposal"))
        update = services.update_add(by=request.user, proposal=proposal, **data)
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """How each included priority you can see is delivered: lead, sub-group, KPIs, QIPP
    target. Hub staff set them (POST, once per priority) and change them (PATCH, with
    `version`)."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = DeliverySerializer
    filterset_fields = ["proposal"]

    def get_queryset(self):
        return selectors.api_deliveries(requesting_user(self))

    @extend_schema(request=DeliveryCreateSerializer, responses={201: DeliverySerializer})
    def create(self, request):
        body = DeliveryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _priority_for_writing(request.user, data.pop("proposal"))
        if selectors.has_delivery(proposal):
            raise ValidationError(
                {"proposal": ["Its delivery is already set; change it with PATCH."]}
            )
        delivery = services.delivery_set(by=request.user, proposal=proposal, **data)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DeliveryUpdateSerializer,
        responses={200: DeliverySerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        delivery = self.get_object()
        check_records_delivery(request.user, delivery.proposal.plan)
        body = DeliveryUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = {
            name: getattr(delivery, name) for name in ("lead", "subgroup", "kpis", "qipp_target")
        }
        fields.update(body.validated_data)
        delivery = services.delivery_set(by=request.user, proposal=delivery.proposal, **fields)
        return Response(DeliverySerializer(delivery).data)
