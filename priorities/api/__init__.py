"""REST API for priorities plans, proposals, scores and delivery — the same access helpers,
selectors and services as the pages. One module per section: plans (and proposals),
assessment, delivery; the bodies in serializers. Services' refusals propagate to the one
exception handler (commissioning.api_errors)."""

from .assessment import AssessorViewSet, CriterionViewSet
from .delivery import DeliveryUpdateViewSet, DeliveryViewSet, MilestoneViewSet
from .plans import PlanViewSet, ProposalViewSet
from .programme import JointProgrammeViewSet, OverlapDecisionViewSet

__all__ = [
    "AssessorViewSet",
    "CriterionViewSet",
    "DeliveryUpdateViewSet",
    "DeliveryViewSet",
    "JointProgrammeViewSet",
    "MilestoneViewSet",
    "OverlapDecisionViewSet",
    "PlanViewSet",
    "ProposalViewSet",
]
