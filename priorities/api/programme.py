"""The joint programme of work through the API (issue 17, "What to build" 4 and 7; seed 000
§3.6): `joint-programme/{year}/` sets a year's included priorities of every hub beside the
year's national service reviews with the overlaps and their agreed way forward;
`overlap-decisions/` lists, records (POST) and changes (PUT, with the `version` started from:
stale is 409) the agreed way forward. Read by national admins, regional teams and hub staff
(others 403); written by national admins. A pair that is not an overlap is 400 on `review`."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissioning.limits import LONG_TEXT
from national.review_api import ServiceReviewSerializer
from oversight.api import ConflictSerializer

from .. import programme, services
from ..models import OverlapDecision, Proposal
from ..permissions import (
    can_read_programme,
    get_decision_for_user,
    require_programme_reader,
    require_way_forward_keeper,
)
from .common import requesting_user

MAX_ID = 2**63 - 1


class ReadsProgramme(permissions.BasePermission):
    message = "The joint programme of work is for national admins, regional teams and hub staff."

    def has_permission(self, request, view) -> bool:
        return can_read_programme(request.user)


class OverlapDecisionSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="review.year", read_only=True)
    hub = serializers.CharField(source="proposal.plan.group.hub.slug", read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True)

    class Meta:
        model = OverlapDecision
        fields = [
            "id",
            "year",
            "hub",
            "proposal",
            "review",
            "way_forward",
            "rationale",
            "decided_by",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


class OverlapDecisionCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The included priority (a proposal's id)."
    )
    review = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The national service review's id."
    )
    way_forward = serializers.ChoiceField(choices=OverlapDecision.WayForward.choices)
    rationale = serializers.CharField(max_length=LONG_TEXT)


class OverlapDecisionUpdateSerializer(serializers.Serializer):
    way_forward = serializers.ChoiceField(choices=OverlapDecision.WayForward.choices)
    rationale = serializers.CharField(max_length=LONG_TEXT)
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ProgrammePrioritySerializer(serializers.ModelSerializer):
    hub = serializers.CharField(source="plan.group.hub.slug", read_only=True)
    programme_of_care = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "title", "hub", "plan", "programme_of_care", "crg"]
        read_only_fields = fields


class OverlapSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal.pk")
    review = serializers.IntegerField(source="review.pk")
    reason = serializers.CharField(help_text="Same Clinical Reference Group, or Programme of Care.")
    decision = OverlapDecisionSerializer(allow_null=True)


class JointProgrammeSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    year_label = serializers.CharField()
    reviews = ServiceReviewSerializer(many=True)
    priorities = ProgrammePrioritySerializer(many=True)
    overlaps = OverlapSerializer(many=True)


class JointProgrammeViewSet(viewsets.ViewSet):
    """A financial year's joint programme of work (`/joint-programme/2015/` for 2015/16)."""

    permission_classes = [ReadsProgramme]
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"

    @extend_schema(responses={200: JointProgrammeSerializer})
    def retrieve(self, request, year=None):
        require_programme_reader(request.user)
        if not programme.FIRST_YEAR <= int(year) <= programme.LAST_YEAR:
            raise Http404("No such financial year.")
        data = programme.joint_programme(request.user, int(year), own_hub_ids=frozenset())
        body = {
            "year": data.year,
            "year_label": data.year_label,
            "reviews": [row.review for row in data.reviews],
            "priorities": [row.proposal for hub in data.hubs for row in hub.priorities],
            "overlaps": data.overlaps,
        }
        return Response(JointProgrammeSerializer(body).data)


YEAR = OpenApiParameter(
    "year", int, description="A financial year (2015 for 2015/16).", required=False
)


class OverlapDecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The agreed way forward for each overlap of an included priority with a national review
    (national admins write; changed with its version, never deleted)."""

    serializer_class = OverlapDecisionSerializer
    permission_classes = [ReadsProgramme]
    lookup_value_regex = "[0-9]{1,18}"
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        if requesting_user(self) is None:
            return programme.overlap_decisions_for_api().none()
        text = self.request.query_params.get("year", "")
        if not text:
            return programme.overlap_decisions_for_api()
        if not text.isdigit() or len(text) != 4:
            raise ValidationError({"year": ["Enter a financial year like 2015."]})
        return programme.overlap_decisions_for_api(int(text))

    @extend_schema(parameters=[YEAR])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=OverlapDecisionCreateSerializer,
        responses={201: OverlapDecisionSerializer, 409: ConflictSerializer},
    )
    def create(self, request, *args, **kwargs):
        require_way_forward_keeper(request.user)
        body = OverlapDecisionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal, review = programme.overlap_pair(data.pop("proposal"), data.pop("review"))
        if proposal is None:
            raise ValidationError({"proposal": ["No such priority."]})
        if review is None:
            raise ValidationError({"review": ["No such national service review."]})
        decision = services.overlap_agree(by=request.user, proposal=proposal, review=review, **data)
        return Response(
            OverlapDecisionSerializer(get_decision_for_user(request.user, decision.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=OverlapDecisionUpdateSerializer,
        responses={200: OverlapDecisionSerializer, 409: ConflictSerializer},
    )
    def update(self, request, *args, **kwargs):
        decision = get_decision_for_user(request.user, kwargs["pk"], write=True)
        body = OverlapDecisionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.overlap_agree(
            by=request.user,
            proposal=decision.proposal,
            review=decision.review,
            **body.validated_data,
        )
        return Response(
            OverlapDecisionSerializer(get_decision_for_user(request.user, decision.pk)).data
        )
