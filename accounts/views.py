"""Sign-in and people-and-roles management for national admins (My work is in workspace)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.audit import events_for

from . import services
from .forms import RoleGrantForm
from .models import Role, RoleAssignment, User
from .permissions import (
    can_manage_roles,
    get_assignment_for_manager,
    get_person_for_manager,
)


def _people_crumbs() -> list[dict]:
    return [{"label": "People and roles", "url": reverse("accounts:people")}]


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not can_manage_roles(request.user):
        raise PermissionDenied("Only national admins manage people and roles.")
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.active().with_scope(),
            to_attr="active_roles",
        )
    ).annotate(
        active_role_count=Count(
            "role_assignments", filter=Q(role_assignments__ended_at__isnull=True)
        )
    )
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if role in Role.values:
        users = users.filter(
            role_assignments__role=role, role_assignments__ended_at__isnull=True
        ).distinct()
    page = Paginator(users.order_by("full_name", "email"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/people_list.html",
        {
            "page": page,
            "q": query,
            "role": role,
            "roles": Role.choices,
            "query": params.urlencode(),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_manager(request.user, pk)
    assignments = (
        RoleAssignment.objects.with_scope()
        .select_related("granted_by", "ended_by")
        .filter(user=person)
        .order_by("ended_at", "-granted_at")
    )
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "assignments": assignments,
            "events": events_for(person)[:20],
            "breadcrumbs": _people_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest) -> HttpResponse:
    if not can_manage_roles(request.user):
        raise PermissionDenied("Only national admins manage people and roles.")
    form = RoleGrantForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_grant(by=request.user, **form.cleaned_data)
        except services.RoleError as error:
            form.add_error(error.field, str(error))
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
