"""Sign-in and people-and-roles management for national admins (My work is in workspace)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.audit import events_for
from commissioning.forms import apply_error

from . import selectors, services
from .forms import RoleGrantForm
from .models import ROLE_CHOICES_SHOWN
from .permissions import (
    get_assignment_for_manager,
    get_person_for_manager,
    require_role_manager,
)


def _people_crumbs() -> list[dict]:
    return [{"label": "People and roles", "url": reverse("accounts:people")}]


@login_required
def people(request: HttpRequest) -> HttpResponse:
    require_role_manager(request.user)
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = selectors.people_list(query=query, role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/people_list.html",
        {
            "page": page,
            "q": query,
            "role": role,
            "roles": ROLE_CHOICES_SHOWN,
            "query": params.urlencode(),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_manager(request.user, pk)
    assignments = selectors.assignments_of(person)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "assignments": assignments,
            "api_tokens": selectors.tokens_of(person),
            "events": events_for(person)[:20],
            "sign_ins": selectors.sign_ins_of(person),
            "breadcrumbs": _people_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest) -> HttpResponse:
    require_role_manager(request.user)
    form = RoleGrantForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_grant(by=request.user, **form.cleaned_data)
        except services.RoleError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{assignment.user} is now {assignment.label}.")
            return redirect("accounts:person-detail", pk=assignment.user_id)
    return render(
        request, "accounts/role_grant.html", {"form": form, "breadcrumbs": _people_crumbs()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_manager(request.user, pk, write=True)
    error = None
    if request.method == "POST":
        try:
            services.role_end(by=request.user, assignment=assignment)
        except services.RoleError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Ended: {assignment.label} for {assignment.user}.")
            return redirect("accounts:person-detail", pk=assignment.user_id)
    return render(
        request,
        "accounts/role_end_confirm.html",
        {"assignment": assignment, "error": error, "breadcrumbs": _people_crumbs()},
        status=409 if error else 200,
    )
