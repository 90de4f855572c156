"""Plans and proposals through the API: read what you may, move a plan through its workflow,
propose, submit, decide and score. Refusals are the services' own (one exception handler)."""

import re

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commissioning.pagecache import hub_of
from oversight.api import ConflictSerializer

from .. import selectors, services
from ..permissions import (
    check_plan_step,
    check_propose_for,
    find_plan_for_user,
    get_plan_for_user,
    get_proposal_for_action,
    get_proposal_for_user,
)
from .common import requesting_user
from .serializers import (
    PlanSectionsSerializer,
    PlanSerializer,
    PlanStepSerializer,
    ProposalActionSerializer,
    ProposalCreateSerializer,
    ProposalSerializer,
    ScoresSerializer,
)

PLAN_MOVES = {
    "submit": services.plan_submit,
    "assure": services.plan_assure,
    "publish": services.plan_publish,
    "reopen": services.plan_reopen,
}


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Priorities plans you can read. Hub staff change a draft's sections (PATCH, with the
    `version` they started from); move a plan through its workflow with `step`."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = PlanSerializer
    filterset_fields = ["year", "status", "group"]

    def get_queryset(self):
        return selectors.api_plans(requesting_user(self))

    @extend_schema(
        request=PlanSectionsSerializer, responses={200: PlanSerializer, 409: ConflictSerializer}
    )
    def partial_update(self, request, pk=None):
        plan = get_plan_for_user(request.user, pk, write=True)
        body = PlanSectionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sections = dict(body.validated_data)
        version = sections.pop("version")
        plan = services.plan_update(by=request.user, plan=plan, version=version, **sections)
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=PlanStepSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        plan = self.get_object()
        body = PlanStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        step = data.pop("step")
        check_plan_step(request.user, plan, step)
        override = data.pop("override")
        if step == "assure":
            data["override"] = override
        elif step != "reopen":
            data.pop("reason")
        plan = PLAN_MOVES[step](by=request.user, plan=plan, **data)
        return Response(PlanSerializer(plan).data)


_ID = re.compile(r"[0-9]{1,18}")  # an id, as the lookup regex takes it


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals you can see: your own CCG's, or all of a plan you manage, assess or assure."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = ProposalSerializer
    filterset_fields = ["plan", "status"]

    def get_queryset(self):
        return selectors.api_proposals(requesting_user(self))

    @staticmethod
    def page_cache_hubs(request, pk=None):
        """The API read cache's scope (docs/page-cache.md): one proposal, or the list of one
        plan's proposals (`?plan=`), shows records of that plan's hub alone; any other list
        depends on whole tables."""
        if pk is not None:
            return hub_of("priorities.proposal", pk) if _ID.fullmatch(str(pk)) else None
        plan = request.GET.get("plan", "")
        return hub_of("priorities.prioritiesplan", int(plan)) if _ID.fullmatch(plan) else None

    def retrieve(self, request, pk=None):
        return Response(ProposalSerializer(get_proposal_for_user(request.user, pk)).data)

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer})
    def create(self, request):
        body = ProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan = find_plan_for_user(request.user, data.pop("plan"))
        if plan is None:
            raise ValidationError({"plan": ["No such plan."]})
        ccg = data.pop("ccg")
        check_propose_for(request.user, plan, ccg)
        proposal = services.proposal_create(
            by=request.user, plan=plan, ccg=ccg, suggested_subgroup=None, **data
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProposalActionSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"], url_path="act")
    def act(self, request, pk=None):
        """Submit (the proposer), ask for more information or decide (hub staff)."""
        body = ProposalActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        step = data["action"]
        proposal = get_proposal_for_action(request.user, pk, step.replace("_", "-"))
        if step == "submit":
            proposal = services.proposal_submit(
                by=request.user, proposal=proposal, version=data["version"]
            )
        elif step == "request_info":
            proposal = services.proposal_request_info(
                by=request.user, proposal=proposal, version=data["version"], message=data["message"]
            )
        else:
            proposal = services.proposal_decide(
                by=request.user,
                proposal=proposal,
                version=data["version"],
                status=data.get("status", ""),
                rationale=data["rationale"],
            )
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(request=ScoresSerializer, responses={200: ScoresSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Your own scores for this proposal (assessors, and the hub's staff, who become assessors
        with their first score)."""
        proposal = get_proposal_for_user(request.user, pk)
        body = ScoresSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            scores = {int(k): (v, "") for k, v in body.validated_data["scores"].items()}
        except ValueError as bad:
            raise ValidationError({"scores": ["Use criterion ids as keys."]}) from bad
        services.scores_record(by=request.user, proposal=proposal, scores=scores)
        return Response({"scores": {str(k): v for k, (v, _) in scores.items()}})
