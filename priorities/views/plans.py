"""Plan pages: the group's plans, a plan and its workflow, frozen versions, the cross-hub view."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.pagecache import hub_from, per_session, shared_html
from commissioning.views import form_page
from exports import services as export_services
from oversight.permissions import can_manage_group, get_group_for_user, glance_hubs

from .. import programme, selectors, services
from ..forms import PlanCreateForm, PlanSectionsForm, ReasonForm
from ..models import PrioritiesPlan
from ..permissions import (
    can_assure,
    can_read_programme,
    check_cross_hub,
    get_plan_for_step,
    get_plan_for_user,
    get_version_for_user,
    is_assessor,
    is_proposer,
    may_propose,
    sees_all_proposals,
)
from .common import act, crumbs
from .confirming import plan_confirm


@login_required
def plan_list(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    form = PlanCreateForm() if can_manage_group(request.user, group) else None
    return render(
        request,
        "priorities/plan_list.html",
        {
            "group": group,
            "plans": selectors.group_plans(request.user, group),
            "form": form,
            "breadcrumbs": crumbs(group=group)[:1],
        },
    )


@login_required
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        plan = act(
            request,
            lambda: services.plan_create(by=request.user, group=group, **form.cleaned_data),
            success=lambda plan: f"The {plan.year_label} plan is started.",
        )
        if plan is not None:
            return redirect(plan)
    return redirect("priorities:plan-list", pk=group.pk)


@login_required
@per_session(hubs=hub_from("priorities.prioritiesplan"))
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    seen = selectors.plan_proposals(request.user, plan)
    manage = can_manage_group(request.user, plan.group)
    return render(
        request,
        "priorities/plan_detail.html",
        {
            "plan": plan,
            "proposals": seen.proposals,
            "included": seen.included,
            "totals": seen.totals,
            # Issue 17 part 4: the included priorities that overlap a national review.
            "overlaps": programme.plan_overlaps(plan, seen.included),
            "reads_programme": can_read_programme(request.user),
            "governance": selectors.governance_summary(plan.group),
            "versions": selectors.plan_versions(plan),
            "can_manage": manage,
            "can_assure": can_assure(request.user, plan),
            "sees_all": sees_all_proposals(request.user, plan),
            "scoring": _scoring(request.user, plan, seen.proposals, manage=manage),
            "can_propose": may_propose(request.user, plan),
            "closed_to_proposals": (
                services.closed_to_proposals(plan)
                if not plan.is_editable and is_proposer(request.user, plan)
                else ""
            ),
            "reason_form": ReasonForm(initial={"version": plan.version}),
            "breadcrumbs": crumbs(group=plan.group),
        },
    )


def _scoring(user, plan, proposals, *, manage: bool) -> dict | None:
    """Issue 18: "Score these proposals" on the plan page, for the hub's staff and the plan's
    assessors: the submitted proposals, which of them this person has scored, and whether
    they are an assessor yet (the hub's staff become one in a click, or with a first score)."""
    assessor = is_assessor(user, plan)
    if not (manage or assessor):
        return None
    return {
        "is_assessor": assessor,
        "proposals": [p for p in proposals if p.awaits_decision],
        "scored": selectors.scored_proposal_ids(plan, user) if assessor else set(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    initial = {f: getattr(plan, f) for f in services.SECTION_FIELDS}
    form = PlanSectionsForm(request.POST or None, initial={**initial, "version": plan.version})
    return form_page(
        request,
        form,
        title=f"Plan sections, {plan.year_label}",
        group=plan.group,
        breadcrumbs=crumbs(plan),
        save=lambda **data: services.plan_update(by=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        message="Plan saved.",
    )


# Assuring has its own page (views.assurance.plan_assure, on the same address).
PLAN_MOVES = {
    "submit": services.plan_submit,
    "publish": services.plan_publish,
    "reopen": services.plan_reopen,
}
# The steps with a confirm page, and the plan statuses it is offered from.
CONFIRMED_MOVES = {
    "submit": (PrioritiesPlan.Status.DRAFT,),
    "publish": (PrioritiesPlan.Status.ASSURED,),
}


@login_required
@require_http_methods(["GET", "POST"])
def plan_move(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submit, publish or reopen the plan. GET on submit or publish is the check-your-answers
    page before the step (issue 18, finding 1); reopen is asked on the plan's page."""
    plan = get_plan_for_step(request.user, pk, step)
    if request.method == "GET":
        if step in CONFIRMED_MOVES and plan.status in CONFIRMED_MOVES[step]:
            return plan_confirm(request, plan, step)
        return redirect(plan)
    extra = {"reason": request.POST.get("reason", "")} if step == "reopen" else {}
    act(
        request,
        lambda: PLAN_MOVES[step](
            by=request.user, plan=plan, version=int(request.POST.get("version", "0")), **extra
        ),
        success=lambda moved: f"The plan is now {moved.get_status_display().lower()}.",
    )
    return redirect(plan)


@login_required
def plan_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk)
    return render(
        request,
        "priorities/plan_version.html",
        {
            "version": version,
            "plan": version.plan,
            "content": version.content,
            "can_manage": can_manage_group(request.user, version.plan.group),
            "breadcrumbs": crumbs(version.plan),
        },
    )


@login_required
def plan_version_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The stored PDF of a published version, for the readers of its plan."""
    version = get_version_for_user(request.user, pk)
    if not version.pdf:
        raise Http404("This version's PDF is not made yet.")
    return FileResponse(
        version.pdf.open("rb"),
        as_attachment=True,
        filename=version.pdf_filename,
        content_type="application/pdf",
    )


@login_required
@require_POST
def plan_version_pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk, write=True)
    act(
        request,
        lambda: services.version_pdf_retry(by=request.user, version=version),
        success="The PDF is being made again.",
    )
    return redirect(version)


@login_required
@require_POST
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the plan as a PDF (made by Celery). It records the plan's edit counter, to say
    when the file falls behind, but calls itself a working copy: "version" is what the app
    calls a frozen version (issue 18, finding 10)."""
    plan = get_plan_for_user(request.user, pk)
    export = export_services.export_request(
        by=request.user,
        kind="priorities_plan",
        params={"plan": plan.pk, "version": plan.version},
        title=f"{plan} (working copy)",
    )
    return redirect(export)


@login_required
@require_POST
def plan_roll_forward(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    new = act(
        request,
        lambda: services.plan_roll_forward(by=request.user, plan=plan),
        success=lambda new: f"The {new.year_label} plan is started from {plan.year_label}.",
    )
    return redirect(new or plan)


@login_required
@per_session
def cross_hub(request: HttpRequest) -> HttpResponse:
    """All plans for a year across the hubs the user oversees, and the included priorities by
    Programme of Care, so shared themes can be agreed as one programme (seed 000 section 3.6)."""
    check_cross_hub(request.user)
    years = selectors.plan_years()
    try:
        year = int(request.GET.get("year", years[0] if years else 2015))
    except ValueError:
        year = years[0] if years else 2015
    hubs = list(glance_hubs(request.user))
    body = shared_html(
        "cross-hub", year, *(h.pk for h in hubs), render=lambda: _cross_hub_body(year, hubs)
    )
    return render(
        request,
        "priorities/cross_hub.html",
        {"year": year, "years": years or [2015], "body": body},
    )


def _cross_hub_body(year: int, hubs: list) -> str:
    """Plans by hub and included priorities by Programme of Care: the same for everyone who
    oversees these hubs."""
    plans, themes = selectors.cross_hub(year, hubs)
    return render_to_string(
        "priorities/_cross_hub_body.html",
        {
            "year": year,
            "rows": [{"hub": h, "plan": plans.get(h.pk)} for h in hubs],
            "themes": themes,
        },
    )
