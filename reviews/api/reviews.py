"""API: peer reviews and their steps (readiness, invitation, start, the report, the
hub's response, sign-off) and each reviewer's own assessment."""

from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissioning.api_helpers import valid as _valid
from commissioning.pagination import ShortPagination
from commissioning.schema import ErrorSerializer, ValidationErrorSerializer
from oversight.api import ConflictSerializer

from .. import selectors, services
from ..models import Assessment, PeerReview, Reviewer
from ..permissions import (
    get_cycle_for_user,
    get_hub_for_user,
    get_own_place,
    get_report_for_user,
    get_review_for_user,
    require_hub_staff,
)
from .fields import _ids
from .filters import ReviewFilter
from .serializers import (
    AssessmentSaveSerializer,
    AssessmentSerializer,
    CandidatesSerializer,
    ConsolidateSerializer,
    DeclareReadySerializer,
    HubResponseSerializer,
    IssueSerializer,
    PeerReviewSerializer,
    ReadinessQuerySerializer,
    ReadinessSerializer,
    ReviewNoteSerializer,
    ReviewReportSerializer,
    ReviewVersionSerializer,
)


class PeerReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Peer reviews you may see: the regional team's for its region, the reviewed hub's staff's
    own (status, readiness and dates), the panel's; national admins all. Steps are actions."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = PeerReviewSerializer
    filterset_class = ReviewFilter
    pagination_class = ShortPagination  # 20 a page: each review carries its panel

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.none(PeerReview)
        return selectors.reviews_for_api(self.request.user)

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
        review = service(by=request.user, review=review, **data)
        return self._out(review)

    @extend_schema(request=DeclareReadySerializer, responses={201: PeerReviewSerializer})
    @action(detail=False, methods=["post"], url_path="declare-ready")
    def declare_ready(self, request):
        """The hub's staff declare it ready for review in the cycle (the region is told)."""
        data = _valid(DeclareReadySerializer, request)
        hub = data["hub"]
        require_hub_staff(request.user, hub)
        cycle = selectors.cycle_or_none(data["cycle"])
        if cycle is None:
            raise ValidationError({"cycle": ["No such review cycle."]})
        review = services.review_declare_ready(
            by=request.user, cycle=cycle, hub=hub, note=data["note"]
        )
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
        hub = get_hub_for_user(request.user, query.validated_data["hub"])
        cycle = get_cycle_for_user(request.user, query.validated_data["cycle"])
        checks = services.readiness_for(hub, cycle.year)
        return Response(
            {
                "cycle": cycle.pk,
                "hub": hub.slug,
                "ready": checks.ready,
                "checks": [asdict(c) for c in checks.checks],
                "review": selectors.review_id_of_hub(cycle, hub),
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
        """The lead reviewer's overall rating and summary: a draft until issued, then frozen
        (409) except within a correction."""
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
        report = services.report_issue(by=request.user, review=review, **data)
        report = get_report_for_user(request.user, report.pk)
        return Response(ReviewReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewVersionSerializer,
        responses={200: PeerReviewSerializer, 409: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk):
        """The lead starts a correction of the issued report: its findings and recommendations
        may change again until the corrected version is issued with its reason."""
        return self._step(request, pk, services.correction_start, lead=True)

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
        review = services.response_submit(by=request.user, review=review, actions=actions, **data)
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
        return review, get_own_place(request.user, review)

    def _assessment_out(self, review: PeerReview, place: Reviewer) -> Response:
        mine = selectors.own_assessment(place)
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
            services.assessment_save(by=request.user, reviewer=place, ratings=ratings, **data)
        return self._assessment_out(review, place)
