"""Proposal pages: propose, read, change, submit, decide, ask for more, comment."""

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
from oversight.permissions import can_manage_group

from .. import selectors, services
from ..forms import (
    CommentForm,
    DecisionForm,
    InfoRequestForm,
    ProposalEditForm,
    ProposalForm,
    RowDecisionForm,
)
from ..permissions import (
    can_edit_proposal,
    get_plan_to_propose_in,
    get_proposal_for_action,
    get_proposal_for_user,
)
from .assessment import ranking_page
from .common import act, crumbs


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan, ccg = get_plan_to_propose_in(request.user, pk)
    closed = services.closed_to_proposals(plan)
    if closed:  # issue 18, finding 1: a submitted plan takes no new proposal
        messages.error(request, closed)
        return redirect(plan)
    form = ProposalForm(request.POST or None, plan=plan)
    created = {}

    def save(**data):
        created["proposal"] = services.proposal_create(by=request.user, plan=plan, ccg=ccg, **data)

    response = form_page(
        request,
        form,
        title="Propose a priority",
        group=plan.group,
        breadcrumbs=crumbs(plan),
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
            "comments": selectors.proposal_comments(proposal),
            "affected": list(proposal.ccgs_affected.all()),
            "can_edit": can_edit_proposal(request.user, proposal),
            "can_decide": manage,
            "breadcrumbs": crumbs(proposal.plan),
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
        breadcrumbs=crumbs(proposal.plan),
        save=lambda **data: services.proposal_update(by=request.user, proposal=proposal, **data),
        success_url=proposal.get_absolute_url(),
        message="Proposal saved.",
    )


STEPS = {
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


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submit (proposer), request information or decide (hub staff), comment (either). A
    refused form is shown again with the message beside its field."""
    proposal = get_proposal_for_action(request.user, pk, step)
    if step == "submit":
        act(
            request,
            lambda: services.proposal_submit(
                by=request.user, proposal=proposal, version=int(request.POST.get("version", "0"))
            ),
            success="Proposal submitted to the hub.",
        )
        return redirect(proposal)
    name, form_class, service, message = STEPS[step]
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
