"""API: findings and the learning library, recommendations, and issued reports."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.schema import ErrorSerializer
from oversight.api import ConflictSerializer

from .. import issued, selectors, services
from ..models import Finding, ReviewRecommendation, ReviewReport
from ..permissions import (
    get_finding_for_user,
    get_recommendation_for_user,
    get_report_for_user,
    get_review_for_user,
)
from .filters import FindingFilter, LearningFilter, RecommendationFilter, ReportFilter
from .serializers import (
    FindingCreateSerializer,
    FindingUpdateSerializer,
    LearningSerializer,
    RecommendationCreateSerializer,
    RecommendationProgressSerializer,
    RecommendationUpdateSerializer,
    ReviewFindingSerializer,
    ReviewRecommendationSerializer,
    ReviewRefSerializer,
    ReviewReportSerializer,
    ReviewVersionSerializer,
)


class AsIssuedMixin:
    """Lists and answers show each finding or recommendation as the user reads it: during a
    correction they do not draft, as issued (reviews.issued)."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else issued.as_read(self.request.user, page)

    def _as_read(self, row, *, missing: str):
        rows = issued.as_read(self.request.user, [row])
        if not rows:  # added by a correction's draft the user does not read
            raise Http404(missing)
        return rows[0]


class ReviewFindingViewSet(AsIssuedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Findings and good practice in the lead's report, for readers of the panel's workings;
    the lead adds, changes and archives them. `learning/` is the library every hub reads."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewFindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.none(Finding)
        return selectors.findings_for(self.request.user)

    def retrieve(self, request, pk):
        finding = self._as_read(get_finding_for_user(request.user, pk), missing="No such finding.")
        return Response(ReviewFindingSerializer(finding).data)

    @extend_schema(
        request=FindingCreateSerializer,
        responses={201: ReviewFindingSerializer, 404: ErrorSerializer, 409: ConflictSerializer},
    )
    def create(self, request):
        review_id = _valid(ReviewRefSerializer, request)["review"]
        review = get_review_for_user(request.user, review_id, lead=True)
        data = _valid(FindingCreateSerializer, request)
        data.pop("review")
        finding = services.finding_add(by=request.user, review=review, **data)
        return Response(ReviewFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FindingUpdateSerializer,
        responses={200: ReviewFindingSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        finding = get_finding_for_user(request.user, pk, write=True)
        data = _valid(FindingUpdateSerializer, request)
        finding = services.finding_update(by=request.user, finding=finding, **data)
        return Response(ReviewFindingSerializer(finding).data)

    @extend_schema(
        request=ReviewVersionSerializer,
        responses={200: ReviewFindingSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk):
        """Take the finding out of the report (kept as history)."""
        finding = get_finding_for_user(request.user, pk, write=True)
        data = _valid(ReviewVersionSerializer, request)
        finding = services.finding_archive(by=request.user, finding=finding, **data)
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
        findings = selectors.learning_findings()
        page = self.paginator.paginate_queryset(self.filter_queryset(findings), request, view=self)
        page = issued.as_read(None, page)  # every hub reads the library as issued
        return self.get_paginated_response(LearningSerializer(page, many=True).data)


class ReviewRecommendationViewSet(AsIssuedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Recommendations of the reviews you may see — the reviewed hub's staff only those in an
    issued report. The lead drafts them; the hub's staff report progress to closure."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewRecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.none(ReviewRecommendation)
        return selectors.recommendations_for(self.request.user)

    def retrieve(self, request, pk):
        rec = get_recommendation_for_user(request.user, pk)
        rec = self._as_read(rec, missing="No such recommendation.")
        return Response(ReviewRecommendationSerializer(rec).data)

    @extend_schema(
        request=RecommendationCreateSerializer,
        responses={
            201: ReviewRecommendationSerializer,
            404: ErrorSerializer,
            409: ConflictSerializer,
        },
    )
    def create(self, request):
        """The lead adds a recommendation (with its owner and due date)."""
        review_id = _valid(ReviewRefSerializer, request)["review"]
        review = get_review_for_user(request.user, review_id, lead=True)
        data = _valid(RecommendationCreateSerializer, request)
        data.pop("review")
        rec = services.recommendation_add(by=request.user, review=review, **data)
        return Response(ReviewRecommendationSerializer(rec).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RecommendationUpdateSerializer,
        responses={200: ReviewRecommendationSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk):
        rec = get_recommendation_for_user(request.user, pk, lead=True)
        data = _valid(RecommendationUpdateSerializer, request)
        rec = services.recommendation_update(by=request.user, recommendation=rec, **data)
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
        rec = services.recommendation_archive(by=request.user, recommendation=rec, **data)
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
        rec = services.recommendation_progress(by=request.user, recommendation=rec, **data)
        rec = self._as_read(rec, missing="No such recommendation.")
        return Response(ReviewRecommendationSerializer(rec).data)


class ReviewReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Issued reports (frozen; a correction is a new number with its reason) of the reviews you
    may see, the reviewed hub's staff included."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ReviewReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.none(ReviewReport)
        return selectors.reports_for(self.request.user)

    def retrieve(self, request, pk):
        report = get_report_for_user(request.user, pk)
        return Response(ReviewReportSerializer(report).data)
