"""Pages: one review, the regional team's steps, the panel's record, the hub's response and
progress on recommendations, and the review's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commissioning import audit
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.history import with_field_changes
from commissioning.pagecache import hub_from, per_session
from commissioning.views import form_page

from .. import issued, selectors, services
from ..forms import IssueForm, NoteForm, ProgressForm, VersionOnlyForm, response_form
from ..models import ReviewCycle
from ..permissions import (
    can_manage_review,
    follows_hub,
    get_recommendation_for_user,
    get_review_for_user,
    is_hub_staff,
    panel_place,
    sees_review_workings,
    visible_assessments,
)
from ._common import _crumbs, _refusal, _step, _version


@login_required
@per_session(hubs=hub_from("reviews.peerreview"))
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk)
    user = request.user
    workings = sees_review_workings(user, review)
    place = panel_place(user, review)
    manage = can_manage_review(user, review)
    lead = place is not None and place.is_lead and place.is_accepted
    reports = selectors.reports_of(review)
    issued_ids = {r["id"] for r in reports[0].content["recommendations"]} if reports else set()
    # During a correction only the accepted panel reads the draft; everyone else the report
    # as issued (reviews.issued).
    as_issued = review.correcting and not (place is not None and place.is_accepted)
    recommendations = [
        r
        for r in selectors.recommendations_as_read(review, as_issued=as_issued)
        if workings or r.pk in issued_ids
    ]
    context = {
        "review": review,
        "as_issued": as_issued,
        "draft_correction": review.correcting and not as_issued,
        "workings": workings,
        "place": place,
        "manage": manage,
        "lead": lead,
        "hub_staff": is_hub_staff(user, review),
        # Issue 18: the live readiness checklist is for those who follow the hub; panel
        # reviewers from other hubs read the checklist as declared (no link to a 404).
        "follows_hub": follows_hub(user, review.hub),
        "reports": reports,
        "recommendations": recommendations,
        "issued_ids": issued_ids,
        "breadcrumbs": _crumbs(cycle=review.cycle),
        "version_form": VersionOnlyForm(initial={"version": review.version}),
        # Issue 18, finding 10: no working "Start the review" until the panel can start it.
        "start_blocked": (
            services.start_blocker(selectors.panel_of(review))
            if manage and review.may_start
            else ""
        ),
    }
    if workings:
        context["panel"] = selectors.panel_of(review, assessments=True)
        context["assessments"] = visible_assessments(user, review)
        context["findings"] = selectors.findings_as_read(review, as_issued=as_issued)
        context["report_text"] = issued.consolidation(
            review, as_issued=as_issued, content=reports[0].content if reports else None
        )
        context["lines"] = list(review.cycle.lines.all())
    if manage or lead:
        context["issue_form"] = IssueForm(initial={"version": review.version})
    if manage:
        context["note_form"] = NoteForm(initial={"version": review.version})
    if review.cycle.kind == ReviewCycle.Kind.SECOND:
        context["earlier"] = issued.as_read(user, selectors.earlier_recommendations(review))
    return render(request, "reviews/review_detail.html", context)


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
def review_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen plan and governance record the panel reviews."""
    review = get_review_for_user(request.user, pk, workings=True)
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
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """Hub staff respond to the issued report: an action per recommendation."""
    review = get_review_for_user(request.user, pk, hub=True)
    recommendations = selectors.issued_recommendations(review, request.user)
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
    shown = issued.as_read(request.user, [rec])  # its title as issued, during a correction
    title = shown[0].title if shown else rec.title
    form = ProgressForm(
        request.POST or None,
        initial={"version": rec.version, "status": rec.status, "note": rec.closure_note},
    )
    return form_page(
        request,
        form,
        title=f"Progress: {title}",
        caption=str(rec.review),
        breadcrumbs=_crumbs(rec.review),
        save=lambda **data: services.recommendation_progress(
            by=request.user, recommendation=rec, **data
        ),
        success_url=rec.review.get_absolute_url(),
        message="Progress recorded.",
    )


@login_required
def review_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what to the review, when (the regional team and national admins)."""
    review = get_review_for_user(request.user, pk, history=True)
    page = Paginator(audit.events_for(review), 50).get_page(request.GET.get("page"))
    page.object_list = with_field_changes(page.object_list)  # old → new per field
    return render(
        request,
        "workspace/group_history.html",
        {"record": str(review), "page": page, "query": "", "breadcrumbs": _crumbs(review)},
    )
