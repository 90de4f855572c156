"""The bodies the priorities API reads and writes."""

from rest_framework import serializers

from oversight.api import VERSION_HELP

from .. import selectors
from ..models import (
    Assessor,
    Criterion,
    Delivery,
    DeliveryUpdate,
    Milestone,
    PrioritiesPlan,
    Proposal,
)


class PlanSerializer(serializers.ModelSerializer):
    year_label = serializers.CharField(read_only=True)
    hub = serializers.CharField(source="group.hub.slug", read_only=True)
    assured_by = serializers.CharField(
        source="assured_by.full_name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Who in the regional team assured the plan (null until it is assured).",
    )

    class Meta:
        model = PrioritiesPlan
        fields = [
            "id",
            "group",
            "hub",
            "year",
            "year_label",
            "status",
            "context",
            "delivery_arrangements",
            "finance",
            "risks",
            "version",
            "assured_at",
            "assured_by",
            "assured_with_override",
            "assurance_override_reason",
        ]
        read_only_fields = fields


class PlanStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["submit", "assure", "publish", "reopen"])
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the plan is reopened; or, to assure with `override`, why it is assured "
        "without the first peer review report on its submitted version.",
    )
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Assure without an issued first peer review report (give the `reason`). "
        "Without it, assuring before the report answers 400 on `override`.",
    )


class PlanSectionsSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    context = serializers.CharField(required=False, allow_blank=True)
    delivery_arrangements = serializers.CharField(required=False, allow_blank=True)
    finance = serializers.CharField(required=False, allow_blank=True)
    risks = serializers.CharField(required=False, allow_blank=True)


class ProposalSerializer(serializers.ModelSerializer):
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True, allow_null=True)
    programme_of_care = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "plan",
            "ccg",
            "title",
            "programme_of_care",
            "crg",
            "service",
            "problem",
            "issues",
            "population",
            "benefits",
            "qipp_savings",
            "costs",
            "risks",
            "status",
            "rationale",
            "version",
        ]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    ccg = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=selectors.all_ccgs(),
        required=False,
        allow_null=True,
        default=None,
    )
    title = serializers.CharField(max_length=200)
    programme_of_care = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=selectors.all_programmes_of_care(),
        required=False,
        allow_null=True,
        default=None,
    )
    crg = serializers.PrimaryKeyRelatedField(
        queryset=selectors.all_crgs(), required=False, allow_null=True, default=None
    )
    service = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    problem = serializers.CharField()
    issues = serializers.CharField(required=False, default="", allow_blank=True)
    population = serializers.CharField(required=False, default="", allow_blank=True)
    benefits = serializers.CharField(required=False, default="", allow_blank=True)
    qipp_savings = serializers.DecimalField(max_digits=12, decimal_places=0, default=0)
    costs = serializers.DecimalField(max_digits=12, decimal_places=0, default=0)
    risks = serializers.CharField(required=False, default="", allow_blank=True)


class ProposalActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "request_info", "decide"])
    version = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=list(Proposal.DECISIONS), required=False)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    message = serializers.CharField(required=False, allow_blank=True, default="")


class ScoresSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=5),
        help_text="Criterion id → score from 0 to 5, for every criterion of the plan.",
    )


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "proposal", "title", "due_date", "status", "version"]
        read_only_fields = fields


class UpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryUpdate
        fields = ["id", "proposal", "rag", "commentary", "qipp_realised", "reported_on"]
        read_only_fields = fields


class MilestoneCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()


class UpdateCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    rag = serializers.ChoiceField(choices=DeliveryUpdate.Rag.choices)
    commentary = serializers.CharField()
    qipp_realised = serializers.DecimalField(max_digits=12, decimal_places=0, default=0)
    reported_on = serializers.DateField()


class MilestoneStatusSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    status = serializers.ChoiceField(choices=Milestone.Status.choices)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "plan", "name", "weight", "order", "archived", "version"]
        read_only_fields = fields


class CriterionCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    name = serializers.CharField(max_length=120)
    weight = serializers.IntegerField(min_value=1, max_value=10)


class CriterionUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    name = serializers.CharField(max_length=120, required=False)
    weight = serializers.IntegerField(min_value=1, max_value=10, required=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class AssessorSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Assessor
        fields = ["id", "plan", "email", "name"]
        read_only_fields = fields


class AssessorCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    email = serializers.EmailField(help_text="Someone who already has an account.")


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "proposal", "lead", "subgroup", "kpis", "qipp_target", "version"]
        read_only_fields = fields


class DeliveryCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    lead = serializers.CharField(max_length=150, allow_blank=True, default="")
    subgroup = serializers.PrimaryKeyRelatedField(
        queryset=selectors.all_subgroups(), allow_null=True, default=None
    )
    kpis = serializers.CharField(allow_blank=True, default="")
    qipp_target = serializers.DecimalField(max_digits=12, decimal_places=0, default=0)


class DeliveryUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    lead = serializers.CharField(max_length=150, allow_blank=True, required=False)
    subgroup = serializers.PrimaryKeyRelatedField(
        queryset=selectors.all_subgroups(), allow_null=True, required=False
    )
    kpis = serializers.CharField(allow_blank=True, required=False)
    qipp_target = serializers.DecimalField(max_digits=12, decimal_places=0, required=False)
