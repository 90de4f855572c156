"""Evaluation of what works (issue 17, "What to build" 6; seed 000 §4.2.1): a plan's included
priorities and their evaluations, recording and changing one, its history, archiving, sharing
to the learning library and the idea exchange, the shared evaluations every hub reads, and the
national summary by Programme of Care and theme (as CSV too). Every page works without
JavaScript."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.views import form_page

from . import forms, selectors, services
from .models import evaluation_opens_on, year_end
from .permissions import (
    can_evaluate,
    check_summary_region,
    get_evaluation_for_user,
    get_plan_to_read,
    get_priority_to_evaluate,
    get_shared_for_user,
    require_library_reader,
    summary_regions,
)

PAGE_SIZE = 25
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _crumbs(plan=None, evaluation=None) -> list[dict]:
    if evaluation is not None:
        plan = evaluation.proposal.plan
    crumbs = []
    if plan is not None:
        crumbs.append({"label": str(plan), "url": plan.get_absolute_url()})
        crumbs.append(
            {"label": "Evaluation", "url": reverse("evaluations:plan", kwargs={"pk": plan.pk})}
        )
    if evaluation is not None:
        crumbs.append({"label": evaluation.proposal.title, "url": evaluation.get_absolute_url()})
    return crumbs


@login_required
def plan_evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_to_read(request.user, pk)
    opens_on = evaluation_opens_on(plan.year)
    ends_on = year_end(plan.year)
    return render(
        request,
        "evaluations/plan_evaluations.html",
        {
            "plan": plan,
            "priorities": selectors.plan_priorities(plan),
            "can_evaluate": can_evaluate(request.user, plan),
            "opens_on": opens_on,
            "ends_on": ends_on,
            "is_open": timezone.localdate() >= opens_on,
            "breadcrumbs": _crumbs(plan)[:1],
        },
    )


def _evaluation_form(request, form, *, save, success, title: str, context: dict) -> HttpResponse:
    """The record and change pages: the form beside the priority's planned aims and figures;
    a refusal beside its field, nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = save(**form.cleaned_data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, success)
            return redirect(evaluation)
    return render(
        request, "evaluations/evaluation_form.html", {"form": form, "title": title, **context}
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_priority_to_evaluate(request.user, pk)
    plan = proposal.plan
    return _evaluation_form(
        request,
        forms.EvaluationForm(request.POST or None),
        save=lambda **data: services.evaluation_record(by=request.user, proposal=proposal, **data),
        success="Evaluation recorded.",
        title=f"Evaluate {proposal.title}",
        context={
            "proposal": proposal,
            "delivery": selectors.delivery_of(proposal),
            "planned_qipp": services.planned_qipp(proposal),
            "opens_on": evaluation_opens_on(plan.year),
            "ends_on": year_end(plan.year),
            "is_open": timezone.localdate() >= evaluation_opens_on(plan.year),
            "breadcrumbs": _crumbs(plan),
        },
    )


def _initial(evaluation) -> dict:
    return {name: getattr(evaluation, name) for name in services.FIELDS} | {
        "version": evaluation.version
    }


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request.user, pk, write=True)
    proposal = evaluation.proposal
    return _evaluation_form(
        request,
        forms.EvaluationEditForm(request.POST or None, initial=_initial(evaluation)),
        save=lambda **data: services.evaluation_update(
            by=request.user, evaluation=evaluation, **data
        ),
        success="Evaluation saved.",
        title=f"Change the evaluation of {proposal.title}",
        context={
            "proposal": proposal,
            "delivery": selectors.delivery_of(proposal),
            "planned_qipp": evaluation.planned_qipp,
            "is_open": True,
            "evaluation": evaluation,
            "breadcrumbs": _crumbs(evaluation=evaluation),
        },
    )


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request.user, pk)
    proposal = evaluation.proposal
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "proposal": proposal,
            "delivery": selectors.delivery_of(proposal),
            "can_change": can_evaluate(request.user, proposal.plan) and not evaluation.is_archived,
            "breadcrumbs": _crumbs(proposal.plan),
        },
    )


@login_required
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request.user, pk)
    page = Paginator(selectors.evaluation_history(evaluation), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/evaluation_history.html",
        {"evaluation": evaluation, "page": page, "breadcrumbs": _crumbs(evaluation=evaluation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.ArchiveForm(request.POST or None, initial={"version": evaluation.version}),
        title="Archive the evaluation",
        caption=evaluation.proposal.title,
        intro=[
            "An archived evaluation is kept with its history, leaves the learning library and"
            " the national summary, and the priority can be evaluated again. An idea it shared"
            " stays on the idea exchange."
        ],
        submit_label="Archive the evaluation",
        breadcrumbs=_crumbs(evaluation=evaluation),
        save=lambda **data: services.evaluation_archive(
            by=request.user, evaluation=evaluation, **data
        ),
        success_url=evaluation.get_absolute_url(),
        message="Evaluation archived.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_to_library(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.ShareForm(request.POST or None, initial={"version": evaluation.version}),
        title="Share to the learning library",
        caption=evaluation.proposal.title,
        intro=[
            "Every hub will read the evaluation in the learning library as it is now: its"
            " rating, QIPP figures, benefits, what worked, perverse incentives, blockages and"
            " good practice.",
            "An evaluation is shared once. Later changes to it are not shared.",
        ],
        submit_label="Share to the learning library",
        breadcrumbs=_crumbs(evaluation=evaluation),
        save=lambda **data: services.evaluation_share_to_library(
            by=request.user, evaluation=evaluation, **data
        ),
        success_url=evaluation.get_absolute_url(),
        message="Shared to the learning library.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_to_ideas(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request.user, pk, write=True)
    hub = evaluation.proposal.plan.group.hub
    return form_page(
        request,
        forms.ShareForm(request.POST or None, initial={"version": evaluation.version}),
        title="Share on the idea exchange",
        caption=evaluation.proposal.title,
        intro=[
            f"An idea is posted for the {hub.name} hub, under your name: the priority's"
            " problem, what the group set out to do and what worked, and the evaluation's"
            " results, tagged with the priority's Programme of Care and the evaluation's theme.",
            "Other hubs can comment, follow it and ask to be put in touch. An evaluation is"
            " shared once; you can change the post afterwards on the idea exchange.",
        ],
        submit_label="Share on the idea exchange",
        breadcrumbs=_crumbs(evaluation=evaluation),
        save=lambda **data: services.evaluation_share_to_ideas(
            by=request.user, evaluation=evaluation, **data
        ),
        success_url=evaluation.get_absolute_url(),
        message="Shared on the idea exchange.",
    )


@login_required
def shared_list(request: HttpRequest) -> HttpResponse:
    require_library_reader(request.user)
    form = forms.SharedSearchForm(request.GET or None)
    found = selectors.shared(**form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluations/shared_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": [{"label": "Learning library", "url": reverse("reviews:learning")}],
        },
    )


@login_required
def shared_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_shared_for_user(request.user, pk)
    return render(
        request,
        "evaluations/shared_detail.html",
        {
            "evaluation": evaluation,
            "content": evaluation.shared_content,
            "breadcrumbs": [
                {"label": "Learning library", "url": reverse("reviews:learning")},
                {"label": "Shared evaluations", "url": reverse("evaluations:shared")},
            ],
        },
    )


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """The national summary of a year's evaluations by Programme of Care and theme (`?year=`),
    for every region or one (`?region=<slug>`; a regional team's own), as CSV with
    `?format=csv` (the summary) or `?format=evaluations` (one row per evaluation)."""
    allowed = summary_regions(request.user)
    today = timezone.localdate()
    years = selectors.ended_years(today) or [selectors.default_year(today)]
    choosable = list(selectors.regions()) if allowed is None else allowed
    form = forms.SummaryForm(
        request.GET or None, years=years, regions=choosable, every_region=allowed is None
    )
    year, region = years[0], None
    if form.is_bound:
        if not form.is_valid():
            raise Http404("No such year or region.")
        year = form.cleaned_data["year"] or year
        slug = form.cleaned_data["region"]
        region = selectors.region_by_slug(slug) if slug else None
    elif allowed is not None:
        region = allowed[0]
    regions = check_summary_region(request.user, region)
    result = selectors.summary(year, regions)
    evaluations = selectors.standing_evaluations(year, regions)
    download = request.GET.get("format", "")
    if download == "csv":
        return _csv(_summary_table(result), f"evaluations-summary-{year}.csv")
    if download == "evaluations":
        return _csv(_evaluations_table(evaluations), f"evaluations-{year}.csv")
    page = Paginator(evaluations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "evaluations/summary.html",
        {
            "form": form,
            "summary": result,
            "region": region,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": [{"label": "National structures", "url": reverse("national:index")}],
        },
    )


def _summary_table(result) -> tuple[list[str], list[list]]:
    header = [
        "Grouped by",
        "Group",
        "Included priorities",
        "Evaluated",
        "Met",
        "Partly met",
        "Not met",
        "QIPP planned (£)",
        "QIPP realised (£)",
    ]
    rows = []
    for kind, group in (("Programme of Care", result.by_programme), ("Theme", result.by_theme)):
        for row in group:
            included = row.included if kind == "Programme of Care" else ""
            rows.append(
                [
                    kind,
                    row.label,
                    included,
                    row.evaluated,
                    row.met,
                    row.partly_met,
                    row.not_met,
                    row.planned,
                    row.realised,
                ]
            )
    total = result.total
    rows.append(
        [
            "All",
            total.label,
            total.included,
            total.evaluated,
            total.met,
            total.partly_met,
            total.not_met,
            total.planned,
            total.realised,
        ]
    )
    return header, rows


def _evaluations_table(evaluations) -> tuple[list[str], list[list]]:
    header = [
        "Hub",
        "Region",
        "Priority",
        "Programme of Care",
        "Theme",
        "Rating",
        "QIPP planned (£)",
        "QIPP realised (£)",
        "In the learning library",
        "On the idea exchange",
    ]
    rows = [
        [
            e.proposal.plan.group.hub.name,
            e.proposal.plan.group.hub.region.name,
            e.proposal.title,
            e.proposal.programme_of_care.name if e.proposal.programme_of_care else "",
            e.theme_label,
            e.get_rating_display(),
            e.planned_qipp,
            e.qipp_realised,
            "Yes" if e.in_library else "No",
            "Yes" if e.in_ideas else "No",
        ]
        for e in evaluations
    ]
    return header, rows


def _csv(table: tuple, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    header, rows = table
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in row]
        )
    return response
