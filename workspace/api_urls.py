from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import MeView, MySignInsView, RoleAssignmentViewSet, SignInViewSet
from accounts.token_api import ApiTokenViewSet
from arrangements.api import FormalArrangementViewSet, FormalContributionViewSet
from cocommissioning.api import ApplicationViewSet, ConflictsReviewViewSet
from cocommissioning.api_register import ArrangementViewSet, WindowViewSet
from cocommissioning.api_register import InterestViewSet as CoInterestViewSet
from evaluations.api import EvaluationSummaryView, EvaluationViewSet
from exemplars.api import ExemplarViewSet
from exports.api import ExportViewSet
from governance.api import DocumentVersionViewSet
from governance.template_api import NationalTemplateVersionViewSet
from hubs.api import CCGViewSet, HubViewSet, ProgrammeOfCareViewSet, RegionViewSet
from ideas.api import IdeaCommentViewSet, PostViewSet
from meetings.api import ActionViewSet, MeetingViewSet, RecommendationViewSet
from national.api import (
    BoardHoldingViewSet,
    CRGDocumentViewSet,
    CRGSeatViewSet,
    CRGViewSet,
    NominationViewSet,
    ProgrammeBoardViewSet,
)
from national.api_consultations import ConsultationResponseViewSet, ConsultationViewSet
from national.review_api import ServiceReviewViewSet
from oversight.api import (
    CarriedMemberViewSet,
    CCGMembershipViewSet,
    GroupMemberViewSet,
    GroupViewSet,
    InterestViewSet,
    SubGroupViewSet,
)
from places.api import SystemViewSet
from priorities.api import (
    AssessorViewSet,
    CriterionViewSet,
    DeliveryUpdateViewSet,
    DeliveryViewSet,
    JointProgrammeViewSet,
    MilestoneViewSet,
    OverlapDecisionViewSet,
    PlanViewSet,
    ProposalViewSet,
)
from reviews.api import (
    AssessmentViewSet,
    PanelViewSet,
    PeerReviewViewSet,
    ReviewCycleViewSet,
    ReviewFindingViewSet,
    ReviewRecommendationViewSet,
    ReviewReportViewSet,
)
from timeline.api import CalendarMilestoneViewSet, HubTimelineViewSet, NotificationViewSet
from timeline.api_delivery import OutboxItemViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("hubs", HubViewSet, basename="hub")
router.register("ccgs", CCGViewSet, basename="ccg")
router.register("programmes-of-care", ProgrammeOfCareViewSet, basename="programme-of-care")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("me/tokens", ApiTokenViewSet, basename="api-token")  # issue 19
router.register("sign-ins", SignInViewSet, basename="sign-in")
router.register("exports", ExportViewSet, basename="export")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("actions", ActionViewSet, basename="action")
router.register("documents", DocumentVersionViewSet, basename="document-version")
router.register(
    "national-templates", NationalTemplateVersionViewSet, basename="national-template-version"
)
router.register("groups", GroupViewSet, basename="group")
router.register("poc-boards", ProgrammeBoardViewSet, basename="poc-board")
router.register("poc-board-holders", BoardHoldingViewSet, basename="poc-board-holder")
router.register("crgs", CRGViewSet, basename="crg")
router.register("crg-documents", CRGDocumentViewSet, basename="crg-document")
router.register("crg-seats", CRGSeatViewSet, basename="crg-seat")
router.register("crg-nominations", NominationViewSet, basename="crg-nomination")
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register(
    "consultation-responses", ConsultationResponseViewSet, basename="consultation-response"
)
router.register(
    "national-service-reviews", ServiceReviewViewSet, basename="national-service-review"
)
router.register("joint-programme", JointProgrammeViewSet, basename="joint-programme")
router.register("overlap-decisions", OverlapDecisionViewSet, basename="overlap-decision")
router.register("ccg-memberships", CCGMembershipViewSet, basename="ccg-membership")
router.register("group-members", GroupMemberViewSet, basename="group-member")
router.register("carried-members", CarriedMemberViewSet, basename="carried-member")
router.register("interests", InterestViewSet, basename="interest")
router.register("subgroups", SubGroupViewSet, basename="subgroup")
router.register("plans", PlanViewSet, basename="plan")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("delivery-updates", DeliveryUpdateViewSet, basename="delivery-update")
router.register("review-cycles", ReviewCycleViewSet, basename="review-cycle")
router.register("peer-reviews", PeerReviewViewSet, basename="peer-review")
router.register("panel", PanelViewSet, basename="panel-place")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("review-findings", ReviewFindingViewSet, basename="review-finding")
router.register(
    "review-recommendations", ReviewRecommendationViewSet, basename="review-recommendation"
)
router.register("review-reports", ReviewReportViewSet, basename="review-report")
router.register("criteria", CriterionViewSet, basename="criterion")
router.register("assessors", AssessorViewSet, basename="assessor")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("calendar-milestones", CalendarMilestoneViewSet, basename="calendar-milestone")
router.register("hub-timelines", HubTimelineViewSet, basename="hub-timeline")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("delivery-log", OutboxItemViewSet, basename="outbox-item")
router.register("co-applications", ApplicationViewSet, basename="co-application")
router.register("systems", SystemViewSet, basename="system")
router.register("exemplars", ExemplarViewSet, basename="exemplar")
router.register("co-conflicts-reviews", ConflictsReviewViewSet, basename="co-conflicts-review")
router.register("co-arrangements", ArrangementViewSet, basename="co-arrangement")
router.register("co-windows", WindowViewSet, basename="co-window")
router.register("co-interests", CoInterestViewSet, basename="co-interest")
router.register("formal-arrangements", FormalArrangementViewSet, basename="formal-arrangement")
router.register("formal-contributions", FormalContributionViewSet, basename="formal-contribution")
router.register("ideas", PostViewSet, basename="idea")
router.register("idea-comments", IdeaCommentViewSet, basename="idea-comment")
router.register("evaluations", EvaluationViewSet, basename="evaluation")

app_name = "api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/sign-ins/", MySignInsView.as_view(), name="me-sign-ins"),
    path("evaluation-summary/", EvaluationSummaryView.as_view(), name="evaluation-summary"),
    path("", include(router.urls)),
]
