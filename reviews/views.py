"""Peer review pages: cycles and their status board, readiness, the panel, each reviewer's
form, the lead's report, the hub's response, and the learning library."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import scopes
from commissioning import audit
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.pagecache import per_session
from commissioning.views import form_page
from exports import services as export_services
from exports.models import Export
from hubs.models import Hub

from . import services
from .forms import (
    ConflictForm,
    ConsolidateForm,
    CycleForm,
    FindingEditForm,
    FindingForm,
    IssueForm,
    LearningSearchForm,
    NoteForm,
    PanelInviteForm,
    ProgressForm,
    ReadinessForm,
    RecommendationEditForm,
    RecommendationForm,
    ReplaceForm,
    RespondToInvitationForm,
    VersionOnlyForm,
    assessment_form,
    response_form,
)
from .models import (
    Assessment,
    Finding,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
)
from .permissions import (
    can_manage_review,
    can_run_cycles,
    get_place_for_user,
    get_recommendation_for_user,
    get_report_for_user,
    get_review_for_user,
    is_hub_staff,
    is_lead,
    panel_place,
    reviews_visible_to,
    sees_review_workings,
    visible_assessments,
)


def _crumbs(review: PeerReview | None = None, cycle: ReviewCycle | None = None) -> list[dict]:
    cycle = cycle or review.cycle
    crumbs = [
        {"label": "Peer reviews", "url": reverse("reviews:index")},
        {"label": str(cycle), "url": cycle.get_absolute_url()},
    ]
    if review is not None:
        crumbs.append({"label": review.hub.name, "url": review.get_absolute_url()})
    return crumbs


def _refusal(request: HttpRequest, error: Exception) -> None:
    messages.error(request, getattr(error, "message", None) or str(error))


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


def hubs_on_board(user):
    """The hubs whose reviews the user follows on a status board."""
    s = scopes(user)
    hubs = Hub.objects.select_related("region").order_by("region__name", "name")
    if s.national:
        return hubs
    return hubs.filter(Q(region_id__in=s.region_ids) | Q(pk__in=s.hub_ids))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cycles = ReviewCycle.objects.annotate(review_count=Count("reviews"))
    places = list(
        Reviewer.objects.filter(user=request.user)
        .select_related("review__hub", "review__cycle")
        .order_by("-invited_at")
    )
    return render(
        request,
        "reviews/index.html",
        {
            "cycles": cycles,
            "places": places,
            "can_run_cycles": can_run_cycles(request.user),
            "follows_hubs": hubs_on_board(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    if not can_run_cycles(request.user):
        raise PermissionDenied("National admins set up the review cycles.")
    form = CycleForm(request.POST or None)
    created = {}

    def save(**data):
        created["cycle"] = services.cycle_create(by=request.user, **data)

    response = form_page(
        request,
        form,
        title="Start a peer review cycle",
        caption="Peer reviews",
        save=save,
        success_url=reverse("reviews:index"),
        message="Cycle started with the default lines of enquiry.",
        breadcrumbs=[{"label": "Peer reviews", "url": reverse("reviews:index")}],
    )
    if "cycle" in created:
        return redirect(created["cycle"])
    return response


def board_rows(user, cycle: ReviewCycle) -> list[dict]:
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
    recs = {}
    for hub_id, status, n in (
        ReviewRecommendation.objects.filter(
            review__cycle=cycle, review__hub__in=hubs, archived=False, review__reports__number=1
        )
        .values_list("review__hub_id", "status")
        .annotate(n=Count("pk", distinct=True))
    ):
        entry = recs.setdefault(hub_id, {"open": 0, "closed": 0})
        entry["closed" if status == ReviewRecommendation.Status.CLOSED else "open"] += n
    readiness = services.readiness_for_hubs(hubs, cycle.year, timezone.localdate())
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


@login_required
@per_session
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's status board for the hubs the user follows (their region, their hub, or
    every hub for national admins)."""
    try:
        cycle = ReviewCycle.objects.prefetch_related("lines").get(pk=pk)
    except ReviewCycle.DoesNotExist as missing:
        raise Http404("No such review cycle.") from missing
    rows = board_rows(request.user, cycle)
    return render(
        request,
        "reviews/cycle_detail.html",
        {
            "cycle": cycle,
            "rows": rows,
            "breadcrumbs": [{"label": "Peer reviews", "url": reverse("reviews:index")}],
        },
    )


def _hub_for_readiness(user, slug: str) -> Hub:
    try:
        hub = Hub.objects.select_related("region").get(slug=slug)
    except Hub.DoesNotExist as missing:
        raise Http404("No such hub.") from missing
    s = scopes(user)
    if not (s.national or hub.region_id in s.region_ids or hub.pk in s.hub_ids):
        raise Http404("No such hub.")
    return hub


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The hub's readiness checklist for the cycle; its staff declare readiness here."""
    try:
        cycle = ReviewCycle.objects.get(pk=pk)
    except ReviewCycle.DoesNotExist as missing:
        raise Http404("No such review cycle.") from missing
    hub = _hub_for_readiness(request.user, slug)
    review = PeerReview.objects.filter(cycle=cycle, hub=hub).first()
    own = hub.pk in scopes(request.user).hub_ids
    form = ReadinessForm(request.POST or None)
    if request.method == "POST":
        if not own:
            raise PermissionDenied("Only the hub's staff declare its readiness.")
        if form.is_valid():
            try:
                review = services.review_declare_ready(
                    by=request.user, cycle=cycle, hub=hub, note=form.cleaned_data["note"]
                )
            except RuleError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request, "Readiness declared. The regional team can now invite the review."
                )
                return redirect(review)
    return render(
        request,
        "reviews/readiness.html",
        {
            "cycle": cycle,
            "hub": hub,
            "review": review,
            "checks": services.readiness_for(hub, cycle.year),
            "form": form if own and review is None else None,
            "breadcrumbs": _crumbs(cycle=cycle),
        },
    )


@login_required
@per_session
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk)
    user = request.user
    workings = sees_review_workings(user, review)
    place = panel_place(user, review)
    manage = can_manage_review(user, review)
    lead = place is not None and place.is_lead and place.status == Reviewer.Status.ACCEPTED
    reports = list(review.reports.select_related("issued_by"))
    issued_ids = {r["id"] for r in reports[0].content["recommendations"]} if reports else set()
    recommendations = [
        r for r in review.recommendations.filter(archived=False) if workings or r.pk in issued_ids
    ]
    context = {
        "review": review,
        "workings": workings,
        "place": place,
        "manage": manage,
        "lead": lead,
        "hub_staff": is_hub_staff(user, review),
        "reports": reports,
        "recommendations": recommendations,
        "issued_ids": issued_ids,
        "today": timezone.localdate(),
        "breadcrumbs": _crumbs(cycle=review.cycle),
        "version_form": VersionOnlyForm(initial={"version": review.version}),
    }
    if workings:
        context["panel"] = list(
            review.panel.select_related("user", "assessment").order_by("status", "role", "pk")
        )
        context["assessments"] = visible_assessments(user, review)
        context["findings"] = list(
            review.findings.filter(archived=False).select_related("programme_of_care")
        )
        context["lines"] = list(review.cycle.lines.all())
    if manage or lead:
        context["issue_form"] = IssueForm(initial={"version": review.version})
    if manage:
        context["note_form"] = NoteForm(initial={"version": review.version})
    if review.cycle.kind == ReviewCycle.Kind.SECOND:
        context["earlier"] = list(
            ReviewRecommendation.objects.filter(
                review__hub=review.hub,
                review__cycle__year=review.cycle.year,
                review__cycle__kind=ReviewCycle.Kind.FIRST,
                review__reports__isnull=False,
                archived=False,
            ).distinct()
        )
    return render(request, "reviews/review_detail.html", context)


def _step(request: HttpRequest, review: PeerReview, service, message: str, **data) -> HttpResponse:
    try:
        service(by=request.user, review=review, version=_version(request), **data)
    except (RuleError, ConflictError) as error:
        _refusal(request, error)
    else:
        messages.success(request, message)
    return redirect(review)


@login_required
@require_POST
def review_invite(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, manage=True)
    try:
        services.review_invite(by=request.user, review=review, version=_version(request))
    except (RuleError, ConflictError) as error:
        _refusal(request, error)
        return redirect(review)
    messages.success(request, "Review invited: now build the panel.")
    return redirect("reviews:panel", pk=review.pk)


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, manage=True)
    return _step(
        request, review, services.review_start, "Review started: the panel can rate it now."
    )


@login_required
@require_POST
def review_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, manage=True)
    return _step(
        request,
        review,
        services.response_sign_off,
        "Response signed off.",
        note=request.POST.get("note", ""),
    )


@login_required
@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, manage=True)
    return _step(
        request,
        review,
        services.response_return,
        "Response returned to the hub.",
        note=request.POST.get("note", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The regional team builds the panel from suggested reviewers."""
    review = get_review_for_user(request.user, pk, manage=True)
    candidates = services.reviewer_candidates(review)
    form = PanelInviteForm(request.POST or None, candidates=candidates.offered)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(pk=form.cleaned_data["user"]).first()
        try:
            services.panel_invite(
                by=request.user, review=review, user=user, role=form.cleaned_data["role"]
            )
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{user.full_name} is invited; they have been emailed.")
            return redirect("reviews:panel", pk=review.pk)
    return render(
        request,
        "reviews/panel.html",
        {
            "review": review,
            "form": form,
            "candidates": candidates,
            "panel": list(review.panel.select_related("user").order_by("status", "role", "pk")),
            "breadcrumbs": _crumbs(review),
        },
    )


@login_required
@require_POST
def place_respond(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request.user, pk, own=True)
    form = RespondToInvitationForm(request.POST)
    accept = request.POST.get("answer") == "accept"
    if form.is_valid():
        try:
            services.reviewer_respond(
                by=request.user,
                reviewer=place,
                version=form.cleaned_data["version"],
                accept=accept,
                note=form.cleaned_data["note"],
            )
        except (RuleError, ConflictError) as error:
            _refusal(request, error)
        else:
            messages.success(
                request, "Thank you: you are on the panel." if accept else "You have declined."
            )
    if accept or sees_review_workings(request.user, place.review):
        return redirect(place.review)
    return redirect("reviews:index")


@login_required
@require_http_methods(["GET", "POST"])
def place_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request.user, pk, own=True)
    form = ConflictForm(request.POST or None)
    return form_page(
        request,
        form,
        title=f"Declare a conflict with the {place.review.hub.name} hub",
        caption=str(place.review),
        breadcrumbs=_crumbs(place.review),
        save=lambda **data: services.reviewer_declare_conflict(
            by=request.user, reviewer=place, **data
        ),
        success_url=reverse("reviews:index"),
        message="Conflict declared: you are off the panel and will not be offered this hub again.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_replace(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request.user, pk, manage=True)
    candidates = services.reviewer_candidates(place.review)
    form = ReplaceForm(
        request.POST or None, candidates=candidates.offered, initial={"version": place.version}
    )

    def save(*, user, reason, version):
        services.reviewer_replace(
            by=request.user,
            reviewer=place,
            version=version,
            user=User.objects.filter(pk=user).first(),
            reason=reason,
        )

    return form_page(
        request,
        form,
        title=f"Replace {place.user.full_name} on the panel",
        caption=str(place.review),
        breadcrumbs=_crumbs(place.review),
        save=save,
        success_url=reverse("reviews:panel", args=[place.review_id]),
        message="Replacement invited.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer's own structured review: a rating, evidence and comments per line of
    enquiry. Saved as a draft (private) until submitted."""
    review = get_review_for_user(request.user, pk)
    place = panel_place(request.user, review)
    if place is None:
        raise PermissionDenied("Only the review's panel rates it.")
    if place.status != Reviewer.Status.ACCEPTED:
        raise PermissionDenied("Accept your place on the panel first.")
    lines = list(review.cycle.lines.all())
    mine = Assessment.objects.filter(reviewer=place).prefetch_related("ratings").first()
    ratings = {r.line_id: r for r in mine.ratings.all()} if mine else {}
    form = assessment_form(
        lines, request.POST or None, ratings=ratings, version=mine.version if mine else 1
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit = "submit" in request.POST
        try:
            services.assessment_save(
                by=request.user,
                reviewer=place,
                version=data["version"],
                ratings={
                    line.pk: {
                        "rating": data[f"rating_{line.pk}"],
                        "evidence": data[f"evidence_{line.pk}"],
                        "comments": data[f"comments_{line.pk}"],
                    }
                    for line in lines
                },
                submit=submit,
            )
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                "Your review is submitted." if submit else "Draft saved. Only you can see it.",
            )
            return redirect(review) if submit else redirect("reviews:assessment", pk=review.pk)
    return render(
        request,
        "reviews/assessment.html",
        {
            "review": review,
            "form": form,
            "lines": [
                (
                    line,
                    form[f"rating_{line.pk}"],
                    form[f"evidence_{line.pk}"],
                    form[f"comments_{line.pk}"],
                )
                for line in lines
            ],
            "submitted": mine is not None and mine.status == Assessment.Status.SUBMITTED,
            "breadcrumbs": _crumbs(review),
        },
    )


@login_required
def review_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen plan and governance record the panel reviews."""
    review = get_review_for_user(request.user, pk)
    if not sees_review_workings(request.user, review):
        raise PermissionDenied("The panel's record is for the panel and the regional team.")
    if review.plan_version is None:
        raise Http404("The review has no plan yet.")
    return render(
        request,
        "reviews/review_plan.html",
        {
            "review": review,
            "version": review.plan_version,
            "content": review.plan_version.content,
            "governance": review.governance,
            "breadcrumbs": _crumbs(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, lead=True)
    form = ConsolidateForm(
        request.POST or None,
        initial={
            "version": review.version,
            "overall_rating": review.overall_rating,
            "summary": review.summary,
        },
    )
    return form_page(
        request,
        form,
        title="Overall rating and summary",
        caption=str(review),
        breadcrumbs=_crumbs(review),
        save=lambda **data: services.review_consolidate(by=request.user, review=review, **data),
        success_url=review.get_absolute_url(),
        message="Saved. The hub sees nothing until you issue the report.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, lead=True)
    return form_page(
        request,
        FindingForm(request.POST or None, initial={"kind": Finding.Kind.FINDING}),
        title="Add a finding or good practice",
        caption=str(review),
        breadcrumbs=_crumbs(review),
        save=lambda **data: services.finding_add(by=request.user, review=review, **data),
        success_url=review.get_absolute_url(),
        message="Finding added.",
    )


def _finding_for_lead(user, pk: int) -> Finding:
    try:
        finding = Finding.objects.select_related("review").get(
            pk=pk, review__in=reviews_visible_to(user)
        )
    except Finding.DoesNotExist as missing:
        raise Http404("No such finding.") from missing
    if not sees_review_workings(user, finding.review):
        raise Http404("No such finding.")
    if not is_lead(user, finding.review):
        raise PermissionDenied("Only the panel's lead reviewer changes the report.")
    return finding


def _change_or_remove(request, record, *, form_class, fields, update, archive, noun):
    """A finding or recommendation: change it (a form page), or remove it from the report
    (archived, kept in its history)."""
    review = record.review
    if request.method == "POST" and "archive" in request.POST:
        try:
            archive(version=_version(request))
        except (RuleError, ConflictError) as error:
            _refusal(request, error)
        else:
            messages.success(request, f"{noun} removed from the report (kept in its history).")
        return redirect(review)
    initial = {f: getattr(record, f) for f in fields}
    form = form_class(request.POST or None, initial={**initial, "version": record.version})
    return form_page(
        request,
        form,
        title=f"Change: {record.title}",
        caption=str(review),
        breadcrumbs=_crumbs(review),
        save=update,
        success_url=review.get_absolute_url(),
        message=f"{noun} saved.",
        archive_version=record.version,
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_for_lead(request.user, pk)
    return _change_or_remove(
        request,
        finding,
        form_class=FindingEditForm,
        fields=services.FINDING_FIELDS,
        update=lambda **data: services.finding_update(by=request.user, finding=finding, **data),
        archive=lambda version: services.finding_archive(
            by=request.user, finding=finding, version=version
        ),
        noun="Finding",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, lead=True)
    return form_page(
        request,
        RecommendationForm(request.POST or None),
        title="Add a recommendation",
        caption=str(review),
        breadcrumbs=_crumbs(review),
        save=lambda **data: services.recommendation_add(by=request.user, review=review, **data),
        success_url=review.get_absolute_url(),
        message="Recommendation added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_recommendation_for_user(request.user, pk, lead=True)
    return _change_or_remove(
        request,
        rec,
        form_class=RecommendationEditForm,
        fields=services.RECOMMENDATION_FIELDS,
        update=lambda **data: services.recommendation_update(
            by=request.user, recommendation=rec, **data
        ),
        archive=lambda version: services.recommendation_archive(
            by=request.user, recommendation=rec, version=version
        ),
        noun="Recommendation",
    )


@login_required
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk, lead=True)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date; try again.")
        return redirect(review)
    try:
        report = services.report_issue(by=request.user, review=review, **form.cleaned_data)
    except (RuleError, ConflictError) as error:
        _refusal(request, error)
        return redirect(review)
    messages.success(request, f"Report version {report.number} issued to the hub.")
    return redirect(report)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    review = report.review
    latest = review.reports.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "reviews/report_detail.html",
        {
            "report": report,
            "review": review,
            "content": report.content,
            "latest": latest,
            "exports": Export.objects.filter(
                requested_by=request.user,
                kind=Export.Kind.REVIEW_REPORT,
                params__report=report.pk,
            )[:3],
            "breadcrumbs": _crumbs(review),
        },
    )


@login_required
@require_POST
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    export = export_services.export_request(
        by=request.user,
        kind=Export.Kind.REVIEW_REPORT,
        params={"report": report.pk},
        title=f"Peer review report v{report.number}: {report.review}",
    )
    messages.success(request, "The PDF is being made. This page shows when it is ready.")
    return redirect(export)


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """Hub staff respond to the issued report: an action per recommendation."""
    review = get_review_for_user(request.user, pk, hub=True)
    recommendations = list(
        ReviewRecommendation.objects.filter(
            pk__in=services.issued_recommendation_ids(review), archived=False
        )
    )
    form = response_form(recommendations, request.POST or None, version=review.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.response_submit(
                by=request.user,
                review=review,
                version=data["version"],
                summary=data["summary"],
                actions={r.pk: data[f"action_{r.pk}"] for r in recommendations},
            )
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "Response sent to the regional team.")
            return redirect(review)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Respond to the peer review report",
            "caption": str(review),
            "breadcrumbs": _crumbs(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_progress(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_recommendation_for_user(request.user, pk, progress=True)
    form = ProgressForm(
        request.POST or None,
        initial={"version": rec.version, "status": rec.status, "note": rec.closure_note},
    )
    return form_page(
        request,
        form,
        title=f"Progress: {rec.title}",
        caption=str(rec.review),
        breadcrumbs=_crumbs(rec.review),
        save=lambda **data: services.recommendation_progress(
            by=request.user, recommendation=rec, **data
        ),
        success_url=rec.review.get_absolute_url(),
        message="Progress recorded.",
    )


LEARNING_PAGE_SIZE = 50


@login_required
def learning(request: HttpRequest) -> HttpResponse:
    """Good practice and findings marked shareable in issued reports, for every hub, newest
    cycle first, 50 to a page (the search is kept from page to page)."""
    form = LearningSearchForm(request.GET or None)
    findings = services.shared_findings()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            findings = findings.filter(
                Q(title__icontains=data["q"]) | Q(detail__icontains=data["q"])
            )
        if data["theme"]:
            findings = findings.filter(theme=data["theme"])
        if data["programme_of_care"]:
            findings = findings.filter(programme_of_care=data["programme_of_care"])
    findings = findings.select_related(
        "review__hub__region", "review__cycle", "programme_of_care"
    ).order_by("-review__cycle__year", "kind", "title", "pk")
    page = Paginator(findings, LEARNING_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/learning.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": [{"label": "Peer reviews", "url": reverse("reviews:index")}],
        },
    )


@login_required
def review_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what to the review, when (the regional team and national admins)."""
    review = get_review_for_user(request.user, pk)
    if not (scopes(request.user).national or can_manage_review(request.user, review)):
        raise PermissionDenied("The review's history is for the regional team.")
    page = Paginator(audit.events_for(review), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/group_history.html",
        {"record": str(review), "page": page, "query": "", "breadcrumbs": _crumbs(review)},
    )
