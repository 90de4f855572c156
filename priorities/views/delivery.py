"""Delivery pages: a priority's delivery, the plan's dashboard, CSV and XLSX downloads."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.pagecache import hub_from, hub_of, per_session, shared_html
from oversight.permissions import can_manage_group

from .. import charts, selectors, services, tables
from ..forms import DeliveryForm, MilestoneForm, UpdateForm
from ..models import Milestone, PrioritiesPlan
from ..permissions import check_records_delivery, get_plan_for_user, get_proposal_for_user
from .common import act, crumbs


@login_required
@require_http_methods(["GET", "POST"])
def priority_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """An included priority's delivery: lead and target, milestones, RAG updates."""
    proposal = get_proposal_for_user(request.user, pk)
    plan = proposal.plan
    manage = can_manage_group(request.user, plan.group)
    delivery = selectors.delivery_of(proposal)
    initial = {"qipp_target": proposal.qipp_savings}
    if delivery is not None:
        initial = {
            "lead": delivery.lead,
            "subgroup": delivery.subgroup_id,
            "kpis": delivery.kpis,
            "qipp_target": delivery.qipp_target,
            "version": delivery.version,
        }
    which = request.POST.get("form") if request.method == "POST" else None
    if which:
        check_records_delivery(request.user, plan)
    forms_ = {
        "delivery": DeliveryForm(
            request.POST if which == "delivery" else None,
            plan=plan,
            initial=initial,
            prefix="delivery",
        ),
        "milestone": MilestoneForm(
            request.POST if which == "milestone" else None, prefix="milestone"
        ),
        "update": UpdateForm(
            request.POST if which == "update" else None,
            prefix="update",
            initial={"reported_on": timezone.localdate()},
        ),
    }
    actions = {
        "delivery": lambda d: services.delivery_set(by=request.user, proposal=proposal, **d),
        "milestone": lambda d: services.milestone_add(by=request.user, proposal=proposal, **d),
        "update": lambda d: services.update_add(by=request.user, proposal=proposal, **d),
    }
    if which == "status":
        milestone = proposal.milestones.filter(pk=request.POST.get("milestone")).first()
        if milestone is None:
            raise Http404("No such milestone.")
        act(
            request,
            lambda: services.milestone_set_status(
                by=request.user,
                milestone=milestone,
                version=int(request.POST.get("version", "0")),
                status=request.POST.get("status", ""),
            ),
            success=None,
        )
        return redirect("priorities:priority-delivery", pk=proposal.pk)
    if which in forms_:
        form = forms_[which]
        if form.is_valid():
            try:
                actions[which](dict(form.cleaned_data))
            except (RuleError, ConflictError) as error:
                apply_error(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect("priorities:priority-delivery", pk=proposal.pk)
    return render(
        request,
        "priorities/priority_delivery.html",
        {
            "proposal": proposal,
            "plan": plan,
            "delivery": delivery,
            "forms": forms_,
            "milestones": selectors.priority_milestones(proposal, timezone.localdate()),
            "statuses": Milestone.Status.choices,
            "updates": selectors.priority_updates(proposal),
            "can_manage": manage,
            "breadcrumbs": crumbs(plan),
        },
    )


@login_required
@per_session(hubs=hub_from("priorities.prioritiesplan"))
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Delivery of the plan at a glance, with charts drawn as SVG on the server."""
    plan = get_plan_for_user(request.user, pk)
    body = shared_html(
        "plan-dashboard",
        plan.pk,
        render=lambda: _dashboard_body(plan, timezone.localdate()),
        hubs=hub_of("priorities.prioritiesplan", plan.pk),
    )
    return render(
        request,
        "priorities/dashboard.html",
        {"plan": plan, "body": body, "breadcrumbs": crumbs(plan)},
    )


def _dashboard_body(plan: PrioritiesPlan, today) -> str:
    """The dashboard's figures and charts: the plan's included priorities, which every
    reader of the plan sees (permissions.proposals_visible_to), so the same for everyone."""
    rows = selectors.dashboard(plan, today)
    biggest = max([max(r.target, r.realised) for r in rows] or [Decimal(1)]) or Decimal(1)
    for i, r in enumerate(rows):
        r_y = 8 + i * 34
        # Written out as text here: numbers in a template are localised one by one.
        r.chart = {
            "y": str(r_y),
            "text_y": str(r_y + 11),
            "realised_y": str(r_y + 14),
            "target_w": charts.svg_number(240 * r.target / biggest),
            "realised_w": charts.svg_number(240 * r.realised / biggest),
        }
    return render_to_string(
        "priorities/_dashboard_body.html",
        {
            "plan": plan,
            "rows": rows,
            "status_chart": charts.status_chart(rows),
            "milestone_chart": charts.milestone_chart(rows),
            "chart_height": 16 + 34 * len(rows),
            "totals": {
                "target": sum((r.target for r in rows), Decimal(0)),
                "realised": sum((r.realised for r in rows), Decimal(0)),
                "due": sum(r.milestones_due for r in rows),
                "overdue": sum(r.milestones_overdue for r in rows),
                "done": sum(r.milestones_done for r in rows),
            },
        },
    )


@login_required
def plan_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals the user can see, with status and money, as CSV."""
    plan = get_plan_for_user(request.user, pk)
    return tables.csv_response(
        tables.proposal_table(request.user, plan),
        f"{plan.group.hub.slug}-proposals-{plan.year}.csv",
    )


@login_required
def plan_priorities_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The included priorities the user can see, with their delivery, as CSV."""
    plan = get_plan_for_user(request.user, pk)
    return tables.csv_response(
        tables.priority_table(request.user, plan, timezone.localdate()),
        f"{plan.group.hub.slug}-priorities-{plan.year}.csv",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals and the priorities the user can see, as one workbook of two sheets."""
    plan = get_plan_for_user(request.user, pk)
    workbook = tables.xlsx_bytes(
        [
            ("Proposals", tables.proposal_table(request.user, plan)),
            ("Priorities", tables.priority_table(request.user, plan, timezone.localdate())),
        ]
    )
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{plan.group.hub.slug}-plan-{plan.year}.xlsx"'
    )
    return response
