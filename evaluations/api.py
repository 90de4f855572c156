"""REST API for evaluations (issue 17, "What to build" 6 and 7; seed 000 §4.2.1): the
evaluations a person may read (filtered by year, plan and hub), recording one (hub staff, after
the plan's year), changing it with `version`, archiving it with a reason, sharing it once to the
learning library and once to the idea exchange; and the national summary by Programme of Care
and theme. Refusals are 400 by field, 403 when not yours, 409 for a stale version or a state
that no longer allows the change, as elsewhere."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api_helpers import valid
from commissioning.schema import ErrorSerializer, ValidationErrorSerializer
from commissioning.serializers import LongTextField
from ideas.models import Theme

from . import selectors, services
from .models import Evaluation, Rating
from .permissions import (
    check_summary_region,
    find_priority_to_evaluate,
    get_evaluation_for_user,
    summary_regions,
)


def _enum(choices, component_name: str):
    """A ChoiceField documented once as the schema component `component_name`."""

    @extend_schema_field(
        {
            "type": "string",
            "enum": list(choices.values),
            "description": "\n".join(f"* `{v}` - {label}" for v, label in choices.choices),
        },
        component_name=component_name,
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    return EnumField


RatingField = _enum(Rating, "EvaluationRatingEnum")
ThemeField = _enum(Theme, "EvaluationThemeEnum")


class EvaluationSerializer(serializers.ModelSerializer):
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    plan = serializers.IntegerField(source="proposal.plan_id", read_only=True)
    year = serializers.IntegerField(source="proposal.plan.year", read_only=True)
    hub = serializers.CharField(source="proposal.plan.group.hub.slug", read_only=True)
    programme_of_care = serializers.SlugRelatedField(
        source="proposal.programme_of_care", slug_field="slug", read_only=True
    )
    rating = RatingField(read_only=True)
    theme = ThemeField(read_only=True)
    evaluated_by = serializers.CharField(source="evaluated_by.email", read_only=True)
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "proposal",
            "proposal_title",
            "plan",
            "year",
            "hub",
            "programme_of_care",
            "rating",
            "planned_qipp",
            "qipp_realised",
            "benefits",
            "working",
            "perverse_incentives",
            "blockages",
            "good_practice",
            "theme",
            "evaluated_by",
            "created_at",
            "updated_at",
            "version",
            "is_archived",
            "archived_at",
            "archive_reason",
            "library_shared_at",
            "idea_post",
            "idea_shared_at",
        ]
        read_only_fields = fields


class EvaluationFieldsSerializer(serializers.Serializer):
    rating = RatingField()
    qipp_realised = serializers.DecimalField(
        max_digits=12, decimal_places=0, help_text="Whole pounds, not negative."
    )
    theme = ThemeField()
    benefits = LongTextField(allow_blank=True)
    working = LongTextField(required=False, default="", allow_blank=True)
    perverse_incentives = LongTextField(required=False, default="", allow_blank=True)
    blockages = LongTextField(required=False, default="", allow_blank=True)
    good_practice = LongTextField(required=False, default="", allow_blank=True)


class EvaluationCreateSerializer(EvaluationFieldsSerializer):
    proposal = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="The included priority (a proposal) of your hub's plan, after its year.",
    )


class EvaluationUpdateSerializer(EvaluationFieldsSerializer):
    version = serializers.IntegerField(min_value=1)


class EvaluationVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class EvaluationArchiveSerializer(EvaluationVersionSerializer):
    reason = LongTextField(allow_blank=True)


class EvaluationFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2013, max_value=2100)
    plan = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    hub = serializers.SlugField(required=False, max_length=100)
    archived = serializers.BooleanField(required=False, default=False)


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluations of included priorities after their year (seed 000 §4.2.1), for the readers
    of their plans: newest year first, 50 to a page. Archived ones with `archived=true`."""

    serializer_class = EvaluationSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.no_evaluations()
        body = EvaluationFilterSerializer(data=self.request.query_params)
        body.is_valid(raise_exception=True)
        found = selectors.for_api(self.request.user).filter(
            archived_at__isnull=not body.validated_data["archived"]
        )
        if "year" in body.validated_data:
            found = found.filter(proposal__plan__year=body.validated_data["year"])
        if "plan" in body.validated_data:
            found = found.filter(proposal__plan_id=body.validated_data["plan"])
        if "hub" in body.validated_data:
            found = found.filter(proposal__plan__group__hub__slug=body.validated_data["hub"])
        return found

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="The plan's financial year (2015: 2015/16)."),
            OpenApiParameter("plan", int, description="A plan's id."),
            OpenApiParameter("hub", str, description="A hub's slug."),
            OpenApiParameter("archived", bool, description="Archived evaluations instead."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        evaluation = get_evaluation_for_user(self.request.user, pk)
        return Response(EvaluationSerializer(evaluation).data, status=code)

    @extend_schema(responses={200: EvaluationSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        return self._answer(int(pk))

    @extend_schema(
        request=EvaluationCreateSerializer,
        responses={201: EvaluationSerializer, 409: ErrorSerializer},
    )
    def create(self, request):
        """The hub's staff record the evaluation of an included priority of their plan, from
        the day after its financial year ends (1 April); one standing evaluation per priority."""
        data = valid(EvaluationCreateSerializer, request)
        proposal = find_priority_to_evaluate(request.user, data.pop("proposal"))
        if proposal is None:
            raise ValidationError(
                {"proposal": ["Choose an included priority of your hub's plans."]}
            )
        evaluation = services.evaluation_record(by=request.user, proposal=proposal, **data)
        return self._answer(evaluation.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=EvaluationUpdateSerializer,
        responses={200: EvaluationSerializer, 409: ErrorSerializer},
    )
    def update(self, request, pk=None):
        """Change the evaluation, naming the version it started from (409 if stale)."""
        evaluation = get_evaluation_for_user(request.user, pk, write=True)
        data = valid(EvaluationUpdateSerializer, request)
        services.evaluation_update(by=request.user, evaluation=evaluation, **data)
        return self._answer(evaluation.pk)

    @extend_schema(request=EvaluationArchiveSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the evaluation with the reason; the priority may be evaluated again."""
        evaluation = get_evaluation_for_user(request.user, pk, write=True)
        data = valid(EvaluationArchiveSerializer, request)
        services.evaluation_archive(by=request.user, evaluation=evaluation, **data)
        return self._answer(evaluation.pk)

    @extend_schema(request=EvaluationVersionSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="share-to-library")
    def share_to_library(self, request, pk=None):
        """Share the evaluation, as it is now, with every hub in the learning library (once)."""
        evaluation = get_evaluation_for_user(request.user, pk, write=True)
        data = valid(EvaluationVersionSerializer, request)
        services.evaluation_share_to_library(by=request.user, evaluation=evaluation, **data)
        return self._answer(evaluation.pk)

    @extend_schema(request=EvaluationVersionSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="share-to-ideas")
    def share_to_ideas(self, request, pk=None):
        """Post the evaluation on the idea exchange for the hub (once); `idea_post` names it."""
        evaluation = get_evaluation_for_user(request.user, pk, write=True)
        data = valid(EvaluationVersionSerializer, request)
        services.evaluation_share_to_ideas(by=request.user, evaluation=evaluation, **data)
        return self._answer(evaluation.pk)


# --- the national summary ----------------------------------------------------------------------


class SummaryRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    included = serializers.IntegerField(help_text="Included priorities (by Programme of Care).")
    evaluated = serializers.IntegerField()
    met = serializers.IntegerField()
    partly_met = serializers.IntegerField()
    not_met = serializers.IntegerField()
    qipp_planned = serializers.DecimalField(max_digits=16, decimal_places=0, source="planned")
    qipp_realised = serializers.DecimalField(max_digits=16, decimal_places=0, source="realised")


class SummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    year_label = serializers.CharField()
    regions = serializers.ListField(
        child=serializers.CharField(), help_text="The regions summarised (slugs)."
    )
    by_programme = SummaryRowSerializer(many=True)
    by_theme = SummaryRowSerializer(many=True)
    total = SummaryRowSerializer()


class SummaryQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2013, max_value=2100)
    region = serializers.SlugField(required=False, max_length=100)


class EvaluationSummaryView(APIView):
    """The national summary of a year's evaluations by Programme of Care and by theme: national
    admins (every region, or `region`) and regional teams (their own region)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="The financial year (2015: 2015/16)."),
            OpenApiParameter("region", str, description="A region's slug."),
        ],
        responses={200: SummarySerializer, 400: ValidationErrorSerializer},
    )
    def get(self, request):
        allowed = summary_regions(request.user)
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        year = query.validated_data.get("year") or selectors.default_year(today)
        region = None
        slug = query.validated_data.get("region")
        if slug:
            region = selectors.region_by_slug(slug)
            if region is None:
                raise ValidationError({"region": ["No such region."]})
        elif allowed is not None:
            region = allowed[0]
        regions = check_summary_region(request.user, region)
        result = selectors.summary(year, regions)
        shown = regions if regions is not None else list(selectors.regions())
        body = {
            "year": result.year,
            "year_label": result.year_label,
            "regions": [r.slug for r in shown],
            "by_programme": result.by_programme,
            "by_theme": result.by_theme,
            "total": result.total,
        }
        return Response(SummarySerializer(body).data)
