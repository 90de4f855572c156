"""Assessment pages: the ranking (and decisions from it), assessors, scores, criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.pagecache import (
    CSRF_PLACEHOLDER,
    hub_from,
    hub_of,
    per_session,
    shared_html,
    with_csrf,
)
from commissioning.views import form_page
from oversight.permissions import can_manage_group

from .. import selectors, services
from ..forms import (
    SCORE_SCALE,
    AssessorForm,
    CriterionForm,
    CriterionRenameForm,
    RowDecisionForm,
    score_form,
    weights_form,
)
from ..models import PrioritiesPlan, Proposal
from ..permissions import (
    get_criterion_for_user,
    get_plan_for_assessment,
    get_plan_for_user,
    get_proposal_to_score,
    is_assessor,
)
from .common import act, crumbs


@login_required
@per_session(hubs=hub_from("priorities.prioritiesplan"))
def ranking_page(request: HttpRequest, pk: int, decision=None) -> HttpResponse:
    """Proposals ranked by weighted score, with the spread between assessors; hub staff
    record the group's decision from each row (`decision`: a refused row form to show). The
    ranked table is the same for everyone with the same view of the plan: it is shared
    (pagecache.shared_html), except when it shows a refused form."""
    plan = get_plan_for_assessment(request.user, pk)
    manage = can_manage_group(request.user, plan.group)
    assessor = is_assessor(request.user, plan)
    my_scores = selectors.scored_proposal_ids(plan, request.user) if assessor else set()
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
            hubs=hub_of("priorities.prioritiesplan", plan.pk),
        )
    return render(
        request,
        "priorities/ranking.html",
        {
            "plan": plan,
            "table": html,
            "criteria": list(plan.criteria.active()),
            "assessors": selectors.plan_assessors(plan),
            "can_manage": manage,
            "assessor_form": AssessorForm(),
            "breadcrumbs": crumbs(plan),
        },
    )


def _ranking_rows(plan: PrioritiesPlan, *, deciding: bool, decision=None) -> list[tuple]:
    """(ranked proposal, its decision form for hub staff or None), best first."""
    rows = []
    for r in selectors.ranking(plan):
        p, form = r.proposal, None
        if deciding and p.is_decidable:
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
    user = selectors.active_user_by_email(form.cleaned_data["email"]) if form.is_valid() else None
    if user is None:
        messages.error(request, "No one with that email address has an account.")
    else:
        services.assessor_add(by=request.user, plan=plan, user=user)
        messages.success(request, f"{user} can now score this plan's proposals.")
    return redirect("priorities:ranking", pk=plan.pk)


@login_required
@require_POST
def assessor_self_add(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I will assess": the hub's staff add themselves as the plan's assessor in one click
    (issue 18; they are also added with their first score)."""
    plan = get_plan_for_user(request.user, pk, write=True)
    services.assessor_add(by=request.user, plan=plan, user=request.user)
    messages.success(request, "You are an assessor of this plan: score each proposal below.")
    return redirect(f"{plan.get_absolute_url()}#score")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessor's scores for one proposal, with the proposal and the 0-5 scale beside
    them. The hub's staff score here too and become assessors with their first score."""
    proposal = get_proposal_to_score(request.user, pk)
    plan = proposal.plan
    criteria = list(plan.criteria.active())
    mine = selectors.my_scores(proposal, request.user)
    initial = {}
    for c in criteria:
        if c.pk in mine:
            initial[f"score-{c.pk}"] = mine[c.pk].value
            initial[f"note-{c.pk}"] = mine[c.pk].note
    form = score_form(criteria, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.scores_record(
                by=request.user,
                proposal=proposal,
                scores={c.pk: (data[f"score-{c.pk}"], data[f"note-{c.pk}"]) for c in criteria},
            )
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Your scores are saved. Other assessors score independently.")
            return redirect(f"{plan.get_absolute_url()}#score")
    return render(
        request,
        "priorities/proposal_score.html",
        {
            "form": form,
            "title": f"Score: {proposal.title}",
            "proposal": proposal,
            "plan": plan,
            "scale": SCORE_SCALE,
            "rows": [(c, form[f"score-{c.pk}"], form[f"note-{c.pk}"]) for c in criteria],
            "breadcrumbs": crumbs(plan),
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
        except (RuleError, ConflictError) as error:
            apply_error(weights, error)
            if isinstance(error, ConflictError):  # each criterion carries its own version
                fresh = weights.data.copy()
                fresh[f"version-{error.current.pk}"] = str(error.current.version)
                weights.data = fresh
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
            "scoring_started": selectors.scoring_started(plan),
            "can_manage": can_manage_group(request.user, plan.group),
            "breadcrumbs": crumbs(plan),
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
        breadcrumbs=crumbs(plan),
        save=lambda **data: services.criterion_update(by=request.user, criterion=criterion, **data),
        success_url=reverse("priorities:criteria", args=[plan.pk]),
        message="Criterion renamed.",
    )


@login_required
@require_POST
def criterion_archive(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_user(request.user, pk, write=True)
    act(
        request,
        lambda: services.criterion_archive(
            by=request.user, criterion=criterion, version=int(request.POST.get("version", "0"))
        ),
        success=f"“{criterion.name}” archived; it stays on record.",
    )
    return redirect("priorities:criteria", pk=criterion.plan_id)
