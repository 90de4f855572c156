"""REST API for meetings and recommendations, through the same access helpers and services."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oversight.permissions import committees_visible_to, groups_visible_to

from . import selectors, services
from .models import Action, AgendaItem, Attendance, Declaration, Meeting, Recommendation
from .permissions import ACTION_LOG, require_meeting_manager, require_responder
from .quorum import quorum_for, rule_for_meeting


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
        fields = [
            "id",
            "group",
            "committee",
            "title",
            "starts_at",
            "location",
            "online",
            "status",
            "version",
        ]
        read_only_fields = ["id", "group", "committee", "status", "version"]


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
        quorum = quorum_for(list(meeting.attendance.all()), rule_for_meeting(meeting))
        return QuorumSerializer(quorum).data


class MeetingCreateSerializer(serializers.Serializer):
    group = serializers.IntegerField(required=False, help_text="The group's id, or:")
    committee = serializers.IntegerField(required=False, help_text="The committee's id.")
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    online = serializers.BooleanField(required=False, default=False)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the groups and committees you can see. Hub staff schedule a group's; a
    committee's members (or secretariat) schedule the committee's."""

    lookup_value_regex = "[0-9]{1,18}"

    filterset_fields = ["group", "committee", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.meetings_for_api(self.request.user).none()
        return selectors.meetings_for_api(self.request.user, detail=self.action == "retrieve")

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request):
        wanted = MeetingCreateSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        data = dict(wanted.validated_data)
        group_id, committee_id = data.pop("group", None), data.pop("committee", None)
        if (group_id is None) == (committee_id is None):
            raise ValidationError({"group": ["Give a group or a committee, not both."]})
        if committee_id is not None:
            body = committees_visible_to(request.user).filter(pk=committee_id).first()
            if body is None:  # not there, or not the user's to see: the same answer either way
                raise ValidationError({"committee": ["No such committee."]})
            require_meeting_manager(
                request.user, body, "Only the committee schedules its meetings."
            )
        else:
            body = groups_visible_to(request.user).filter(pk=group_id).first()
            if body is None:
                raise ValidationError({"group": ["No such oversight group."]})
            require_meeting_manager(
                request.user, body, "Only the hub's staff schedule its meetings."
            )
        meeting = services.meeting_schedule(by=request.user, group=body, **data)
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
            return selectors.recommendations_for(self.request.user).none()
        return selectors.recommendations_for(self.request.user)

    @extend_schema(request=ResponseSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        recommendation = self.get_object()
        require_responder(
            request.user, recommendation, "Only the region's team responds to recommendations."
        )
        answer = ResponseSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        updated = services.recommendation_respond(
            by=request.user, recommendation=recommendation, **answer.validated_data
        )
        return Response(RecommendationSerializer(updated).data)


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action logs of the groups you can see; hub staff update them (with `version`)."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ActionSerializer
    filterset_fields = ["status", "meeting"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.actions_for_api(self.request.user).none()
        return selectors.actions_for_api(self.request.user)

    @extend_schema(request=ActionSerializer, responses={200: ActionSerializer})
    def partial_update(self, request, pk=None):
        current = self.get_object()
        require_meeting_manager(request.user, current.meeting.group, ACTION_LOG)
        changes = ActionSerializer(current, data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        data = dict(changes.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["Send the version you are changing."]})
        updated = services.action_update(by=request.user, action=current, version=version, **data)
        return Response(ActionSerializer(updated).data)
