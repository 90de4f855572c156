"""The RACI matrix page (read for the group's readers, a whole-grid form for hub staff), its
CSV, and adding or archiving rows and columns."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.forms import NHSForm, apply_error
from oversight.permissions import can_manage_group, get_group_for_user

from . import selectors, services
from .models import RaciCell

LETTERS = {v for v, _ in RaciCell.Value.choices}


class ActivityForm(NHSForm):
    stage = forms.CharField(
        label="Stage",
        max_length=120,
        help_text="For example, Plan, Specify, Change or Deliver.",
        error_messages={"required": "Enter the stage"},
    )
    name = forms.CharField(
        label="Activity", max_length=200, error_messages={"required": "Enter the activity"}
    )


class PartyForm(NHSForm):
    name = forms.CharField(
        label="Party", max_length=120, error_messages={"required": "Enter the party's name"}
    )


def _rows(activities, parties, cells, posted=None):
    rows = []
    for a in activities:
        values = [
            {
                "party": p,
                "value": (posted or cells).get((a.pk, p.pk), ""),
                "name": f"cell-{a.pk}-{p.pk}",
            }
            for p in parties
        ]
        accountable = sum(1 for v in values if v["value"] == "A")
        rows.append({"activity": a, "values": values, "accountable": accountable})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def raci_page(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=request.method == "POST")
    matrix, activities, parties, cells = selectors.raci_grid(group)
    error, posted, conflict = None, None, False
    if request.method == "POST" and matrix is not None:
        posted = {}
        for a in activities:
            for p in parties:
                value = request.POST.get(f"cell-{a.pk}-{p.pk}", "")
                posted[(a.pk, p.pk)] = value if value in LETTERS else ""
        try:
            version = int(request.POST.get("version", "0"))
            services.raci_save(by=request.user, matrix=matrix, version=version, values=posted)
        except (ValueError, services.RaciError, ConflictError) as problem:
            error = getattr(problem, "message", None) or str(problem)
            conflict = isinstance(problem, ConflictError)
            if conflict:
                matrix.refresh_from_db()
                posted = None  # show what is saved now
                _, activities, parties, cells = selectors.raci_grid(group)
        else:
            messages.success(request, "RACI matrix saved.")
            return redirect("accountability:raci", pk=group.pk)
    return render(
        request,
        "accountability/raci.html",
        {
            "group": group,
            "matrix": matrix,
            "parties": parties,
            "rows": _rows(activities, parties, cells, posted),
            "choices": RaciCell.Value.choices,
            "error": error,
            "can_manage": can_manage_group(request.user, group),
            "breadcrumbs": [
                {"label": "Oversight groups", "url": reverse("oversight:group-list")},
                {"label": group.name, "url": group.get_absolute_url()},
            ],
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def raci_seed(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    services.raci_seed_default(by=request.user, group=group)
    messages.success(request, "The default matrix is in place. Adapt it to your arrangements.")
    return redirect("accountability:raci", pk=group.pk)


def _add(request, pk, form_class, service, title):
    group = get_group_for_user(request.user, pk, write=True)
    matrix = services.raci_matrix_ensure(group=group)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(by=request.user, matrix=matrix, **form.cleaned_data)
        except services.RaciError as error:
            apply_error(form, error)
        else:
            return redirect("accountability:raci", pk=group.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "group": group,
            "title": title,
            "breadcrumbs": [
                {"label": "RACI matrix", "url": reverse("accountability:raci", args=[group.pk])}
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, pk, ActivityForm, services.raci_activity_add, "Add an activity")


@login_required
@require_http_methods(["GET", "POST"])
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, pk, PartyForm, services.raci_party_add, "Add a party")


@login_required
@require_POST
def archive(request: HttpRequest, pk: int, kind: str, row: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    target = selectors.live_row(group, kind, row)
    if target is None:
        raise Http404("No such row or column.")
    services.raci_archive(by=request.user, row=target)
    messages.success(request, f"“{target}” archived; it stays on record.")
    return redirect("accountability:raci", pk=group.pk)


@login_required
def raci_csv(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    _, activities, parties, cells = selectors.raci_grid(group)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="raci-{group.hub.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Stage", "Activity", *[p.name for p in parties]])
    for a in activities:
        writer.writerow([a.stage, a.name, *[cells.get((a.pk, p.pk), "") for p in parties]])
    return response
