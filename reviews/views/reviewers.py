"""Pages: building the panel, reviewers' answers, and each reviewer's own assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.views import form_page

from .. import selectors, services
from ..forms import (
    ConflictForm,
    PanelInviteForm,
    ReplaceForm,
    RespondToInvitationForm,
    assessment_form,
)
from ..permissions import (
    get_own_place,
    get_place_for_user,
    get_review_for_user,
    sees_review_workings,
)
from ._common import _crumbs, _refusal


@login_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The regional team builds the panel from suggested reviewers."""
    review = get_review_for_user(request.user, pk, manage=True)
    candidates = services.reviewer_candidates(review)
    form = PanelInviteForm(request.POST or None, candidates=candidates.offered)
    if request.method == "POST" and form.is_valid():
        user = selectors.person(form.cleaned_data["user"])
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
            "panel": selectors.panel_of(review),
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
            user=selectors.person(user),
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
    place = get_own_place(request.user, review)
    lines = list(review.cycle.lines.all())
    mine = selectors.own_assessment(place)
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
            "submitted": mine is not None and mine.is_submitted,
            "breadcrumbs": _crumbs(review),
        },
    )
