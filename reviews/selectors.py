"""The reads peer-review pages and API lists assemble, with their preloading. Access is
decided in permissions.py; these take what the caller may see and shape it."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery

from accounts.models import User
from accounts.permissions import hubs_followed, scopes
from exports.models import Export
from hubs.models import Hub, ProgrammeOfCare

from .issued import as_read, hidden_from, learning_filter, read_as_issued
from .models import (
    Assessment,
    Finding,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from .permissions import REVIEW_FOLLOWERS, reviews_visible_to, workings_filter
from .services import issued_recommendation_ids, readiness_for_hubs, shared_findings


def none(model):
    """An empty queryset of `model` (the schema generator's fake views)."""
    return model.objects.none()


def hubs():
    return Hub.objects.all()


def programmes_of_care():
    return ProgrammeOfCare.objects.all()


def person(user_id: int, *, active: bool = False) -> User | None:
    people = User.objects.filter(is_active=True) if active else User.objects
    return people.filter(pk=user_id).first()


# --- cycles and the status board ------------------------------------------------------------


def cycles_with_review_counts():
    return ReviewCycle.objects.annotate(review_count=Count("reviews"))


def cycles_with_lines():
    return ReviewCycle.objects.prefetch_related("lines").order_by("-year", "kind")


def cycle_or_none(pk: int) -> ReviewCycle | None:
    return ReviewCycle.objects.filter(pk=pk).first()


def places_of(user) -> list[Reviewer]:
    """Every place the user has had on a panel, newest invitation first."""
    return list(
        Reviewer.objects.filter(user=user)
        .select_related("review__hub", "review__cycle")
        .order_by("-invited_at")
    )


def hubs_on_board(user):
    """The hubs whose reviews the user follows on a status board: their regions' and their own
    (the one "which hubs" rule, accounts.permissions.hubs_followed)."""
    return hubs_followed(user, through=REVIEW_FOLLOWERS)


def board_rows(user, cycle: ReviewCycle, today) -> list[dict]:
    """Every followed hub's review in the cycle: readiness, panel, report, response and
    recommendations, in a fixed number of queries."""
    hubs = list(hubs_on_board(user))
    reviews = {
        r.hub_id: r
        for r in PeerReview.objects.filter(cycle=cycle, hub__in=hubs).annotate(
            panel_size=Count(
                "panel", filter=Q(panel__status=Reviewer.Status.ACCEPTED), distinct=True
            ),
            panel_invited=Count(
                "panel", filter=Q(panel__status=Reviewer.Status.INVITED), distinct=True
            ),
            has_lead=Count(
                "panel",
                filter=Q(panel__role=Reviewer.Role.LEAD, panel__status__in=Reviewer.ACTIVE),
                distinct=True,
            ),
            submitted=Count(
                "panel",
                filter=Q(panel__assessment__status=Assessment.Status.SUBMITTED),
                distinct=True,
            ),
        )
    }
    recs: dict[int, dict[str, int]] = {}
    for hub_id, status, n in (
        ReviewRecommendation.objects.filter(
            review__cycle=cycle, review__hub__in=hubs, archived=False, review__reports__number=1
        )
        .values_list("review__hub_id", "status")
        .annotate(n=Count("pk", distinct=True))
    ):
        entry = recs.setdefault(hub_id, {"open": 0, "closed": 0})
        entry["closed" if status == ReviewRecommendation.Status.CLOSED else "open"] += n
    readiness = readiness_for_hubs(hubs, cycle.year, today)
    return [
        {
            "hub": hub,
            "review": reviews.get(hub.pk),
            "readiness": readiness[hub.pk],
            "recommendations": recs.get(hub.pk, {"open": 0, "closed": 0}),
            "manage": hub.region_id in scopes(user).region_ids,
            "own": hub.pk in scopes(user).hub_ids,
        }
        for hub in hubs
    ]


def review_of_hub(cycle: ReviewCycle, hub: Hub) -> PeerReview | None:
    return PeerReview.objects.filter(cycle=cycle, hub=hub).first()


def review_id_of_hub(cycle: ReviewCycle, hub: Hub) -> int | None:
    return PeerReview.objects.filter(cycle=cycle, hub=hub).values_list("pk", flat=True).first()


# --- one review -----------------------------------------------------------------------------


def reports_of(review: PeerReview) -> list[ReviewReport]:
    """The review's issued reports, newest first."""
    return list(review.reports.select_related("issued_by"))


def latest_report_number(review: PeerReview) -> int | None:
    return review.reports.order_by("-number").values_list("number", flat=True).first()


def panel_of(review: PeerReview, *, assessments: bool = False) -> list[Reviewer]:
    related = ("user", "assessment") if assessments else ("user",)
    return list(review.panel.select_related(*related).order_by("status", "role", "pk"))


def current_findings(review: PeerReview) -> list[Finding]:
    return list(review.findings.filter(archived=False).select_related("programme_of_care"))


def current_recommendations(review: PeerReview):
    return review.recommendations.filter(archived=False)


def issued_recommendations(review: PeerReview, user=None) -> list[ReviewRecommendation]:
    """The recommendations in the review's newest issued report (not since archived), as
    `user` reads them (during a correction, as issued: reviews.issued)."""
    rows = ReviewRecommendation.objects.filter(pk__in=issued_recommendation_ids(review))
    return [r for r in as_read(user, rows) if not r.archived]


def findings_as_read(review: PeerReview, *, as_issued: bool) -> list[Finding]:
    """The report's findings: the live ones, or (`as_issued`, during a correction the reader
    does not draft) those of the newest issued version with their issued text."""
    if not as_issued:
        return current_findings(review)
    rows = review.findings.select_related("programme_of_care")
    return as_read(None, rows, frozen={review.pk})


def recommendations_as_read(review: PeerReview, *, as_issued: bool) -> list[ReviewRecommendation]:
    """The report's recommendations, like `findings_as_read`; progress always as it stands."""
    if not as_issued:
        return list(current_recommendations(review))
    return as_read(None, review.recommendations.all(), frozen={review.pk})


def earlier_recommendations(review: PeerReview) -> list[ReviewRecommendation]:
    """For a second review: what the hub's first review of the year recommended."""
    return list(
        ReviewRecommendation.objects.filter(
            review__hub=review.hub,
            review__cycle__year=review.cycle.year,
            review__cycle__kind=ReviewCycle.Kind.FIRST,
            review__reports__isnull=False,
            archived=False,
        ).distinct()
    )


def own_assessment(place: Reviewer) -> Assessment | None:
    return Assessment.objects.filter(reviewer=place).prefetch_related("ratings").first()


def report_exports(user, report: ReviewReport):
    """The user's newest PDF exports of the report."""
    return Export.objects.filter(
        requested_by=user, kind=Export.Kind.REVIEW_REPORT, params__report=report.pk
    )[:3]


# --- the learning library -------------------------------------------------------------------


def learning_findings(*, q: str = "", theme: str = "", programme_of_care=None):
    """Shareable findings of issued reports, newest cycle first, optionally searched."""
    findings = shared_findings()
    if q or theme or programme_of_care:
        findings = findings.filter(
            learning_filter(q=q, theme=theme, programme_of_care=programme_of_care or None)
        )
    return findings.select_related(
        "review__hub__region", "review__cycle", "programme_of_care"
    ).order_by("-review__cycle__year", "kind", "title", "pk")


# --- API lists ------------------------------------------------------------------------------


def reviews_for_api(user):
    """The reviews the user may see, with what the API answer needs preloaded."""
    accepted = Reviewer.objects.filter(
        review=OuterRef("pk"), user_id=user.pk, status=Reviewer.Status.ACCEPTED
    )
    latest = ReviewReport.objects.filter(review=OuterRef("pk")).order_by("-number")
    return (
        reviews_visible_to(user)
        .annotate(
            has_accepted_place=Exists(accepted), latest_report=Subquery(latest.values("pk")[:1])
        )
        .prefetch_related(Prefetch("panel", queryset=panel_rows()))
        .order_by("-cycle__year", "cycle__kind", "hub__name", "pk")
    )


def panel_rows():
    """Places on panels as the review API shows them: the place's own fields and its person's
    name (`person_name`), without reading the whole person: a list of reviews shows hundreds
    of places (PanelPlaceSerializer reads the annotation)."""
    return Reviewer.objects.annotate(person_name=F("user__full_name")).only(
        "review",
        "user",
        "role",
        "status",
        "home",
        "invited_at",
        "responded_at",
        "note",
        "version",
    )


def panel_places_for(user):
    """Places on the panels whose workings the user reads, and the user's own."""
    return (
        Reviewer.objects.filter(review__in=reviews_visible_to(user))
        .filter(Q(user_id=user.pk) | workings_filter(user))
        .select_related("user")
        .order_by("review_id", "role", "invited_at", "pk")
    )


def findings_for(user):
    """Findings of the reviews whose workings the user reads; during a correction the user
    does not draft, only those in the issued version (reviews.issued)."""
    return (
        Finding.objects.filter(review__in=reviews_visible_to(user))
        .filter(workings_filter(user))
        .exclude(hidden_from(user))
        .annotate(read_as_issued=read_as_issued(user))
        .select_related("programme_of_care")
        .order_by("review_id", "kind", "pk")
    )


def issued_recommendation_ids_of_hubs(hub_ids) -> set[int]:
    """Ids of the recommendations in the newest issued report of each review of these hubs
    (services.issued_recommendation_ids, for many reviews in one query)."""
    newest: dict[int, tuple[int, dict]] = {}
    reports = ReviewReport.objects.filter(review__hub_id__in=hub_ids)
    for review_id, number, content in reports.values_list("review_id", "number", "content"):
        if review_id not in newest or newest[review_id][0] < number:
            newest[review_id] = (number, content)
    return {r["id"] for _, content in newest.values() for r in content["recommendations"]}


def recommendations_for(user):
    """Recommendations of the reviews the user may see — the reviewed hub's staff only those
    in an issued report; during a correction the user does not draft, only those in the issued
    version (reviews.issued)."""
    visible = workings_filter(user)
    hub_ids = scopes(user).hub_ids
    if visible and hub_ids:
        visible |= Q(pk__in=issued_recommendation_ids_of_hubs(hub_ids))
    return (
        ReviewRecommendation.objects.filter(review__in=reviews_visible_to(user))
        .filter(visible)
        .exclude(hidden_from(user))
        .annotate(read_as_issued=read_as_issued(user))
        .order_by("due_date", "pk")
    )


def reports_for(user):
    return (
        ReviewReport.objects.filter(review__in=reviews_visible_to(user))
        .select_related("review__hub", "review__cycle", "issued_by")
        .order_by("review_id", "-number")
    )
