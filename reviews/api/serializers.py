"""What the peer-review API reads and writes: one serializer per shape."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.serializers import LongTextField

from .. import issued, selectors
from ..models import (
    Assessment,
    Finding,
    LineOfEnquiry,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from ..permissions import sees_workings_preloaded
from .fields import (
    MAX_ID,
    VERSION_HELP,
    WORKINGS_HELP,
    AssessmentStatusField,
    CycleKindField,
    FindingKindField,
    RatingField,
    RecommendationStatusField,
    ReportRatingField,
    ReviewerRoleField,
    ReviewerStatusField,
    ReviewStatusField,
    SlugField,
    ThemeField,
    _programme_field,
)


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
    purpose = LongTextField(allow_blank=True, default="")


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

    def to_representation(self, place: Reviewer) -> dict:
        """The declared fields, read straight from the row: a list of reviews shows hundreds
        of places, and DRF's generic path costs several times as much (the same output:
        tests/reviews/test_api_panel_output.py). The person's name comes from the
        `person_name` annotation when the place was read with it (selectors.panel_rows)."""
        when = self.fields["invited_at"].to_representation
        name = getattr(place, "person_name", None)
        return {
            "id": place.pk,
            "review": place.review_id,
            "user": place.user_id,
            "name": place.user.full_name if name is None else name,
            "role": str(place.role),
            "status": str(place.status),
            "home": place.home,
            "invited_at": when(place.invited_at),
            "responded_at": when(place.responded_at),
            "note": place.note,
            "version": place.version,
        }


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
    correcting = serializers.BooleanField(
        read_only=True,
        help_text="A correction of the issued report is in progress: only then may its "
        "findings and recommendations change.",
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
        return sees_workings_preloaded(self.context["request"].user, review)

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
        elif not issued.reads_draft(self.context["request"].user, review):
            # A correction is being drafted: readers outside the panel see the issued text.
            shown = issued.consolidation(review, as_issued=True)
            data["overall_rating"], data["summary"] = shown["overall_rating"], shown["summary"]
        return data


class ReviewVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class ReviewRefSerializer(serializers.Serializer):
    review = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Peer review id.")


class ReviewNoteSerializer(ReviewVersionSerializer):
    note = LongTextField(allow_blank=True, default="")


class DeclareReadySerializer(serializers.Serializer):
    cycle = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    hub = SlugField(
        slug_field="slug", queryset=selectors.hubs(), help_text="e.g. north-east-and-cumbria"
    )
    note = LongTextField(
        allow_blank=True, default="", help_text="Needed when any check is not met yet."
    )


class ConsolidateSerializer(ReviewVersionSerializer):
    overall_rating = RatingField(default="")
    summary = LongTextField(allow_blank=True, default="")


class IssueSerializer(ReviewVersionSerializer):
    reason = LongTextField(
        allow_blank=True, default="", help_text="Needed for a correction to an issued report."
    )


class HubResponseSerializer(ReviewVersionSerializer):
    summary = LongTextField(allow_blank=True, default="")
    actions = serializers.DictField(
        child=LongTextField(allow_blank=True),
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
    evidence = LongTextField(allow_blank=True, default="")
    comments = LongTextField(allow_blank=True, default="")


class AssessmentSaveSerializer(ReviewVersionSerializer):
    ratings = serializers.DictField(
        child=LineRatingInSerializer(),
        help_text="Line of enquiry id → {rating, evidence, comments}.",
    )
    submit = serializers.BooleanField(
        default=False, help_text="Submit: every line rated with evidence; no changes after."
    )


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


class FindingCreateSerializer(ReviewRefSerializer):
    kind = FindingKindField()
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    detail = LongTextField(allow_blank=True, default="")
    theme = ThemeField()
    programme_of_care = _programme_field(default=None)
    shareable = serializers.BooleanField(default=False)


class FindingUpdateSerializer(ReviewVersionSerializer):
    kind = FindingKindField(required=False)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    detail = LongTextField(allow_blank=True, required=False)
    theme = ThemeField(required=False)
    programme_of_care = _programme_field(required=False)
    shareable = serializers.BooleanField(required=False)


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
    detail = LongTextField(allow_blank=True, default="")
    owner = serializers.CharField(
        max_length=150, allow_blank=True, default="", help_text="Who owns it (required)."
    )
    due_date = serializers.DateField(allow_null=True, default=None, help_text="Required.")


class RecommendationUpdateSerializer(ReviewVersionSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    detail = LongTextField(allow_blank=True, required=False)
    owner = serializers.CharField(max_length=150, allow_blank=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)


class RecommendationProgressSerializer(ReviewVersionSerializer):
    status = RecommendationStatusField()
    note = LongTextField(
        allow_blank=True, default="", help_text="What was done: needed to close it."
    )
