"""REST API for peer reviews: cycles, reviews, panels, assessments, findings, recommendations
and issued reports — the same access helpers (reviews/permissions.py) and services as the pages.

Not visible is 404, visible but not yours to change is 403. A service's refusal is a 400 keyed
by the field it concerns; a change made from a stale `version` is a 409 naming the current
version, and nothing is written. Hub staff never see the panel's workings (plan, governance,
drafts of the report, findings, assessments): only the issued report and what it recommends.
"""

from dataclasses import asdict

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import User
from accounts.permissions import scopes
from commissioning.api_helpers import refused as _refused
from commissioning.api_helpers import valid as _valid
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.schema import ErrorSerializer, ValidationErrorSerializer
from hubs.models import Hub, ProgrammeOfCare
from oversight.api import ConflictSerializer, IdFilter

from . import services
from .models import (
    Assessment,
    Finding,
    LineOfEnquiry,
    PeerReview,
    Rating,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
    Theme,
)
from .permissions import (
    can_manage_review,
    can_run_cycles,
    get_place_for_user,
    get_recommendation_for_user,
    get_report_for_user,
    get_review_for_user,
    is_lead,
    panel_place,
    reviews_visible_to,
    sees_review_workings,
    visible_assessments,
)

MAX_ID = 2**63 - 1
VERSION_HELP = "Required: the version of the record your change was made from."
WORKINGS_HELP = "The panel's workings: absent for the reviewed hub's staff."


def _enum_field(choices: type[models.TextChoices], component_name: str, *, blank=False):
    """A ChoiceField documented once as the schema component `component_name` (several choice
    sets share a field name across the API). `blank`: "" (not chosen yet) is a value too."""
    values = [*choices.values, ""] if blank else list(choices.values)

    @extend_schema_field(
        {
            "type": "string",
            "enum": values,
            "description": "\n".join(f"* `{v}` - {label}" for v, label in choices.choices),
        },
        component_name=component_name,
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            kwargs.setdefault("allow_blank", blank)
            super().__init__(choices=choices.choices, **kwargs)

    return EnumField


CycleKindField = _enum_field(ReviewCycle.Kind, "ReviewCycleKindEnum")
ReviewStatusField = _enum_field(PeerReview.Status, "PeerReviewStatusEnum")
RatingField = _enum_field(Rating, "ReviewRatingEnum", blank=True)
ReportRatingField = _enum_field(Rating, "ReviewReportRatingEnum")
ReviewerRoleField = _enum_field(Reviewer.Role, "ReviewerRoleEnum")
ReviewerStatusField = _enum_field(Reviewer.Status, "ReviewerStatusEnum")
AssessmentStatusField = _enum_field(Assessment.Status, "AssessmentStatusEnum")
FindingKindField = _enum_field(Finding.Kind, "FindingKindEnum")
ThemeField = _enum_field(Theme, "FindingThemeEnum")
RecommendationStatusField = _enum_field(
    ReviewRecommendation.Status, "ReviewRecommendationStatusEnum"
)


class SlugField(serializers.SlugRelatedField):
    """A record named by its slug. A NUL byte (which PostgreSQL cannot compare) is simply not
    found: a 400, not a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


def _ids(data: dict, name: str) -> dict[int, object]:
    """A JSON object keyed by record ids (JSON keys are strings) as {id: value}."""
    try:
        return {int(key): value for key, value in data.items()}
    except ValueError as bad:
        raise ValidationError({name: ["Use record ids as keys."]}) from bad


# --- who reads the workings, for many records at once -------------------------------------


def _accepted_review_ids(user):
    """Ids of the reviews the user has accepted a place on (a subquery)."""
    return Reviewer.objects.filter(user_id=user.pk, status=Reviewer.Status.ACCEPTED).values(
        "review_id"
    )


def _workings(user) -> Q:
    """Rows (with a `review`) whose review's workings the user reads — the same rule as
    permissions.sees_review_workings, as one filter instead of a query per review."""
    s = scopes(user)
    if s.national:
        return Q()
    return Q(review__hub__region_id__in=s.region_ids) | Q(review_id__in=_accepted_review_ids(user))


def _sees_workings(user, review: PeerReview) -> bool:
    has_accepted_place = getattr(review, "has_accepted_place", None)
    if has_accepted_place is None:
        return sees_review_workings(user, review)
    return scopes(user).national or can_manage_review(user, review) or has_accepted_place


# --- cycles --------------------------------------------------------------------------------


class LineOfEnquirySerializer(serializers.ModelSerializer):
    class Meta:
        model = LineOfEnquiry
        fields = ["id", "order", "title", "prompt"]
        read_only_fields = fields


class ReviewCycleSerializer(serializers.ModelSerializer):
    kind = CycleKindField(read_only=True)
    label = serializers.CharField(source="__str__", read_only=True)
    year_label = serializers.CharField(read_only=True)
    lines = LineOfEnquirySerializer(many=True, read_only=True)

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "year",
            "year_label",
            "kind",
            "label",
            "opens_on",
            "closes_on",
            "purpose",
            "lines",
            "version",
        ]
        read_only_fields = fields


class ReviewCycleCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2013, max_value=2100, help_text="The financial year's first calendar year."
    )
    kind = CycleKindField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    purpose = serializers.CharField(allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def get_max_validator(self):
        return MaxValueValidator(2100)


class CycleFilter(django_filters.FilterSet):
    year = YearFilter(label="Financial year starting", min_value=2013)
    kind = django_filters.ChoiceFilter(choices=ReviewCycle.Kind.choices)

    class Meta:
        model = ReviewCycle
        fields = ["year", "kind"]


class ReviewCycleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The year's rounds of peer review with their lines of enquiry (any signed-in user).
    National admins open a new cycle, with the default lines for its kind."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewCycleSerializer
    filterset_class = CycleFilter

    def get_queryset(self):
        return ReviewCycle.objects.prefetch_related("lines").order_by("-year", "kind")

    def retrieve(self, request, pk):
        try:
            cycle = self.get_queryset().get(pk=pk)
        except ReviewCycle.DoesNotExist as missing:
            raise Http404("No such review cycle.") from missing
        return Response(ReviewCycleSerializer(cycle).data)

    @extend_schema(request=ReviewCycleCreateSerializer, responses={201: ReviewCycleSerializer})
    def create(self, request):
        if not can_run_cycles(request.user):
            raise PermissionDenied("Only national admins open review cycles.")
        data = _valid(ReviewCycleCreateSerializer, request)
        try:
            cycle = services.cycle_create(by=request.user, **data)
        except RuleError as error:
            return _refused(error)
        cycle = self.get_queryset().get(pk=cycle.pk)
        return Response(ReviewCycleSerializer(cycle).data, status=status.HTTP_201_CREATED)


# --- reviews -------------------------------------------------------------------------------


class PanelPlaceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    role = ReviewerRoleField(read_only=True)
    status = ReviewerStatusField(read_only=True)

    class Meta:
        model = Reviewer
        fields = [
            "id",
            "review",
            "user",
            "name",
            "role",
            "status",
            "home",
            "invited_at",
            "responded_at",
            "note",
            "version",
        ]
        read_only_fields = fields


class ReviewReportSerializer(serializers.ModelSerializer):
    hub = serializers.CharField(source="review.hub.slug", read_only=True)
    cycle_label = serializers.CharField(source="review.cycle", read_only=True)
    overall_rating = ReportRatingField(read_only=True)
    issued_by = serializers.CharField(source="issued_by.full_name", read_only=True)
    content = serializers.JSONField(
        read_only=True, help_text="The report as issued: summary, panel, findings, recommendations."
    )

    class Meta:
        model = ReviewReport
        fields = [
            "id",
            "review",
            "hub",
            "cycle_label",
            "number",
            "overall_rating",
            "content",
            "reason",
            "issued_at",
            "issued_by",
        ]
        read_only_fields = fields


WORKINGS = ["plan_version", "governance", "overall_rating", "summary", "panel"]


class PeerReviewSerializer(serializers.Serializer):
    """A hub's review in a cycle. The fields of the panel's workings are left out for the
    reviewed hub's staff (`workings` is false): they read the issued report instead."""

    id = serializers.IntegerField(read_only=True)
    cycle = serializers.IntegerField(source="cycle_id", read_only=True)
    cycle_label = serializers.CharField(source="cycle", read_only=True)
    hub = serializers.CharField(source="hub.slug", read_only=True)
    hub_name = serializers.CharField(source="hub.name", read_only=True)
    region = serializers.CharField(source="hub.region.slug", read_only=True)
    status = ReviewStatusField(read_only=True)
    readiness = serializers.JSONField(
        read_only=True, help_text="The checklist as it was when readiness was declared."
    )
    readiness_note = serializers.CharField(read_only=True)
    declared_at = serializers.DateTimeField(read_only=True, allow_null=True)
    invited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    responded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    signed_off_at = serializers.DateTimeField(read_only=True, allow_null=True)
    response_summary = serializers.CharField(read_only=True)
    signoff_note = serializers.CharField(
        read_only=True, help_text="The regional team's note on signing off or returning."
    )
    latest_report = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The newest issued report's id."
    )
    version = serializers.IntegerField(read_only=True)
    workings = serializers.SerializerMethodField()
    # Output only; not read-only so that the schema marks them optional.
    plan_version = serializers.IntegerField(
        source="plan_version_id", required=False, allow_null=True, help_text=WORKINGS_HELP
    )
    governance = serializers.JSONField(
        required=False,
        help_text=(
            "The governance record as it was at submission (panel's workings). Only on a "
            "single review: the list leaves it out, as it runs to tens of KB a review."
        ),
    )
    overall_rating = RatingField(required=False, help_text=WORKINGS_HELP)
    summary = serializers.CharField(required=False, help_text=WORKINGS_HELP)
    panel = PanelPlaceSerializer(many=True, required=False, help_text=WORKINGS_HELP)

    def get_workings(self, review: PeerReview) -> bool:
        return _sees_workings(self.context["request"].user, review)

    def get_fields(self):
        fields = super().get_fields()
        if self.context.get("listing"):
            fields.pop("governance")
        return fields

    def to_representation(self, review):
        data = super().to_representation(review)
        if not data["workings"]:
            for name in WORKINGS:
                data.pop(name, None)
        return data


class ReviewVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class ReviewRefSerializer(serializers.Serializer):
    review = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Peer review id.")


class ReviewNoteSerializer(ReviewVersionSerializer):
    note = serializers.CharField(allow_blank=True, default="")


class DeclareReadySerializer(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    hub = SlugField(
        slug_field="slug", queryset=Hub.objects.all(), help_text="e.g. north-east-and-cumbria"
    )
    note = serializers.CharField(
        allow_blank=True, default="", help_text="Needed when any check is not met yet."
    )


class ConsolidateSerializer(ReviewVersionSerializer):
    overall_rating = RatingField(default="")
    summary = serializers.CharField(allow_blank=True, default="")


class IssueSerializer(ReviewVersionSerializer):
    reason = serializers.CharField(
        allow_blank=True, default="", help_text="Needed for a correction to an issued report."
    )


class HubResponseSerializer(ReviewVersionSerializer):
    summary = serializers.CharField(allow_blank=True, default="")
    actions = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text="Recommendation id → the hub's action, for every issued recommendation.",
    )


class CheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    detail = serializers.CharField()


class ReadinessSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    hub = serializers.CharField()
    ready = serializers.BooleanField(help_text="Every check is met.")
    checks = CheckSerializer(many=True)
    review = serializers.IntegerField(
        allow_null=True, help_text="The review, once the hub has declared readiness."
    )


class ReadinessQuerySerializer(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    hub = serializers.CharField(max_length=100)


class CandidateSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.full_name")
    home = serializers.CharField()
    hub = serializers.IntegerField(source="hub_id", allow_null=True)
    region = serializers.IntegerField(source="region_id", allow_null=True)
    load = serializers.IntegerField(help_text="Active places on this cycle's panels.")
    reason = serializers.CharField(source="excluded", help_text="Why not offered (if not).")


class CandidatesSerializer(serializers.Serializer):
    offered = CandidateSerializer(many=True, help_text="Best balanced first.")
    excluded = CandidateSerializer(many=True, help_text="Never offered: with the reason.")


class RatingOutSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    title = serializers.CharField()
    rating = RatingField()
    evidence = serializers.CharField()
    comments = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    """One reviewer's structured review. `id` is null until its first save."""

    id = serializers.IntegerField(allow_null=True)
    review = serializers.IntegerField(source="reviewer.review_id")
    reviewer = serializers.IntegerField(source="reviewer_id", help_text="The place on the panel.")
    reviewer_name = serializers.CharField(source="reviewer.user.full_name")
    role = ReviewerRoleField(source="reviewer.role")
    status = AssessmentStatusField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    ratings = serializers.SerializerMethodField()

    @extend_schema_field(RatingOutSerializer(many=True))
    def get_ratings(self, assessment: Assessment) -> list:
        rows = {r.line_id: r for r in assessment.ratings.all()} if assessment.pk else {}
        lines = self.context.get("lines") or [r.line for r in rows.values()]
        out = []
        for line in lines:
            row = rows.get(line.pk)
            out.append(
                {
                    "line": line.pk,
                    "title": line.title,
                    "rating": row.rating if row else "",
                    "evidence": row.evidence if row else "",
                    "comments": row.comments if row else "",
                }
            )
        return out


class LineRatingInSerializer(serializers.Serializer):
    rating = RatingField(default="")
    evidence = serializers.CharField(allow_blank=True, default="")
    comments = serializers.CharField(allow_blank=True, default="")


class AssessmentSaveSerializer(ReviewVersionSerializer):
    ratings = serializers.DictField(
        child=LineRatingInSerializer(),
        help_text="Line of enquiry id → {rating, evidence, comments}.",
    )
    submit = serializers.BooleanField(
        default=False, help_text="Submit: every line rated with evidence; no changes after."
    )


class ReviewFilter(django_filters.FilterSet):
    cycle = IdFilter(field_name="cycle_id", label="Review cycle id")
    hub = django_filters.CharFilter(field_name="hub__slug", label="Hub slug")
    status = django_filters.ChoiceFilter(choices=PeerReview.Status.choices)

    class Meta:
        model = PeerReview
        fields = ["cycle", "hub", "status"]


class PeerReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Peer reviews you may see: the regional team's for its region, the reviewed hub's staff's
    own (status, readiness and dates), the panel's; national admins all. Steps are actions."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = PeerReviewSerializer
    filterset_class = ReviewFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PeerReview.objects.none()
        user = self.request.user
        accepted = Reviewer.objects.filter(
            review=OuterRef("pk"), user_id=user.pk, status=Reviewer.Status.ACCEPTED
        )
        latest = ReviewReport.objects.filter(review=OuterRef("pk")).order_by("-number")
        return (
            reviews_visible_to(user)
            .annotate(
                has_accepted_place=Exists(accepted), latest_report=Subquery(latest.values("pk")[:1])
            )
            .prefetch_related(Prefetch("panel", queryset=Reviewer.objects.select_related("user")))
            .order_by("-cycle__year", "cycle__kind", "hub__name", "pk")
        )

    # The list leaves out each review's frozen governance record, and does not read it.
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.defer("governance") if self._listing() else queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "listing": self._listing()}

    def _listing(self) -> bool:
        return getattr(self, "action", None) == "list"

    def _out(self, review: PeerReview, *, code=status.HTTP_200_OK) -> Response:
        """The review as this user may see it, read again with what the list preloads."""
        review = self.get_queryset().get(pk=review.pk)
        return Response(self.get_serializer(review).data, status=code)

    def retrieve(self, request, pk):
        return self._out(get_review_for_user(request.user, pk))

    def _step(self, request, pk, service, body_class=ReviewVersionSerializer, **access):
        review = get_review_for_user(request.user, pk, **access)
        data = _valid(body_class, request)
        try:
            review = service(by=request.user, review=review, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return self._out(review)

    @extend_schema(request=DeclareReadySerializer, responses={201: PeerReviewSerializer})
    @action(detail=False, methods=["post"], url_path="declare-ready")
    def declare_ready(self, request):
        """The hub's staff declare it ready for review in the cycle (the region is told)."""
        data = _valid(DeclareReadySerializer, request)
        hub = data["hub"]
        if hub.pk not in scopes(request.user).hub_ids:
            raise PermissionDenied("Only the hub's staff declare its readiness.")
        cycle = ReviewCycle.objects.filter(pk=data["cycle"]).first()
        if cycle is None:
            raise ValidationError({"cycle": ["No such review cycle."]})
        try:
            review = services.review_declare_ready(
                by=request.user, cycle=cycle, hub=hub, note=data["note"]
            )
        except RuleError as error:
            return _refused(error)
        return self._out(review, code=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("cycle", int, required=True, description="Review cycle id"),
            OpenApiParameter("hub", str, required=True, description="Hub slug"),
        ],
        responses={200: ReadinessSerializer, 400: ValidationErrorSerializer, 404: ErrorSerializer},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def readiness(self, request):
        """A hub's readiness checklist for a cycle, computed from its records now: for the
        hub's staff, its regional team and national admins."""
        query = ReadinessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        s = scopes(request.user)
        hub = Hub.objects.filter(slug=query.validated_data["hub"]).first()
        cycle = ReviewCycle.objects.filter(pk=query.validated_data["cycle"]).first()
        if hub is None or not (s.national or hub.region_id in s.region_ids or hub.pk in s.hub_ids):
            raise Http404("No such hub.")
        if cycle is None:
            raise Http404("No such review cycle.")
        checks = services.readiness_for(hub, cycle.year)
        review = PeerReview.objects.filter(cycle=cycle, hub=hub).values_list("pk", flat=True)
        return Response(
            {
                "cycle": cycle.pk,
                "hub": hub.slug,
                "ready": checks.ready,
                "checks": [asdict(c) for c in checks.checks],
                "review": review.first(),
            }
        )

    @extend_schema(
        request=ReviewVersionSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk):
        """The regional team invites the review: the frozen plan and governance record are
        fixed for the panel."""
        return self._step(request, pk, services.review_invite, manage=True)

    @extend_schema(
        request=ReviewVersionSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk):
        """The regional team starts the review once a lead and another reviewer accepted."""
        return self._step(request, pk, services.review_start, manage=True)

    @extend_schema(
        request=ReviewNoteSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk):
        """The regional team signs off the hub's response."""
        return self._step(
            request, pk, services.response_sign_off, ReviewNoteSerializer, manage=True
        )

    @extend_schema(
        request=ReviewNoteSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return-response")
    def return_response(self, request, pk):
        """The regional team sends the response back to the hub, saying what it needs."""
        return self._step(request, pk, services.response_return, ReviewNoteSerializer, manage=True)

    @extend_schema(
        request=ConsolidateSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def consolidate(self, request, pk):
        """The lead reviewer's overall rating and summary (a draft until issued)."""
        return self._step(
            request, pk, services.review_consolidate, ConsolidateSerializer, lead=True
        )

    @extend_schema(
        request=IssueSerializer,
        responses={201: ReviewReportSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk):
        """The lead issues the report to the hub, frozen; issuing again is a correction and
        needs a reason."""
        review = get_review_for_user(request.user, pk, lead=True)
        data = _valid(IssueSerializer, request)
        try:
            report = services.report_issue(by=request.user, review=review, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        report = get_report_for_user(request.user, report.pk)
        return Response(ReviewReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=HubResponseSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk):
        """The reviewed hub's staff answer the report: an action for every recommendation."""
        review = get_review_for_user(request.user, pk, hub=True)
        data = _valid(HubResponseSerializer, request)
        actions = _ids(data.pop("actions"), "actions")
        try:
            review = services.response_submit(
                by=request.user, review=review, actions=actions, **data
            )
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return self._out(review)

    @extend_schema(responses={200: CandidatesSerializer})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def candidates(self, request, pk):
        """People the regional team may invite onto the panel, best balanced first; those who
        may not review this hub are listed apart with the reason."""
        review = get_review_for_user(request.user, pk, manage=True)
        return Response(CandidatesSerializer(services.reviewer_candidates(review)).data)

    def _my_place(self, request, pk) -> tuple[PeerReview, Reviewer]:
        review = get_review_for_user(request.user, pk)
        place = panel_place(request.user, review)
        if place is None:
            raise PermissionDenied("Only the review's panel rates it.")
        if place.status != Reviewer.Status.ACCEPTED:
            raise PermissionDenied("Accept your place on the panel first.")
        return review, place

    def _assessment_out(self, review: PeerReview, place: Reviewer) -> Response:
        mine = Assessment.objects.filter(reviewer=place).prefetch_related("ratings").first()
        if mine is None:  # nothing saved yet: an empty draft, without writing one on a read
            mine = Assessment(reviewer=place, version=1)
        mine.reviewer = place
        lines = list(review.cycle.lines.all())
        return Response(AssessmentSerializer(mine, context={"lines": lines}).data)

    @extend_schema(methods=["GET"], responses={200: AssessmentSerializer})
    @extend_schema(
        methods=["PUT"],
        request=AssessmentSaveSerializer,
        responses={200: AssessmentSerializer, 409: ConflictSerializer},
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="my-assessment",
        filterset_class=None,
        pagination_class=None,
    )
    def my_assessment(self, request, pk):
        """Your own assessment (a rating, evidence and comments per line of enquiry): private
        until you submit it. PUT saves it (with `submit`, submits it)."""
        review, place = self._my_place(request, pk)
        if request.method == "PUT":
            data = _valid(AssessmentSaveSerializer, request)
            ratings = _ids(data.pop("ratings"), "ratings")
            try:
                services.assessment_save(by=request.user, reviewer=place, ratings=ratings, **data)
            except (RuleError, ConflictError) as error:
                return _refused(error)
        return self._assessment_out(review, place)


# --- the panel -----------------------------------------------------------------------------


class PlaceCreateSerializer(serializers.Serializer):
    review = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The person's id.")
    role = ReviewerRoleField(default=Reviewer.Role.REVIEWER)


class PlaceRespondSerializer(ReviewVersionSerializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=300, allow_blank=True, default="")


class PlaceConflictSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class PlaceReplaceSerializer(ReviewVersionSerializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The newcomer's id.")
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")


class PlaceFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")
    role = django_filters.ChoiceFilter(choices=Reviewer.Role.choices)
    status = django_filters.ChoiceFilter(choices=Reviewer.Status.choices)

    class Meta:
        model = Reviewer
        fields = ["review", "role", "status"]


def _person(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


class PanelViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Places on the panels whose workings you may read, and your own. The regional team
    invites and replaces; the invited person accepts, declines or declares a conflict."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = PanelPlaceSerializer
    filterset_class = PlaceFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reviewer.objects.none()
        user = self.request.user
        return (
            Reviewer.objects.filter(review__in=reviews_visible_to(user))
            .filter(Q(user_id=user.pk) | _workings(user))
            .select_related("user")
            .order_by("review_id", "role", "invited_at", "pk")
        )

    def retrieve(self, request, pk):
        return Response(PanelPlaceSerializer(get_place_for_user(request.user, pk)).data)

    @extend_schema(
        request=PlaceCreateSerializer, responses={201: PanelPlaceSerializer, 404: ErrorSerializer}
    )
    def create(self, request):
        """Invite someone onto the panel (never anyone who may not review the hub)."""
        data = _valid(PlaceCreateSerializer, request)
        review = get_review_for_user(request.user, data["review"], manage=True)
        try:
            place = services.panel_invite(
                by=request.user, review=review, user=_person(data["user"]), role=data["role"]
            )
        except RuleError as error:
            return _refused(error)
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
        try:
            place = services.reviewer_respond(by=request.user, reviewer=place, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(PanelPlaceSerializer(place).data)

    @extend_schema(request=PlaceConflictSerializer, responses={200: PanelPlaceSerializer})
    @action(detail=True, methods=["post"], url_path="declare-conflict")
    def declare_conflict(self, request, pk):
        """The invited person declares a conflict with the hub: off this panel, and never
        offered for the hub's reviews again."""
        place = get_place_for_user(request.user, pk, own=True)
        data = _valid(PlaceConflictSerializer, request)
        try:
            place = services.reviewer_declare_conflict(by=request.user, reviewer=place, **data)
        except RuleError as error:
            return _refused(error)
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
        try:
            newcomer = services.reviewer_replace(
                by=request.user,
                reviewer=place,
                version=data["version"],
                user=_person(data["user"]),
                reason=data["reason"],
            )
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(PanelPlaceSerializer(newcomer).data, status=status.HTTP_201_CREATED)


# --- assessments ---------------------------------------------------------------------------


class AssessmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Submitted assessments of a review: the regional team and national admins read them all,
    a reviewer reads colleagues' once their own is submitted. Drafts are never listed (your
    own is at peer-reviews/{id}/my-assessment/)."""

    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return Assessment.objects.none()

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


# --- findings and the learning library -----------------------------------------------------


class ReviewFindingSerializer(serializers.ModelSerializer):
    kind = FindingKindField(read_only=True)
    theme = ThemeField(read_only=True)
    programme_of_care = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "review",
            "kind",
            "title",
            "detail",
            "theme",
            "programme_of_care",
            "shareable",
            "archived",
            "version",
        ]
        read_only_fields = fields


class LearningSerializer(serializers.ModelSerializer):
    kind = FindingKindField(read_only=True)
    theme = ThemeField(read_only=True)
    programme_of_care = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    hub = serializers.CharField(source="review.hub.slug", read_only=True)
    hub_name = serializers.CharField(source="review.hub.name", read_only=True)
    region = serializers.CharField(source="review.hub.region.slug", read_only=True)
    cycle_label = serializers.CharField(source="review.cycle", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "kind",
            "title",
            "detail",
            "theme",
            "programme_of_care",
            "hub",
            "hub_name",
            "region",
            "cycle_label",
        ]
        read_only_fields = fields


def _programme_field(**kwargs):
    return SlugField(
        slug_field="slug",
        queryset=ProgrammeOfCare.objects.all(),
        allow_null=True,
        help_text="The Programme of Care's slug.",
        **kwargs,
    )


class FindingCreateSerializer(ReviewRefSerializer):
    kind = FindingKindField()
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    detail = serializers.CharField(allow_blank=True, default="")
    theme = ThemeField()
    programme_of_care = _programme_field(default=None)
    shareable = serializers.BooleanField(default=False)


class FindingUpdateSerializer(ReviewVersionSerializer):
    kind = FindingKindField(required=False)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    detail = serializers.CharField(allow_blank=True, required=False)
    theme = ThemeField(required=False)
    programme_of_care = _programme_field(required=False)
    shareable = serializers.BooleanField(required=False)


class FindingFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")
    kind = django_filters.ChoiceFilter(choices=Finding.Kind.choices)
    theme = django_filters.ChoiceFilter(choices=Theme.choices)
    archived = django_filters.BooleanFilter()

    class Meta:
        model = Finding
        fields = ["review", "kind", "theme", "archived"]


class LearningFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Words in the title or detail")
    theme = django_filters.ChoiceFilter(choices=Theme.choices)
    programme_of_care = django_filters.CharFilter(
        field_name="programme_of_care__slug", label="Programme of Care slug"
    )

    class Meta:
        model = Finding
        fields = ["q", "theme", "programme_of_care"]

    def search(self, findings, name, value):
        return findings.filter(Q(title__icontains=value) | Q(detail__icontains=value))


def _finding_for_user(user, pk, *, lead: bool = False) -> Finding:
    """A finding, for readers of its review's workings; `lead`: the lead changes it."""
    finding = (
        Finding.objects.filter(pk=pk, review__in=reviews_visible_to(user))
        .select_related("review__hub", "programme_of_care")
        .first()
    )
    if finding is None or not sees_review_workings(user, finding.review):
        raise Http404("No such finding.")
    if lead and not is_lead(user, finding.review):
        raise PermissionDenied("Only the panel's lead reviewer changes the report.")
    return finding


class ReviewFindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Findings and good practice in the lead's report, for readers of the panel's workings;
    the lead adds, changes and archives them. `learning/` is the library every hub reads."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewFindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Finding.objects.none()
        user = self.request.user
        return (
            Finding.objects.filter(review__in=reviews_visible_to(user))
            .filter(_workings(user))
            .select_related("programme_of_care")
            .order_by("review_id", "kind", "pk")
        )

    def retrieve(self, request, pk):
        return Response(ReviewFindingSerializer(_finding_for_user(request.user, pk)).data)

    @extend_schema(
        request=FindingCreateSerializer,
        responses={201: ReviewFindingSerializer, 404: ErrorSerializer},
    )
    def create(self, request):
        review_id = _valid(ReviewRefSerializer, request)["review"]
        review = get_review_for_user(request.user, review_id, lead=True)
        data = _valid(FindingCreateSerializer, request)
        data.pop("review")
        try:
            finding = services.finding_add(by=request.user, review=review, **data)
        except RuleError as error:
            return _refused(error)
        return Response(ReviewFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FindingUpdateSerializer,
        responses={200: ReviewFindingSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        finding = _finding_for_user(request.user, pk, lead=True)
        data = _valid(FindingUpdateSerializer, request)
        try:
            finding = services.finding_update(by=request.user, finding=finding, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(ReviewFindingSerializer(finding).data)

    @extend_schema(
        request=ReviewVersionSerializer,
        responses={200: ReviewFindingSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk):
        """Take the finding out of the report (kept as history)."""
        finding = _finding_for_user(request.user, pk, lead=True)
        data = _valid(ReviewVersionSerializer, request)
        try:
            finding = services.finding_archive(by=request.user, finding=finding, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(ReviewFindingSerializer(finding).data)

    @extend_schema(responses={200: LearningSerializer(many=True)})
    @action(
        detail=False,
        methods=["get"],
        filterset_class=LearningFilter,
        serializer_class=LearningSerializer,
    )
    def learning(self, request):
        """The learning library: good practice and findings marked shareable in issued
        reports, for every hub."""
        findings = (
            services.shared_findings()
            .select_related("review__hub__region", "review__cycle", "programme_of_care")
            .order_by("-review__cycle__year", "kind", "title", "pk")
        )
        page = self.paginate_queryset(self.filter_queryset(findings))
        return self.get_paginated_response(LearningSerializer(page, many=True).data)


# --- recommendations -----------------------------------------------------------------------


class ReviewRecommendationSerializer(serializers.ModelSerializer):
    status = RecommendationStatusField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ReviewRecommendation
        fields = [
            "id",
            "review",
            "title",
            "detail",
            "owner",
            "due_date",
            "status",
            "hub_action",
            "closure_note",
            "closed_at",
            "is_overdue",
            "archived",
            "version",
        ]
        read_only_fields = fields

    def get_is_overdue(self, rec: ReviewRecommendation) -> bool:
        return rec.is_overdue(timezone.localdate())


class RecommendationCreateSerializer(ReviewRefSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    detail = serializers.CharField(allow_blank=True, default="")
    owner = serializers.CharField(
        max_length=150, allow_blank=True, default="", help_text="Who owns it (required)."
    )
    due_date = serializers.DateField(allow_null=True, default=None, help_text="Required.")


class RecommendationUpdateSerializer(ReviewVersionSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    detail = serializers.CharField(allow_blank=True, required=False)
    owner = serializers.CharField(max_length=150, allow_blank=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)


class RecommendationProgressSerializer(ReviewVersionSerializer):
    status = RecommendationStatusField()
    note = serializers.CharField(
        allow_blank=True, default="", help_text="What was done: needed to close it."
    )


class RecommendationFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")
    status = django_filters.ChoiceFilter(choices=ReviewRecommendation.Status.choices)
    archived = django_filters.BooleanFilter()

    class Meta:
        model = ReviewRecommendation
        fields = ["review", "status", "archived"]


def _issued_recommendation_ids(hub_ids) -> set[int]:
    """Ids of the recommendations in the newest issued report of each review of these hubs
    (services.issued_recommendation_ids, for many reviews in one query)."""
    newest: dict[int, tuple[int, dict]] = {}
    reports = ReviewReport.objects.filter(review__hub_id__in=hub_ids)
    for review_id, number, content in reports.values_list("review_id", "number", "content"):
        if review_id not in newest or newest[review_id][0] < number:
            newest[review_id] = (number, content)
    return {r["id"] for _, content in newest.values() for r in content["recommendations"]}


class ReviewRecommendationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Recommendations of the reviews you may see — the reviewed hub's staff only those in an
    issued report. The lead drafts them; the hub's staff report progress to closure."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewRecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewRecommendation.objects.none()
        user = self.request.user
        visible = _workings(user)
        hub_ids = scopes(user).hub_ids
        if visible and hub_ids:
            visible |= Q(pk__in=_issued_recommendation_ids(hub_ids))
        return (
            ReviewRecommendation.objects.filter(review__in=reviews_visible_to(user))
            .filter(visible)
            .order_by("due_date", "pk")
        )

    def retrieve(self, request, pk):
        rec = get_recommendation_for_user(request.user, pk)
        return Response(ReviewRecommendationSerializer(rec).data)

    @extend_schema(
        request=RecommendationCreateSerializer,
        responses={201: ReviewRecommendationSerializer, 404: ErrorSerializer},
    )
    def create(self, request):
        """The lead adds a recommendation (with its owner and due date)."""
        review_id = _valid(ReviewRefSerializer, request)["review"]
        review = get_review_for_user(request.user, review_id, lead=True)
        data = _valid(RecommendationCreateSerializer, request)
        data.pop("review")
        try:
            rec = services.recommendation_add(by=request.user, review=review, **data)
        except RuleError as error:
            return _refused(error)
        return Response(ReviewRecommendationSerializer(rec).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RecommendationUpdateSerializer,
        responses={200: ReviewRecommendationSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        rec = get_recommendation_for_user(request.user, pk, lead=True)
        data = _valid(RecommendationUpdateSerializer, request)
        try:
            rec = services.recommendation_update(by=request.user, recommendation=rec, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(ReviewRecommendationSerializer(rec).data)

    @extend_schema(
        request=ReviewVersionSerializer,
        responses={200: ReviewRecommendationSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk):
        """The lead takes the recommendation out of the report (kept as history)."""
        rec = get_recommendation_for_user(request.user, pk, lead=True)
        data = _valid(ReviewVersionSerializer, request)
        try:
            rec = services.recommendation_archive(by=request.user, recommendation=rec, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(ReviewRecommendationSerializer(rec).data)

    @extend_schema(
        request=RecommendationProgressSerializer,
        responses={200: ReviewRecommendationSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk):
        """The reviewed hub's staff report progress; closing needs a note of what was done."""
        rec = get_recommendation_for_user(request.user, pk, progress=True)
        data = _valid(RecommendationProgressSerializer, request)
        try:
            rec = services.recommendation_progress(by=request.user, recommendation=rec, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(ReviewRecommendationSerializer(rec).data)


# --- issued reports ------------------------------------------------------------------------


class ReportFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")

    class Meta:
        model = ReviewReport
        fields = ["review"]


class ReviewReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Issued reports (frozen; a correction is a new number with its reason) of the reviews you
    may see, the reviewed hub's staff included."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewReport.objects.none()
        return (
            ReviewReport.objects.filter(review__in=reviews_visible_to(self.request.user))
            .select_related("review__hub", "review__cycle", "issued_by")
            .order_by("review_id", "-number")
        )

    def retrieve(self, request, pk):
        report = get_report_for_user(request.user, pk)
        return Response(ReviewReportSerializer(report).data)
