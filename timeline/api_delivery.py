"""REST API for the delivery log (issue 14): the outbox's emails and background work, for
national admins only (anyone else gets 403 and no data), and a retry of what failed or waits.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning import outbox
from commissioning.models import OutboxItem
from commissioning.schema import ErrorSerializer

from . import selectors
from .permissions import can_see_reminders, get_outbox_item_for_admin

STATES = [*OutboxItem.State.values, "stuck"]


class OutboxItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboxItem
        fields = [
            "id",
            "label",
            "state",
            "attempts",
            "last_error",
            "created_at",
            "changed_at",
            "next_attempt_at",
            "done_at",
        ]
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter(
            "state",
            OpenApiTypes.STR,
            enum=STATES,
            description='One state, or "stuck": failed, or waiting longer than the relay takes.',
        )
    ]
)
class OutboxItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Emails and background work other than reminders, newest first (national admins)."""

    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = OutboxItemSerializer
    filterset_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_see_reminders(request.user):
            raise PermissionDenied("The delivery log is for national admins.")

    def get_queryset(self):
        state = self.request.query_params.get("state", "")
        return selectors.outbox_items(state, stuck=state == "stuck")

    @extend_schema(request=None, responses={200: OutboxItemSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk):
        """Try a failed or waiting item again now. Audited. 409 if it is being done or done."""
        item = get_outbox_item_for_admin(request.user, pk)
        try:
            item = outbox.retry(by=request.user, item=item)
        except outbox.NotRetryable as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(OutboxItemSerializer(item).data)
