"""Pages: the lead's report (consolidation, findings, recommendations), issuing it, and
reading an issued report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.views import form_page
from exports import services as export_services
from exports.models import Export

from .. import selectors, services
from ..forms import (
    ConsolidateForm,
    FindingEditForm,
    FindingForm,
    IssueForm,
    RecommendationEditForm,
    RecommendationForm,
)
from ..models import Finding
from ..permissions import (
    get_finding_for_user,
    get_recommendation_for_user,
    get_report_for_user,
    get_review_for_user,
)
from ._common import _change_or_remove, _crumbs, _refusal, _step
from .confirming import report_confirm


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


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk, write=True)
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
@require_http_methods(["GET", "POST"])
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the check-your-answers page before issuing (issue 18, finding 1); POST issues."""
    review = get_review_for_user(request.user, pk, lead=True)
    if request.method == "GET":
        if not review.report_open:
            return redirect(review)
        return report_confirm(request, review, IssueForm(initial={"version": review.version}))
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date; try again.")
        return redirect(review)
    try:
        report = services.report_issue(by=request.user, review=review, **form.cleaned_data)
    except (RuleError, ConflictError) as error:
        if getattr(error, "field", None) == "reason":  # beside the field, on the same page
            apply_error(form, error)
            return report_confirm(request, review, form, status=400)
        _refusal(request, error)
        return redirect(review)
    messages.success(request, f"Report version {report.number} issued to the hub.")
    return redirect(report)


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead starts a correction: the issued report's findings and recommendations may
    change until the corrected version is issued with its reason."""
    review = get_review_for_user(request.user, pk, lead=True)
    return _step(
        request,
        review,
        services.correction_start,
        "Correction started. Change the findings or recommendations, then issue the "
        "corrected report with the reason.",
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    review = report.review
    latest = selectors.latest_report_number(review)
    return render(
        request,
        "reviews/report_detail.html",
        {
            "report": report,
            "review": review,
            "content": report.content,
            "findings": [
                f for f in report.content["findings"] if f["kind"] == Finding.Kind.FINDING
            ],
            "good_practice": [
                f for f in report.content["findings"] if f["kind"] == Finding.Kind.GOOD_PRACTICE
            ],
            "latest": latest,
            "exports": selectors.report_exports(request.user, report),
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
