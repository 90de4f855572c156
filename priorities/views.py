"""Priorities plan pages: the plan and its workflow, frozen versions, and CCG proposals."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import scopes
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.pagecache import CSRF_PLACEHOLDER, per_session, shared_html, with_csrf
from commissioning.views import form_page
from exports import services as export_services
from hubs.models import CCG
from oversight.permissions import can_manage_group, can_see_glance, get_group_for_user, glance_hubs

from . import charts, services, tables
from .forms import (
    AssessorForm,
    CommentForm,
    CriterionForm,
    CriterionRenameForm,
    DecisionForm,
    DeliveryForm,
    InfoRequestForm,
    MilestoneForm,
    PlanCreateForm,
    PlanSectionsForm,
    ProposalEditForm,
    ProposalForm,
    ReasonForm,
    RowDecisionForm,
    UpdateForm,
    score_form,
    weights_form,
)
from .models import Delivery, Milestone, PrioritiesPlan, Proposal, Score
from .permissions import (
    can_assure,
    can_edit_proposal,
    get_criterion_for_user,
    get_plan_for_assessment,
    get_plan_for_user,
    get_proposal_for_user,
    get_version_for_user,
    is_assessor,
    plans_visible_to,
    proposals_visible_to,
    sees_all_proposals,
)


def _crumbs(plan: PrioritiesPlan | None = None, group=None) -> list[dict]:
    group = group or plan.group
    crumbs = [
        {"label": group.name, "url": group.get_absolute_url()},
        {"label": "Priorities plans", "url": reverse("priorities:plan-list", args=[group.pk])},
    ]
    if plan is not None:
        crumbs.append({"label": plan.year_label, "url": plan.get_absolute_url()})
    return crumbs


@login_required
def plan_list(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    plans = (
        plans_visible_to(request.user)
        .filter(group=group)
        .annotate(proposal_count=Count("proposals"))
    )
    form = PlanCreateForm() if can_manage_group(request.user, group) else None
    return render(
        request,
        "priorities/plan_list.html",
        {
            "group": group,
            "plans": plans,
            "form": form,
            "breadcrumbs": _crumbs(group=group)[:1],
        },
    )


@login_required
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_create(by=request.user, group=group, **form.cleaned_data)
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The {plan.year_label} plan is started.")
            return redirect(plan)
    return redirect("priorities:plan-list", pk=group.pk)


@login_required
@per_session
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    proposals = list(proposals_visible_to(request.user, plan).order_by("status", "title"))
    included = [p for p in proposals if p.status == Proposal.Status.INCLUDED]
    manage = can_manage_group(request.user, plan.group)
    my_ccgs = [
        c
        for c in CCG.objects.filter(pk__in=scopes(request.user).ccg_ids)
        if c.hub_id == plan.group.hub_id
    ]
    return render(
        request,
        "priorities/plan_detail.html",
        {
            "plan": plan,
            "proposals": proposals,
            "included": included,
            "totals": plan.proposals.filter(status=Proposal.Status.INCLUDED).aggregate(
                qipp=Sum("qipp_savings"), costs=Sum("costs")
            ),
            "governance": services.governance_summary(plan.group),
            "versions": list(plan.versions.select_related("frozen_by")),
            "can_manage": manage,
            "can_assure": can_assure(request.user, plan),
            "sees_all": sees_all_proposals(request.user, plan),
            "can_propose": (manage or bool(my_ccgs)) and plan.status != "published",
            "reason_form": ReasonForm(initial={"version": plan.version}),
            "breadcrumbs": _crumbs(group=plan.group),
        },
    )


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
        breadcrumbs=_crumbs(plan),
        save=lambda **data: services.plan_update(by=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        message="Plan saved.",
    )


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submit, assure, publish or reopen the plan."""
    if step == "assure":
        plan = get_plan_for_user(request.user, pk)
        if not can_assure(request.user, plan):
            raise PermissionDenied("Only the region's team assures a plan.")
    else:
        plan = get_plan_for_user(request.user, pk, write=True)
    moves = {
        "submit": services.plan_submit,
        "assure": services.plan_assure,
        "publish": services.plan_publish,
        "reopen": services.plan_reopen,
    }
    if step not in moves:
        raise PermissionDenied("No such step.")
    extra = {"reason": request.POST.get("reason", "")} if step == "reopen" else {}
    try:
        version = int(request.POST.get("version", "0"))
        moved = moves[step](by=request.user, plan=plan, version=version, **extra)
    except (ValueError, RuleError, ConflictError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, f"The plan is now {moved.get_status_display().lower()}.")
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
            "breadcrumbs": _crumbs(version.plan),
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
    version = get_version_for_user(request.user, pk)
    if not can_manage_group(request.user, version.plan.group):
        raise PermissionDenied("Only the hub's staff ask for the PDF again.")
    try:
        services.version_pdf_retry(by=request.user, version=version)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The PDF is being made again.")
    return redirect(version)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    manage = can_manage_group(request.user, plan.group)
    my_ccgs = [
        c
        for c in CCG.objects.filter(pk__in=scopes(request.user).ccg_ids)
        if c.hub_id == plan.group.hub_id
    ]
    if not manage and not my_ccgs:
        raise PermissionDenied("CCG leads and hub staff of this hub propose priorities.")
    ccg = my_ccgs[0] if my_ccgs and not manage else None
    form = ProposalForm(request.POST or None, plan=plan)
    created = {}

    def save(**data):
        created["proposal"] = services.proposal_create(by=request.user, plan=plan, ccg=ccg, **data)

    response = form_page(
        request,
        form,
        title="Propose a priority",
        group=plan.group,
        breadcrumbs=_crumbs(plan),
        save=save,
        success_url=plan.get_absolute_url(),
        message="Proposal saved as a draft. Submit it when it is ready.",
    )
    if "proposal" in created:
        return redirect(created["proposal"])
    return response


@login_required
def proposal_detail(request: HttpRequest, pk: int, forms=None) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, pk)
    manage = can_manage_group(request.user, proposal.plan.group)
    version = {"version": proposal.version}
    context_forms = {
        "decision_form": DecisionForm(initial=version) if manage else None,
        "info_form": InfoRequestForm(initial=version) if manage else None,
        "comment_form": CommentForm(),
        **(forms or {}),
    }
    return render(
        request,
        "priorities/proposal_detail.html",
        {
            "proposal": proposal,
            "comments": list(proposal.comments.select_related("author")),
            "affected": list(proposal.ccgs_affected.all()),
            "can_edit": can_edit_proposal(request.user, proposal),
            "can_decide": manage,
            "breadcrumbs": _crumbs(proposal.plan),
            **context_forms,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, pk, edit=True)
    initial = {f: getattr(proposal, f) for f in services.PROPOSAL_FIELDS}
    initial.update(ccgs_affected=list(proposal.ccgs_affected.all()), version=proposal.version)
    form = ProposalEditForm(request.POST or None, plan=proposal.plan, initial=initial)
    return form_page(
        request,
        form,
        title=f"Change: {proposal.title}",
        group=proposal.plan.group,
        breadcrumbs=_crumbs(proposal.plan),
        save=lambda **data: services.proposal_update(by=request.user, proposal=proposal, **data),
        success_url=proposal.get_absolute_url(),
        message="Proposal saved.",
    )


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submit (proposer), request information or decide (hub staff), comment (either). A
    refused form is shown again with the message beside its field."""
    if step == "submit":
        proposal = get_proposal_for_user(request.user, pk, edit=True)
    elif step in ("decide", "request-info"):
        proposal = get_proposal_for_user(request.user, pk, decide=True)
    elif step == "comment":
        proposal = get_proposal_for_user(request.user, pk)
    else:
        raise PermissionDenied("No such step.")
    if step == "submit":
        try:
            services.proposal_submit(
                by=request.user, proposal=proposal, version=int(request.POST.get("version", "0"))
            )
        except (ValueError, RuleError, ConflictError) as error:
            messages.error(request, getattr(error, "message", None) or str(error))
        else:
            messages.success(request, "Proposal submitted to the hub.")
        return redirect(proposal)
    steps = {
        "decide": (
            "decision_form",
            DecisionForm,
            services.proposal_decide,
            "Decision recorded; the proposer can see it.",
        ),
        "request-info": (
            "info_form",
            InfoRequestForm,
            services.proposal_request_info,
            "More information requested.",
        ),
        "comment": ("comment_form", CommentForm, services.comment_add, "Comment added."),
    }
    name, form_class, service, message = steps[step]
    from_ranking = step == "decide" and request.POST.get("return") == "ranking"
    if from_ranking:
        form = RowDecisionForm(request.POST, proposal=proposal)
    else:
        form = form_class(request.POST)
    if form.is_valid():
        try:
            service(by=request.user, proposal=proposal, **form.cleaned_data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
            if from_ranking and isinstance(error, ConflictError):
                data = form.data.copy()  # the row form's version field carries its prefix
                data[form.add_prefix("version")] = str(error.current.version)
                form.data = data
        else:
            messages.success(request, message)
            if from_ranking:
                ranking = reverse("priorities:ranking", args=[proposal.plan_id])
                return redirect(f"{ranking}#proposal-{proposal.pk}")
            return redirect(proposal)
    if from_ranking:
        return ranking_page(request, proposal.plan_id, decision={proposal.pk: form})
    return proposal_detail(request, pk, forms={name: form})


@login_required
@per_session
def ranking_page(request: HttpRequest, pk: int, decision=None) -> HttpResponse:
    """Proposals ranked by weighted score, with the spread between assessors; hub staff
    record the group's decision from each row (`decision`: a refused row form to show). The
    ranked table is the same for everyone with the same view of the plan: it is shared
    (pagecache.shared_html), except when it shows a refused form."""
    plan = get_plan_for_assessment(request.user, pk)
    manage = can_manage_group(request.user, plan.group)
    assessor = is_assessor(request.user, plan)
    my_scores = (
        set(
            Score.objects.filter(proposal__plan=plan, assessor=request.user).values_list(
                "proposal_id", flat=True
            )
        )
        if assessor
        else set()
    )
    deciding = manage and plan.is_editable
    context = {
        "plan": plan,
        "my_scores": my_scores,
        "is_assessor": assessor,
        "deciding": deciding,
        "csrf_token": CSRF_PLACEHOLDER,
    }

    def table() -> str:
        rows = _ranking_rows(plan, deciding=deciding, decision=decision)
        return render_to_string("priorities/_ranking_table.html", {**context, "rows": rows})

    if decision:  # a refused form is this person's own: never shared
        html = with_csrf(table(), request)
    else:
        html = shared_html(
            "ranking",
            plan.pk,
            deciding,
            assessor,
            *sorted(my_scores),
            render=table,
            request=request,
        )
    return render(
        request,
        "priorities/ranking.html",
        {
            "plan": plan,
            "table": html,
            "criteria": list(plan.criteria.active()),
            "assessors": list(plan.assessors.select_related("user")),
            "can_manage": manage,
            "assessor_form": AssessorForm(),
            "breadcrumbs": _crumbs(plan),
        },
    )


def _ranking_rows(plan: PrioritiesPlan, *, deciding: bool, decision=None) -> list[tuple]:
    """(ranked proposal, its decision form for hub staff or None), best first."""
    decidable = (Proposal.Status.SUBMITTED, *Proposal.DECISIONS)
    rows = []
    for r in services.ranking(plan):
        p, form = r.proposal, None
        if deciding and p.status in decidable:
            form = (decision or {}).get(p.pk) or RowDecisionForm(
                proposal=p,
                initial={
                    "version": p.version,
                    "status": p.status if p.status in Proposal.DECISIONS else "",
                    "rationale": p.rationale,
                },
            )
        rows.append((r, form))
    return rows


@login_required
@require_POST
def assessor_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = AssessorForm(request.POST)
    user = None
    if form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if user is None:
        messages.error(request, "No one with that email address has an account.")
    else:
        services.assessor_add(by=request.user, plan=plan, user=user)
        messages.success(request, f"{user} can now score this plan's proposals.")
    return redirect("priorities:ranking", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_score(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, pk)
    plan = proposal.plan
    if not is_assessor(request.user, plan):
        raise PermissionDenied("Only the plan's assessors score proposals.")
    criteria = list(plan.criteria.active())
    mine = {
        s.criterion_id: s for s in Score.objects.filter(proposal=proposal, assessor=request.user)
    }
    initial = {}
    for c in criteria:
        if c.pk in mine:
            initial[f"score-{c.pk}"] = mine[c.pk].value
            initial[f"note-{c.pk}"] = mine[c.pk].note

    def save(**data):
        services.scores_record(
            by=request.user,
            proposal=proposal,
            scores={c.pk: (data[f"score-{c.pk}"], data[f"note-{c.pk}"]) for c in criteria},
        )

    return form_page(
        request,
        score_form(criteria, request.POST or None, initial),
        group=plan.group,
        title=f"Score: {proposal.title}",
        breadcrumbs=_crumbs(plan),
        save=save,
        success_url=reverse("priorities:ranking", args=[plan.pk]),
        message="Your scores are saved. Other assessors score independently.",
    )


@login_required
@per_session
def cross_hub(request: HttpRequest) -> HttpResponse:
    """All plans for a year across the hubs the user oversees, and the included priorities by
    Programme of Care, so shared themes can be agreed as one programme (seed 000 section 3.6)."""
    if not can_see_glance(request.user):
        raise PermissionDenied("The cross-hub view is for regional teams and national admins.")
    years = sorted(set(PrioritiesPlan.objects.values_list("year", flat=True)), reverse=True)
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
    plans = {
        p.group.hub_id: p
        for p in PrioritiesPlan.objects.filter(year=year, group__hub__in=hubs)
        .select_related("group__hub")
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            included_count=Count(
                "proposals", filter=Q(proposals__status="included"), distinct=True
            ),
            qipp=Sum("proposals__qipp_savings", filter=Q(proposals__status="included")),
        )
    }
    themes: dict[str, list[Proposal]] = {}
    for proposal in (
        Proposal.objects.filter(plan__in=plans.values(), status=Proposal.Status.INCLUDED)
        .select_related("programme_of_care", "plan__group__hub", "ccg")
        .order_by("title")
    ):
        name = proposal.programme_of_care.name if proposal.programme_of_care else "Not given"
        themes.setdefault(name, []).append(proposal)
    return render_to_string(
        "priorities/_cross_hub_body.html",
        {
            "year": year,
            "rows": [{"hub": h, "plan": plans.get(h.pk)} for h in hubs],
            "themes": sorted(themes.items()),
        },
    )


@login_required
@require_POST
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the plan as a PDF (made by Celery); it records which version it shows."""
    plan = get_plan_for_user(request.user, pk)
    export = export_services.export_request(
        by=request.user,
        kind="priorities_plan",
        params={"plan": plan.pk, "version": plan.version},
        title=f"{plan} (version {plan.version})",
    )
    return redirect(export)


@login_required
@require_POST
def plan_roll_forward(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        new = services.plan_roll_forward(by=request.user, plan=plan)
    except RuleError as error:
        messages.error(request, str(error))
        return redirect(plan)
    messages.success(request, f"The {new.year_label} plan is started from {plan.year_label}.")
    return redirect(new)


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


@login_required
@require_http_methods(["GET", "POST"])
def priority_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """An included priority's delivery: lead and target, milestones, RAG updates."""
    proposal = get_proposal_for_user(request.user, pk)
    plan = proposal.plan
    manage = can_manage_group(request.user, plan.group)
    delivery = Delivery.objects.filter(proposal=proposal).select_related("subgroup").first()
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
    if which and not manage:
        raise PermissionDenied("Only the hub's staff record delivery.")
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
        try:
            services.milestone_set_status(
                by=request.user,
                milestone=milestone,
                version=int(request.POST.get("version", "0")),
                status=request.POST.get("status", ""),
            )
        except (ValueError, RuleError, ConflictError) as error:
            messages.error(request, getattr(error, "message", None) or str(error))
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
    today = timezone.localdate()
    milestones = list(proposal.milestones.all())
    for m in milestones:
        m.overdue = m.is_overdue(today)
    return render(
        request,
        "priorities/priority_delivery.html",
        {
            "proposal": proposal,
            "plan": plan,
            "delivery": delivery,
            "forms": forms_,
            "milestones": milestones,
            "statuses": Milestone.Status.choices,
            "updates": list(proposal.updates.select_related("author")),
            "can_manage": manage,
            "breadcrumbs": _crumbs(plan),
        },
    )


@login_required
@per_session
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Delivery of the plan at a glance, with charts drawn as SVG on the server."""
    plan = get_plan_for_user(request.user, pk)
    body = shared_html(
        "plan-dashboard", plan.pk, render=lambda: _dashboard_body(plan, timezone.localdate())
    )
    return render(
        request,
        "priorities/dashboard.html",
        {"plan": plan, "body": body, "breadcrumbs": _crumbs(plan)},
    )


def _dashboard_body(plan: PrioritiesPlan, today) -> str:
    """The dashboard's figures and charts, the same for everyone who may see the plan."""
    rows = services.dashboard(plan, today)
    biggest = max([max(r.target, r.realised) for r in rows] or [Decimal(1)]) or Decimal(1)
    for i, r in enumerate(rows):
        r_y = 8 + i * 34
        r.chart = {
            "y": r_y,
            "text_y": r_y + 11,
            "target_w": float(240 * r.target / biggest),
            "realised_w": float(240 * r.realised / biggest),
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
@require_http_methods(["GET", "POST"])
def criteria_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's assessment criteria. Hub staff add criteria and set the weights until scoring
    starts; a refusal is shown beside its field and nothing is saved."""
    plan = get_plan_for_assessment(request.user, pk, write=request.method == "POST")
    which = request.POST.get("form") if request.method == "POST" else None
    criteria = list(plan.criteria.active())
    weights = weights_form(criteria, request.POST if which == "weights" else None)
    add = CriterionForm(request.POST if which == "add" else None, prefix="add")
    if which == "weights" and weights.is_valid():
        data = weights.cleaned_data
        changed = {
            c.pk: (data[f"version-{c.pk}"], data[f"weight-{c.pk}"])
            for c in criteria
            if data[f"weight-{c.pk}"] != c.weight or data[f"version-{c.pk}"] != c.version
        }
        try:
            services.criteria_set_weights(by=request.user, plan=plan, weights=changed)
        except ConflictError as error:
            weights.add_error(None, error.message)
            fresh = weights.data.copy()
            fresh[f"version-{error.current.pk}"] = str(error.current.version)
            weights.data = fresh
        except RuleError as error:
            apply_error(weights, error)
        else:
            messages.success(request, "Weights saved.")
            return redirect("priorities:criteria", pk=plan.pk)
    if which == "add" and add.is_valid():
        try:
            services.criterion_add(by=request.user, plan=plan, **add.cleaned_data)
        except RuleError as error:
            apply_error(add, error)
        else:
            messages.success(request, f"“{add.cleaned_data['name']}” added.")
            return redirect("priorities:criteria", pk=plan.pk)
    return render(
        request,
        "priorities/criteria.html",
        {
            "plan": plan,
            "criteria": criteria,
            "archived": list(plan.criteria.filter(archived=True)),
            "weights_form": weights,
            "weight_fields": [weights[f"weight-{c.pk}"] for c in criteria],
            "add_form": add,
            "scoring_started": Score.objects.filter(proposal__plan=plan).exists(),
            "can_manage": can_manage_group(request.user, plan.group),
            "breadcrumbs": _crumbs(plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_rename(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_user(request.user, pk, write=True)
    plan = criterion.plan
    form = CriterionRenameForm(
        request.POST or None, initial={"name": criterion.name, "version": criterion.version}
    )
    return form_page(
        request,
        form,
        title=f"Rename “{criterion.name}”",
        group=plan.group,
        breadcrumbs=_crumbs(plan),
        save=lambda **data: services.criterion_update(by=request.user, criterion=criterion, **data),
        success_url=reverse("priorities:criteria", args=[plan.pk]),
        message="Criterion renamed.",
    )


@login_required
@require_POST
def criterion_archive(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_user(request.user, pk, write=True)
    try:
        version = int(request.POST.get("version", "0"))
        services.criterion_archive(by=request.user, criterion=criterion, version=version)
    except (ValueError, RuleError, ConflictError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, f"“{criterion.name}” archived; it stays on record.")
    return redirect("priorities:criteria", pk=criterion.plan_id)
