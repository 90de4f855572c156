"""What a run prints: rows per model, and the main pages timed with their query counts."""

import logging
import statistics
import time
import warnings

from accounts.models import RoleAssignment, User
from governance.models import DocumentVersion, GovernanceDocument
from ideas.models import Comment, Follow, Post
from meetings.models import Action, AgendaItem, Attendance, Meeting, Recommendation
from oversight.models import CCGMembership, GroupMember, Handover, OversightGroup, SubGroup
from priorities.models import (
    Assessor,
    Criterion,
    Delivery,
    DeliveryUpdate,
    Milestone,
    PlanVersion,
    PrioritiesPlan,
    Proposal,
    Score,
)
from reviews.models import (
    Assessment,
    Finding,
    LineOfEnquiry,
    LineRating,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from timeline.models import CalendarMilestone, MilestoneCompletion, Notification

from .constants import DOMAIN

COUNTED = [
    User, RoleAssignment, OversightGroup, GroupMember, CCGMembership, SubGroup,
    GovernanceDocument, DocumentVersion, Meeting, AgendaItem, Attendance, Action,
    Recommendation, PrioritiesPlan, PlanVersion, Criterion, Assessor, Proposal, Score,
    Delivery, Milestone, DeliveryUpdate, ReviewCycle, LineOfEnquiry, PeerReview, Reviewer,
    Assessment, LineRating, Finding, ReviewRecommendation, ReviewReport, CalendarMilestone,
    MilestoneCompletion, Notification, Handover, Post, Comment, Follow,
]  # fmt: skip


def print_counts() -> None:
    print(f"\n{'model':<22} {'rows':>9}")
    for model in COUNTED:
        print(f"{model.__name__:<22} {model.objects.count():>9}")


def time_pages(requests: int = 5) -> None:
    """Time the main pages as a generated national admin (DEBUG off), with query counts."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    warnings.filterwarnings("ignore", message="No directory at")
    # A page refused to a role (403) is a figure here, not an error to log with its traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    admin = User.objects.get(email=f"admin1@{DOMAIN}")
    plans = PrioritiesPlan.objects.select_related("group__hub").order_by("-year", "pk")
    plan = plans.filter(versions__isnull=False).first()  # the last past year's, submitted
    group, hub = plan.group, plan.group.hub
    # The ICB era (issue 13): this year's draft plan in a group whose places were handed over.
    now = plans.filter(status=PrioritiesPlan.Status.DRAFT)
    current = now.filter(group__handovers__isnull=False).first() or now.first()
    icb = current.proposals.select_related("ccg", "proposed_by").first()
    icb_lead = icb.proposed_by
    on_then, on_now = "2015-04-01", f"{current.year}-04-01"

    staff = User.objects.get(email=f"staff1.{hub.slug}@{DOMAIN}")
    meeting = group.meetings.order_by("-starts_at").first()
    review = PeerReview.objects.filter(hub=hub).order_by("-cycle__year", "cycle__kind").first()
    version = plan.versions.first()
    pages = [
        ("my work", reverse("workspace:my-work")),
        ("overview", reverse("hubs:overview")),
        ("hub", reverse("workspace:hub-detail", args=[hub.slug])),
        ("group", reverse("workspace:group-detail", args=[group.pk])),
        ("meetings", reverse("meetings:meeting-list", args=[group.pk])),
        ("meeting", reverse("meetings:meeting-detail", args=[meeting.pk])),
        ("recommendations", reverse("meetings:recommendation-list")),
        ("plan", reverse("priorities:plan-detail", args=[plan.pk])),
        ("ranking", reverse("priorities:ranking", args=[plan.pk])),
        ("dashboard", reverse("priorities:plan-dashboard", args=[plan.pk])),
        ("plan version", reverse("priorities:plan-version", args=[version.pk])),
        ("plans (all hubs)", reverse("priorities:cross-hub")),
        ("reviews", reverse("reviews:index")),
        ("cycle", reverse("reviews:cycle-detail", args=[review.cycle_id])),
        ("review", reverse("reviews:review-detail", args=[review.pk])),
        ("timeline grid", reverse("timeline:grid") + f"?year={plan.year}"),
        ("hub timeline", reverse("timeline:hub", args=[hub.slug]) + f"?year={plan.year}"),
        ("notifications", reverse("timeline:inbox")),
        ("API plans", reverse("api:plan-list")),
        ("API proposals", reverse("api:proposal-list")),
        ("API meetings", reverse("api:meeting-list")),
        ("API notifications", reverse("api:notification-list")),
        ("ideas", reverse("ideas:post-list")),
        ("ideas search", reverse("ideas:post-list") + "?q=renal&theme=value"),
        ("API ideas", reverse("api:idea-list")),
        ("register 2015", reverse("hubs:overview") + f"?on={on_then}"),
        ("register now", reverse("hubs:overview") + f"?on={on_now}"),
        ("search 2015", reverse("hubs:ccg-list") + f"?q=NHS&on={on_then}"),
        ("search now", reverse("hubs:ccg-list") + f"?q=NHS&on={on_now}"),
        ("ICB", reverse("hubs:ccg-detail", args=[icb.ccg.ods_code])),
        ("group now", reverse("workspace:group-detail", args=[current.group_id])),
        ("hub now", reverse("workspace:hub-detail", args=[current.group.hub.slug])),
        ("plan now", reverse("priorities:plan-detail", args=[current.pk])),
    ]
    print(
        f"\nPages as {admin.email} (national admin), {requests} requests each after one "
        "warm-up; DEBUG off:"
    )
    print(f"{'page':<18} {'status':>6} {'median ms':>9} {'max ms':>8} {'queries':>8} {'KB':>7}")
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages as a signed-in person sees them; two-step sign-in (issue 19) is not measured.
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, SECOND_FACTOR_ENFORCED=False):
        for who in (admin, staff, icb_lead):
            client = Client()
            client.force_login(who)
            if who is staff:
                print(f"-- as {staff.email} (hub staff, {hub.name})")
            if who is icb_lead:
                print(f"-- as {icb_lead.email} (ICB lead, {icb.ccg.name})")
            for label, url in pages:
                client.get(url)
                seconds, queries = [], []
                for _ in range(requests):
                    with CaptureQueriesContext(connection) as captured:
                        t = time.perf_counter()
                        response = client.get(url)
                        seconds.append(time.perf_counter() - t)
                    queries.append(len(captured))
                q = (
                    str(queries[0])
                    if min(queries) == max(queries)
                    else f"{min(queries)}-{max(queries)}"
                )
                print(
                    f"{label:<18} {response.status_code:>6} "
                    f"{statistics.median(seconds) * 1000:>9.1f} {max(seconds) * 1000:>8.1f} "
                    f"{q:>8} {len(response.content) / 1024:>7.1f}"
                )
