"""REST API for peer reviews: cycles, reviews, panels, assessments, findings, recommendations
and issued reports — the same access helpers (reviews/permissions.py) and services as the pages.

Not visible is 404, visible but not yours to change is 403. A service's refusal is a 400 keyed
by the field it concerns; a change made from a stale `version` is a 409 naming the current
version, and nothing is written. Hub staff never see the panel's workings (plan, governance,
drafts of the report, findings, assessments): only the issued report and what it recommends.

One module per resource (cycles, reviews, panel, report), with their serializers, filters and
fields beside them; the viewsets are importable from `reviews.api` as before.
"""

from .cycles import ReviewCycleViewSet
from .panel import AssessmentViewSet, PanelViewSet
from .report import ReviewFindingViewSet, ReviewRecommendationViewSet, ReviewReportViewSet
from .reviews import PeerReviewViewSet

__all__ = [
    "AssessmentViewSet",
    "PanelViewSet",
    "PeerReviewViewSet",
    "ReviewCycleViewSet",
    "ReviewFindingViewSet",
    "ReviewRecommendationViewSet",
    "ReviewReportViewSet",
]
