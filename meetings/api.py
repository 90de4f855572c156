"""REST API for meetings and recommendations, through the same access helpers and services."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from commissioning.concurrency import ConflictError
from oversight.permissions import can_manage_group, groups_visible_to

from . import services
from .models import Action, AgendaItem, Attendance, Declaration, Meeting, Recommendation
from .permissions import can_respond, meetings_visible_to, recommendations_visible_to
from .quorum import quorum_for, rule_for_group


def _refusal(error: Exception) -> Response:
    if isinstance(error, ConflictError):
        return Response(
            {"detail": error.message, "current_version": error.current.version},
            status=status.HTTP_409_CONFLICT,
        )
    raise ValidationError({error.field or "non_field_errors": [str(error)]})


class DeclarationSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Declaration
        fields = ["member", "interest", "managed_by"]


class AgendaItemSerializer(serializers.ModelSerializer):
    declarations = DeclarationSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "number", "title", "purpose", "summary", "decision", "declarations"]


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.full_name", read_only=True)
    member_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["member_id", "member", "status"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "description", "owner", "due_date", "status", "is_overdue", "version"]
        read_only_fields = ["id", "is_overdue"]


class QuorumSerializer(serializers.Serializer):
    known = serializers.BooleanField()
    met = serializers.BooleanField()
    chair_present = serializers.BooleanField()
    ccg_members_present = serializers.IntegerField()
    shortfall = serializers.ListField(child=serializers.CharField())


class MeetingSerializer(serializers.ModelSerializer):
    group = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "group", "title", "starts_at", "location", "online", "status", "version"]
        read_only_fields = ["id", "group", "status", "version"]


class MeetingDetailSerializer(MeetingSerializer):
    items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)
    quorum = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "minutes",
            "items",
            "attendance",
            "actions",
            "quorum",
        ]

    @extend_schema(responses=QuorumSerializer)
    def get_quorum(self, meeting) -> dict:
        quorum = quorum_for(list(meeting.attendance.all()), rule_for_group(meeting.group))
        return QuorumSerializer(quorum).data


class MeetingCreateSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    online = serializers.BooleanField(required=False, default=False)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the groups you can see. Hub staff schedule them."""

    lookup_value_regex = "[0-9]{1,18}"

    filterset_fields = ["group", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        meetings = meetings_visible_to(self.request.user).order_by("-starts_at")
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.prefetch_related(
                        Prefetch(
                            "declarations", queryset=Declaration.objects.select_related("member")
                        )
                    ),
                ),
                Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
                "actions",
            )
        return meetings

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request):
        wanted = MeetingCreateSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        data = dict(wanted.validated_data)
        group = groups_visible_to(request.user).filter(pk=data.pop("group")).first()
        if group is None:  # not there, or not the user's to see: the same answer either way
            raise ValidationError({"group": ["No such oversight group."]})
        if not can_manage_group(request.user, group):
            raise PermissionDenied("Only the hub's staff schedule its meetings.")
        try:
            meeting = services.meeting_schedule(by=request.user, group=group, **data)
        except services.MeetingError as error:
            return _refusal(error)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class RecommendationSerializer(serializers.ModelSerializer):
    group = serializers.IntegerField(source="meeting.group_id", read_only=True)
    age_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "group",
            "meeting",
            "title",
            "detail",
            "made_on",
            "status",
            "rationale",
            "responded_at",
            "age_days",
            "version",
        ]
        read_only_fields = fields


class ResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in Recommendation.Status.choices if c[0] != "awaiting"]
    )
    rationale = serializers.CharField()
    version = serializers.IntegerField(min_value=1)


class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The groups' recommendations; the region's team records its response."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = RecommendationSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        return recommendations_visible_to(self.request.user).order_by("made_on", "pk")

    @extend_schema(request=ResponseSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        recommendation = self.get_object()
        if not can_respond(request.user, recommendation):
            raise PermissionDenied("Only the region's team responds to recommendations.")
        answer = ResponseSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        try:
            updated = services.recommendation_respond(
                by=request.user, recommendation=recommendation, **answer.validated_data
            )
        except (services.MeetingError, ConflictError) as error:
            return _refusal(error)
        return Response(RecommendationSerializer(updated).data)


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action logs of the groups you can see; hub staff update them (with `version`)."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ActionSerializer
    filterset_fields = ["status", "meeting"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Action.objects.none()
        return (
            Action.objects.filter(meeting__in=meetings_visible_to(self.request.user))
            .select_related("meeting__group")
            .order_by("due_date", "pk")
        )

    @extend_schema(request=ActionSerializer, responses={200: ActionSerializer})
    def partial_update(self, request, pk=None):
        current = self.get_object()
        if not can_manage_group(request.user, current.meeting.group):
            raise PermissionDenied("Only the hub's staff change its action log.")
        changes = ActionSerializer(current, data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        data = dict(changes.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["Send the version you are changing."]})
        try:
            updated = services.action_update(
                by=request.user, action=current, version=version, **data
            )
        except (services.MeetingError, ConflictError) as error:
            return _refusal(error)
        return Response(ActionSerializer(updated).data)
