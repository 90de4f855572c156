"""REST API for priorities plans, proposals, scores and delivery — the same access helpers and
services as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import User
from accounts.permissions import scopes
from commissioning.api_helpers import refused as _refused
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from hubs.models import CCG, ProgrammeOfCare
from oversight.api import VERSION_HELP, ConflictSerializer
from oversight.models import SubGroup
from oversight.permissions import can_manage_group

from . import services
from .models import (
    Assessor,
    Criterion,
    Delivery,
    DeliveryUpdate,
    Milestone,
    PrioritiesPlan,
    Proposal,
)
from .permissions import (
    all_proposals_visible_to,
    can_assure,
    can_edit_proposal,
    get_criterion_for_user,
    get_plan_for_user,
    get_proposal_for_user,
    plans_fully_visible_to,
    plans_visible_to,
)


class PlanSerializer(serializers.ModelSerializer):
    year_label = serializers.CharField(read_only=True)
    hub = serializers.CharField(source="group.hub.slug", read_only=True)

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
        ]
        read_only_fields = fields


class PlanStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["submit", "assure", "publish", "reopen"])
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlanSectionsSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    context = serializers.CharField(required=False, allow_blank=True)
    delivery_arrangements = serializers.CharField(required=False, allow_blank=True)
    finance = serializers.CharField(required=False, allow_blank=True)
    risks = serializers.CharField(required=False, allow_blank=True)


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Priorities plans you can read. Hub staff change a draft's sections (PATCH, with the
    `version` they started from); move a plan through its workflow with `step`."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = PlanSerializer
    filterset_fields = ["year", "status", "group"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PrioritiesPlan.objects.none()
        return plans_visible_to(self.request.user).order_by("-year", "group_id")

    @extend_schema(
        request=PlanSectionsSerializer, responses={200: PlanSerializer, 409: ConflictSerializer}
    )
    def partial_update(self, request, pk=None):
        plan = get_plan_for_user(request.user, pk, write=True)
        body = PlanSectionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sections = dict(body.validated_data)
        version = sections.pop("version")
        try:
            plan = services.plan_update(by=request.user, plan=plan, version=version, **sections)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=PlanStepSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        plan = self.get_object()
        body = PlanStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        step = data.pop("step")
        allowed = (
            can_assure(request.user, plan)
            if step == "assure"
            else can_manage_group(request.user, plan.group)
        )
        if not allowed:
            raise PermissionDenied("You may not take this step on the plan.")
        move = {
            "submit": services.plan_submit,
            "assure": services.plan_assure,
            "publish": services.plan_publish,
            "reopen": services.plan_reopen,
        }[step]
        if step != "reopen":
            data.pop("reason")
        try:
            plan = move(by=request.user, plan=plan, **data)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(PlanSerializer(plan).data)


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
        queryset=CCG.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    title = serializers.CharField(max_length=200)
    programme_of_care = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ProgrammeOfCare.objects.all(),
        required=False,
        allow_null=True,
        default=None,
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


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals you can see: your own CCG's, or all of a plan you manage, assess or assure."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ProposalSerializer
    filterset_fields = ["plan", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return (
            all_proposals_visible_to(self.request.user)
            .select_related("ccg", "programme_of_care")
            .order_by("plan_id", "title")
        )

    def retrieve(self, request, pk=None):
        return Response(ProposalSerializer(get_proposal_for_user(request.user, pk)).data)

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer})
    def create(self, request):
        body = ProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan = plans_visible_to(request.user).filter(pk=data.pop("plan")).first()
        if plan is None:
            raise ValidationError({"plan": ["No such plan."]})
        ccg = data.pop("ccg")
        if ccg is None and not can_manage_group(request.user, plan.group):
            raise PermissionDenied("Name your CCG; only hub staff propose without one.")
        if ccg is not None and ccg.pk not in scopes(request.user).ccg_ids:
            raise PermissionDenied("Propose only for your own CCG.")
        try:
            proposal = services.proposal_create(
                by=request.user, plan=plan, ccg=ccg, suggested_subgroup=None, **data
            )
        except RuleError as error:
            return _refused(error)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProposalActionSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"], url_path="act")
    def act(self, request, pk=None):
        """Submit (the proposer), ask for more information or decide (hub staff)."""
        body = ProposalActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        step = data["action"]
        proposal = get_proposal_for_user(request.user, pk)
        if step == "submit" and not can_edit_proposal(request.user, proposal):
            raise PermissionDenied("Only the proposing CCG's leads submit it.")
        if step != "submit" and not can_manage_group(request.user, proposal.plan.group):
            raise PermissionDenied("Only the hub's staff assess and decide proposals.")
        try:
            if step == "submit":
                proposal = services.proposal_submit(
                    by=request.user, proposal=proposal, version=data["version"]
                )
            elif step == "request_info":
                proposal = services.proposal_request_info(
                    by=request.user,
                    proposal=proposal,
                    version=data["version"],
                    message=data["message"],
                )
            else:
                proposal = services.proposal_decide(
                    by=request.user,
                    proposal=proposal,
                    version=data["version"],
                    status=data.get("status", ""),
                    rationale=data["rationale"],
                )
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(request=ScoresSerializer, responses={200: ScoresSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Your own scores for this proposal (assessors only)."""
        proposal = get_proposal_for_user(request.user, pk)
        body = ScoresSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            scores = {int(k): (v, "") for k, v in body.validated_data["scores"].items()}
        except ValueError as bad:
            raise ValidationError({"scores": ["Use criterion ids as keys."]}) from bad
        try:
            services.scores_record(by=request.user, proposal=proposal, scores=scores)
        except RuleError as error:
            if "assessors" in str(error):
                raise PermissionDenied(str(error)) from error
            return _refused(error)
        return Response({"scores": {str(k): v for k, (v, _) in scores.items()}})


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


def _priority_for_writing(user, proposal_id: int) -> Proposal:
    proposal = (
        all_proposals_visible_to(user).filter(pk=proposal_id).select_related("plan__group").first()
    )
    if proposal is None:
        raise ValidationError({"proposal": ["No such priority."]})
    if not can_manage_group(user, proposal.plan.group):
        raise PermissionDenied("Only the hub's staff record delivery.")
    return proposal


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


class MilestoneViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Milestones of the included priorities you can see; hub staff add them and change their
    status (PATCH, with the `version` they started from)."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = MilestoneSerializer
    filterset_fields = ["proposal", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        return (
            Milestone.objects.filter(proposal__plan__in=plans_visible_to(self.request.user))
            .select_related("proposal__plan__group")
            .order_by("due_date", "pk")
        )

    @extend_schema(request=MilestoneCreateSerializer, responses={201: MilestoneSerializer})
    def create(self, request):
        body = MilestoneCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _priority_for_writing(request.user, data.pop("proposal"))
        try:
            milestone = services.milestone_add(by=request.user, proposal=proposal, **data)
        except RuleError as error:
            return _refused(error)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MilestoneStatusSerializer,
        responses={200: MilestoneSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        if not can_manage_group(request.user, milestone.proposal.plan.group):
            raise PermissionDenied("Only the hub's staff record delivery.")
        body = MilestoneStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            milestone = services.milestone_set_status(
                by=request.user, milestone=milestone, **body.validated_data
            )
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(MilestoneSerializer(milestone).data)


class DeliveryUpdateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Progress updates (RAG, commentary, QIPP realised) on the priorities you can see; hub
    staff report them."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = UpdateSerializer
    filterset_fields = ["proposal", "rag"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeliveryUpdate.objects.none()
        return DeliveryUpdate.objects.filter(
            proposal__plan__in=plans_visible_to(self.request.user)
        ).order_by("-reported_on", "-pk")

    @extend_schema(request=UpdateCreateSerializer, responses={201: UpdateSerializer})
    def create(self, request):
        body = UpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _priority_for_writing(request.user, data.pop("proposal"))
        try:
            update = services.update_add(by=request.user, proposal=proposal, **data)
        except RuleError as error:
            return _refused(error)
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)


# --- assessment: criteria and assessors ------------------------------------------------------


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


def _plan_for_writing(user, plan_id: int) -> PrioritiesPlan:
    """A plan named in a request body: 400 if not the user's to see, 403 if not hub staff."""
    plan = plans_visible_to(user).filter(pk=plan_id).first()
    if plan is None:
        raise ValidationError({"plan": ["No such plan."]})
    if not can_manage_group(user, plan.group):
        raise PermissionDenied("Only the hub's staff manage its priorities plan.")
    return plan


class CriterionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The assessment criteria of the plans whose proposals you see (hub staff, assessors, the
    region). Hub staff add, rename, reweight (PATCH, with `version`) and archive them until
    the first score is recorded; archived criteria are neither scored nor ranked."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = CriterionSerializer
    filterset_fields = ["plan", "archived"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Criterion.objects.none()
        return Criterion.objects.filter(
            plan__in=plans_fully_visible_to(self.request.user)
        ).order_by("plan_id", "order", "pk")

    @extend_schema(request=CriterionCreateSerializer, responses={201: CriterionSerializer})
    def create(self, request):
        body = CriterionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan = _plan_for_writing(request.user, data.pop("plan"))
        try:
            criterion = services.criterion_add(by=request.user, plan=plan, **data)
        except RuleError as error:
            return _refused(error)
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CriterionUpdateSerializer,
        responses={200: CriterionSerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        criterion = get_criterion_for_user(request.user, pk, write=True)
        body = CriterionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            criterion = services.criterion_update(
                by=request.user, criterion=criterion, **body.validated_data
            )
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(CriterionSerializer(criterion).data)

    @extend_schema(request=VersionSerializer, responses={200: CriterionSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take the criterion out of the assessment; it stays on record."""
        criterion = get_criterion_for_user(request.user, pk, write=True)
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            criterion = services.criterion_archive(
                by=request.user, criterion=criterion, **body.validated_data
            )
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(CriterionSerializer(criterion).data)


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


class AssessorViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who scores each plan's proposals (plans whose proposals you see); hub staff add
    assessors by email address."""

    serializer_class = AssessorSerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessor.objects.none()
        return (
            Assessor.objects.filter(plan__in=plans_fully_visible_to(self.request.user))
            .select_related("user")
            .order_by("plan_id", "user__full_name", "pk")
        )

    @extend_schema(request=AssessorCreateSerializer, responses={201: AssessorSerializer})
    def create(self, request):
        body = AssessorCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _plan_for_writing(request.user, body.validated_data["plan"])
        user = User.objects.filter(
            email__iexact=body.validated_data["email"], is_active=True
        ).first()
        if user is None:
            raise ValidationError({"email": ["No one with that email address has an account."]})
        assessor = services.assessor_add(by=request.user, plan=plan, user=user)
        return Response(AssessorSerializer(assessor).data, status=status.HTTP_201_CREATED)


# --- delivery of included priorities ---------------------------------------------------------


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "proposal", "lead", "subgroup", "kpis", "qipp_target", "version"]
        read_only_fields = fields


class DeliveryCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    lead = serializers.CharField(max_length=150, allow_blank=True, default="")
    subgroup = serializers.PrimaryKeyRelatedField(
        queryset=SubGroup.objects.all(), allow_null=True, default=None
    )
    kpis = serializers.CharField(allow_blank=True, default="")
    qipp_target = serializers.DecimalField(max_digits=12, decimal_places=0, default=0)


class DeliveryUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    lead = serializers.CharField(max_length=150, allow_blank=True, required=False)
    subgroup = serializers.PrimaryKeyRelatedField(
        queryset=SubGroup.objects.all(), allow_null=True, required=False
    )
    kpis = serializers.CharField(allow_blank=True, required=False)
    qipp_target = serializers.DecimalField(max_digits=12, decimal_places=0, required=False)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """How each included priority you can see is delivered: lead, sub-group, KPIs, QIPP
    target. Hub staff set them (POST, once per priority) and change them (PATCH, with
    `version`)."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = DeliverySerializer
    filterset_fields = ["proposal"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return (
            Delivery.objects.filter(proposal__in=all_proposals_visible_to(self.request.user))
            .select_related("proposal__plan__group")
            .order_by("proposal_id")
        )

    @extend_schema(request=DeliveryCreateSerializer, responses={201: DeliverySerializer})
    def create(self, request):
        body = DeliveryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _priority_for_writing(request.user, data.pop("proposal"))
        if Delivery.objects.filter(proposal=proposal).exists():
            raise ValidationError(
                {"proposal": ["Its delivery is already set; change it with PATCH."]}
            )
        try:
            delivery = services.delivery_set(by=request.user, proposal=proposal, **data)
        except RuleError as error:
            return _refused(error)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DeliveryUpdateSerializer,
        responses={200: DeliverySerializer, 409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        delivery = self.get_object()
        if not can_manage_group(request.user, delivery.proposal.plan.group):
            raise PermissionDenied("Only the hub's staff record delivery.")
        body = DeliveryUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = {
            name: getattr(delivery, name) for name in ("lead", "subgroup", "kpis", "qipp_target")
        }
        fields.update(body.validated_data)
        try:
            delivery = services.delivery_set(by=request.user, proposal=delivery.proposal, **fields)
        except (RuleError, ConflictError) as error:
            return _refused(error)
        return Response(DeliverySerializer(delivery).data)
