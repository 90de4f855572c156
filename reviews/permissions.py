"""Access to peer reviews: one helper per protected object, used by views, API and templates.

- National admins read every review and run the cycles; regional teams read and run their
  region's reviews (readiness, panel, start, sign-off) and see submitted assessments.
- Hub staff see their own hub's reviews: the readiness checklist and status, and — only once
  the lead has issued it — the report; they respond and track the recommendations.
- Panel members (invited or accepted) see the reviews they are on; a reviewer's draft is theirs
  alone, and colleagues' assessments show once the reviewer has submitted their own.
- The lead reviewer consolidates and issues the report.
Anything not visible is 404 (its existence is not revealed); visible but not changeable is 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404

from accounts.permissions import follows_hub as account_follows_hub
from accounts.permissions import scopes
from hubs.models import Hub

from .models import (
    Assessment,
    Finding,
    LineRating,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)


def can_run_cycles(user) -> bool:
    return scopes(user).national


def require_cycle_runner(user) -> None:
    """Only national admins open review cycles (403 for anyone else)."""
    if not can_run_cycles(user):
        raise PermissionDenied("Only national admins open review cycles.")


def get_cycle_for_user(user, pk: int, *, lines: bool = False) -> ReviewCycle:
    """A review cycle: every signed-in user reads the cycles. `lines`: with its lines of
    enquiry preloaded."""
    cycles = ReviewCycle.objects.prefetch_related("lines") if lines else ReviewCycle.objects
    try:
        return cycles.get(pk=pk)
    except ReviewCycle.DoesNotExist as missing:
        raise Http404("No such review cycle.") from missing


# The hub's own staff, its regional team and national admins follow its reviews.
REVIEW_FOLLOWERS = ("region", "hub")


def follows_hub(user, hub: Hub) -> bool:
    """The hub's own staff, its regional team and national admins follow its reviews."""
    return account_follows_hub(user, hub, through=REVIEW_FOLLOWERS)


def get_hub_for_user(user, slug: str, *, declare: bool = False) -> Hub:
    """A hub whose readiness the user follows (404 otherwise); `declare`: its own staff
    declare its readiness (403 for anyone else who follows it)."""
    hub = Hub.objects.select_related("region").filter(slug=slug).first()
    if hub is None or not follows_hub(user, hub):
        raise Http404("No such hub.")
    if declare:
        require_hub_staff(user, hub)
    return hub


def staffs_hub(user, hub: Hub) -> bool:
    return hub.pk in scopes(user).hub_ids


def require_hub_staff(user, hub: Hub) -> None:
    """Only the hub's own staff declare its readiness (403 for anyone else)."""
    if not staffs_hub(user, hub):
        raise PermissionDenied("Only the hub's staff declare its readiness.")


def reviews_visible_to(user):
    s = scopes(user)
    reviews = PeerReview.objects.select_related("cycle", "hub__region")
    if s.national:
        return reviews
    # A subquery, not a join: no DISTINCT over rows that carry large JSON records.
    on_panel = Reviewer.objects.filter(user_id=user.pk, status__in=Reviewer.ACTIVE).values(
        "review_id"
    )
    visible = Q(hub__region_id__in=s.region_ids) | Q(hub_id__in=s.hub_ids) | Q(pk__in=on_panel)
    return reviews.filter(visible)


def can_manage_review(user, review: PeerReview) -> bool:
    """The regional team of the reviewed hub runs the review."""
    return review.hub.region_id in scopes(user).region_ids


def is_hub_staff(user, review: PeerReview) -> bool:
    return review.hub_id in scopes(user).hub_ids


def panel_place(user, review: PeerReview) -> Reviewer | None:
    """The user's active place on the review's panel, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        review.panel.filter(user_id=user.pk, status__in=Reviewer.ACTIVE)
        .select_related("user", "review")
        .first()
    )


def is_lead(user, review: PeerReview) -> bool:
    place = panel_place(user, review)
    return place is not None and place.is_lead and place.status == Reviewer.Status.ACCEPTED


def sees_review_workings(user, review: PeerReview) -> bool:
    """The panel's record (plan, governance, findings, drafts of the report): region, national
    admins and reviewers who have accepted; never the hub before the report is issued. Someone
    only invited sees the invitation and the readiness record until they accept."""
    if scopes(user).national or can_manage_review(user, review):
        return True
    place = panel_place(user, review)
    return place is not None and place.status == Reviewer.Status.ACCEPTED


def get_review_for_user(
    user,
    pk: int,
    *,
    manage: bool = False,
    hub: bool = False,
    lead: bool = False,
    workings: bool = False,
    history: bool = False,
) -> PeerReview:
    """`manage`: the regional team's actions; `hub`: the reviewed hub's staff's actions;
    `lead`: the accepted lead reviewer's actions; `workings`: the panel's record (plan and
    governance); `history`: who did what (the regional team and national admins)."""
    try:
        review = (
            reviews_visible_to(user)
            .select_related("plan_version__plan", "declared_by", "responded_by", "signed_off_by")
            .get(pk=pk)
        )
    except PeerReview.DoesNotExist as missing:
        raise Http404("No such peer review.") from missing
    if manage and not can_manage_review(user, review):
        raise PermissionDenied("Only the hub's regional team runs its peer review.")
    if hub and not is_hub_staff(user, review):
        raise PermissionDenied("Only the reviewed hub's staff do this.")
    if lead and not is_lead(user, review):
        raise PermissionDenied("Only the panel's lead reviewer writes and issues the report.")
    if workings and not sees_review_workings(user, review):
        raise PermissionDenied("The panel's record is for the panel and the regional team.")
    if history and not (scopes(user).national or can_manage_review(user, review)):
        raise PermissionDenied("The review's history is for the regional team.")
    return review


def get_own_place(user, review: PeerReview) -> Reviewer:
    """The user's accepted place on the review's panel, to rate the review (403 otherwise)."""
    place = panel_place(user, review)
    if place is None:
        raise PermissionDenied("Only the review's panel rates it.")
    if place.status != Reviewer.Status.ACCEPTED:
        raise PermissionDenied("Accept your place on the panel first.")
    return place


def get_place_for_user(user, pk: int, *, own: bool = False, manage: bool = False) -> Reviewer:
    """A place on a panel: `own` for the invited person's answers, `manage` for the region."""
    try:
        place = Reviewer.objects.select_related("review__hub__region", "review__cycle", "user").get(
            pk=pk, review__in=reviews_visible_to(user)
        )
    except Reviewer.DoesNotExist as missing:
        raise Http404("No such place on a panel.") from missing
    if not (place.user_id == user.pk or sees_review_workings(user, place.review)):
        raise Http404("No such place on a panel.")
    if own and place.user_id != user.pk:
        raise PermissionDenied("Only the invited reviewer answers their invitation.")
    if manage and not can_manage_review(user, place.review):
        raise PermissionDenied("Only the hub's regional team changes the panel.")
    return place


def visible_assessments(user, review: PeerReview) -> list[Assessment]:
    """Submitted assessments the user may read: the region and national admins read every
    submitted one; a panel member reads colleagues' once their own is submitted. Drafts are
    never shown to anyone but their author (see `own_assessment`)."""
    submitted = list(
        Assessment.objects.filter(reviewer__review=review, status=Assessment.Status.SUBMITTED)
        .select_related("reviewer__user")
        .prefetch_related(Prefetch("ratings", queryset=LineRating.objects.select_related("line")))
    )
    if scopes(user).national or can_manage_review(user, review):
        return submitted
    place = panel_place(user, review)
    if place is None:
        return []
    if not any(a.reviewer_id == place.pk for a in submitted):
        return []
    return submitted


def get_finding_for_user(user, pk: int, *, write: bool = False) -> Finding:
    """A finding, for readers of its review's workings (404 for anyone else); `write`: the
    lead reviewer changes it (403 for other readers)."""
    finding = (
        Finding.objects.filter(pk=pk, review__in=reviews_visible_to(user))
        .select_related("review__hub", "review__cycle", "programme_of_care")
        .first()
    )
    if finding is None or not sees_review_workings(user, finding.review):
        raise Http404("No such finding.")
    if write and not is_lead(user, finding.review):
        raise PermissionDenied("Only the panel's lead reviewer changes the report.")
    return finding


def workings_filter(user) -> Q:
    """Rows (with a `review`) whose review's workings the user reads — the same rule as
    `sees_review_workings`, as one filter instead of a query per review."""
    s = scopes(user)
    if s.national:
        return Q()
    accepted = Reviewer.objects.filter(user_id=user.pk, status=Reviewer.Status.ACCEPTED).values(
        "review_id"
    )
    return Q(review__hub__region_id__in=s.region_ids) | Q(review_id__in=accepted)


def sees_workings_preloaded(user, review: PeerReview) -> bool:
    """`sees_review_workings`, answered without a query when the review was read with its
    `has_accepted_place` annotation (see selectors.reviews_for_api)."""
    has_accepted_place = getattr(review, "has_accepted_place", None)
    if has_accepted_place is None:
        return sees_review_workings(user, review)
    return scopes(user).national or can_manage_review(user, review) or has_accepted_place


def get_report_for_user(user, pk: int) -> ReviewReport:
    """An issued report: the review's readers, the reviewed hub's staff included."""
    try:
        return ReviewReport.objects.select_related("review__hub__region", "review__cycle").get(
            pk=pk, review__in=reviews_visible_to(user)
        )
    except ReviewReport.DoesNotExist as missing:
        raise Http404("No such report.") from missing


def get_recommendation_for_user(
    user, pk: int, *, progress: bool = False, lead: bool = False
) -> ReviewRecommendation:
    """Hub staff see a recommendation once it is in an issued report; the panel and region
    always. `progress`: the hub's staff report on it; `lead`: the lead edits it."""
    try:
        rec = ReviewRecommendation.objects.select_related(
            "review__hub__region", "review__cycle"
        ).get(pk=pk, review__in=reviews_visible_to(user))
    except ReviewRecommendation.DoesNotExist as missing:
        raise Http404("No such recommendation.") from missing
    review = rec.review
    if not sees_review_workings(user, review):
        from .services import issued_recommendation_ids

        if rec.pk not in issued_recommendation_ids(review):
            raise Http404("No such recommendation.")
    if progress and not is_hub_staff(user, review):
        raise PermissionDenied("Only the reviewed hub's staff report progress.")
    if lead and not is_lead(user, review):
        raise PermissionDenied("Only the panel's lead reviewer changes the report.")
    return rec


def active_places(user) -> list[Reviewer]:
    """The user's open places on panels: invitations to answer and reviews to do."""
    return list(
        Reviewer.objects.filter(user_id=user.pk, status__in=Reviewer.ACTIVE)
        .exclude(review__status=PeerReview.Status.SIGNED_OFF)
        .select_related("review__hub", "review__cycle")
        .order_by("invited_at")
    )
