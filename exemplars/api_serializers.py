"""The exemplar API's bodies: the nested read of a project, and what each write takes."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.serializers import LongTextField

from . import selectors
from .models import Exemplar, Milestone, Participant, PathwayService, Recommendation, ReportVersion


class PathwayServiceSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = PathwayService
        fields = ["id", "name", "specialised", "programme", "note", "removed", "version"]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    commissioner = serializers.SlugRelatedField(
        slug_field="ods_code", read_only=True, allow_null=True
    )

    class Meta:
        model = Participant
        fields = [
            "id",
            "name",
            "organisation",
            "role",
            "commissioner",
            "joined_on",
            "left_on",
            "version",
        ]
        read_only_fields = fields


class ExemplarMilestoneSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "note", "is_overdue", "version"]
        read_only_fields = fields


class ReportVersionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "number",
            "original_filename",
            "content_type",
            "size",
            "text",
            "change_summary",
            "uploaded_at",
            "uploaded_by",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, version: ReportVersion) -> str | None:
        if not version.file:
            return None
        return reverse("exemplars:report-download", args=[version.pk])


class ExemplarRecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = [
            "id",
            "to",
            "text",
            "made_on",
            "decision",
            "decided_on",
            "decision_note",
            "version",
        ]
        read_only_fields = fields


class ExemplarSerializer(serializers.ModelSerializer):
    system = serializers.PrimaryKeyRelatedField(read_only=True)
    board = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    services = PathwayServiceSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    milestones = ExemplarMilestoneSerializer(many=True, read_only=True)
    report_versions = ReportVersionSerializer(many=True, read_only=True)
    recommendations = ExemplarRecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = Exemplar
        fields = [
            "id",
            "system",
            "board",
            "title",
            "pathway",
            "scope",
            "status",
            "start_date",
            "closed_on",
            "closed_reason",
            "version",
            "services",
            "participants",
            "milestones",
            "report_versions",
            "recommendations",
        ]
        read_only_fields = fields


# --- writes ------------------------------------------------------------------------------------


class ExemplarWriteSerializer(serializers.Serializer):
    system = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    pathway = serializers.CharField(max_length=100)
    scope = LongTextField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    board = serializers.IntegerField(required=False, allow_null=True, default=None)


class ExemplarUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    pathway = serializers.CharField(max_length=100)
    scope = LongTextField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    board = serializers.IntegerField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(min_value=1)


class ExemplarVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ExemplarCloseSerializer(ExemplarVersionSerializer):
    closed_on = serializers.DateField()
    reason = LongTextField()


class ServiceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    specialised = serializers.BooleanField()
    programme = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.programmes(), required=False, allow_null=True
    )
    note = LongTextField(required=False, allow_blank=True, default="")


class ServiceUpdateSerializer(ServiceWriteSerializer):
    removed = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(min_value=1)


class ParticipantWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200)
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    commissioner = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=selectors.all_commissioners(),
        required=False,
        allow_null=True,
        default=None,
    )
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


class ParticipantUpdateSerializer(ParticipantWriteSerializer):
    version = serializers.IntegerField(min_value=1)


class MilestoneWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = LongTextField(required=False, allow_blank=True, default="")


class MilestoneUpdateSerializer(MilestoneWriteSerializer):
    version = serializers.IntegerField(min_value=1)


class ReportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, allow_empty_file=True)
    text = LongTextField(required=False, allow_blank=True, default="")
    change_summary = serializers.CharField(max_length=500)


class RecommendationWriteSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Recommendation.To.choices)
    text = LongTextField()
    made_on = serializers.DateField()


class DecisionWriteSerializer(ExemplarVersionSerializer):
    decision = serializers.ChoiceField(
        choices=[
            Recommendation.Decision.AGREED,
            Recommendation.Decision.NOT_AGREED,
            Recommendation.Decision.DEFERRED,
        ]
    )
    decided_on = serializers.DateField()
    note = LongTextField(required=False, allow_blank=True, default="")
