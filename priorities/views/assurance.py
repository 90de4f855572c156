"""The region's assurance of a plan (issue 13 part 6: assurance follows the peer review), and
the plan's history, where every assurance, override reason and reopening stays on record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commissioning import audit
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.history import with_field_changes

from .. import services
from ..assurance import assurance_basis
from ..forms import AssureForm
from ..permissions import get_plan_for_step, get_plan_for_user
from .common import crumbs


@login_required
@require_http_methods(["GET", "POST"])
def plan_assure(request: HttpRequest, pk: int) -> HttpResponse:
    """The regional team assures a submitted plan once the first peer review report on its
    submitted version is issued, or says why it assures the plan without one."""
    plan = get_plan_for_step(request.user, pk, "assure")
    form = AssureForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_assure(by=request.user, plan=plan, **form.cleaned_data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "The plan is now assured.")
            return redirect(plan)
    return render(
        request,
        "priorities/plan_assure.html",
        {
            "plan": plan,
            "form": form,
            "basis": assurance_basis(plan) if plan.awaits_assurance else None,
            "group": plan.group,
            "breadcrumbs": crumbs(plan),
        },
    )


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what to the plan, when: its workflow, assurance (with any override's reason) and
    reopenings, newest first."""
    plan = get_plan_for_user(request.user, pk)
    page = Paginator(audit.events_for(plan), 50).get_page(request.GET.get("page"))
    page.object_list = with_field_changes(page.object_list)  # old → new per field
    return render(
        request,
        "workspace/group_history.html",
        {"record": str(plan), "page": page, "query": "", "breadcrumbs": crumbs(plan)},
    )
