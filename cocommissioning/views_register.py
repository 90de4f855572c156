"""Pages: the arrangements table (and its CSV), a CCG's co-commissioning page, its register of
interests (and its CSV), and the application windows (issue 15, seed 002)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.permissions import scopes
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from hubs.selectors import ccg_by_code
from priorities.tables import csv_response

from . import selectors, services
from .forms_register import (
    SORTS,
    ArrangementFilterForm,
    GreaterInvolvementForm,
    InterestForm,
    WindowForm,
)
from .models import Function, Model
from .permissions import (
    applications_visible_to,
    can_keep_register,
    can_keep_windows,
    can_record_greater_involvement,
    get_interest_for_keeper,
    require,
)

# Quick links: the days the first arrangements went live (seed 002, "Implementation
# timetable" and "Arrangements for 2015/16").
QUICK_DAYS = [datetime.date(2015, 4, 1), datetime.date(2016, 4, 1)]


def _require_role(user) -> None:
    """Co-commissioning's pages are for people with a role (issue 15, "Roles and access")."""
    if not scopes(user).assignments:
        raise PermissionDenied("Co-commissioning is for people with a role.")


def _crumbs(*pairs: tuple[str, str]) -> list[dict]:
    return [{"label": "Co-commissioning", "url": reverse("cocommissioning:arrangements")}] + [
        {"label": label, "url": url} for label, url in pairs
    ]


def _sort_key(column: str):
    def key(row: dict):
        ccg, arrangement = row["ccg"], row["arrangement"]
        return {
            "ccg": (ccg.name,),
            "model": (arrangement.get_model_display() if arrangement else "", ccg.name),
            "since": (arrangement.valid_from if arrangement else datetime.date.min, ccg.name),
            "region": (ccg.hub.region.name, ccg.name),
            "hub": (ccg.hub.name, ccg.name),
            "area_team": (ccg.area_team.name if ccg.area_team else "", ccg.name),
        }[column]

    return key


def _headers(query, column: str, descending: bool) -> list[dict]:
    """Each column's heading as a link that sorts by it (again: the other way), with aria-sort
    on the column the table is sorted by."""
    headers = []
    for key, label in SORTS.items():
        current = key == column
        params = query.copy()
        params["sort"] = key
        params["order"] = "asc" if current and descending else "desc" if current else "asc"
        params.pop("format", None)
        aria = ("descending" if descending else "ascending") if current else ""
        headers.append(
            {"key": key, "label": label, "url": "?" + params.urlencode(), "aria_sort": aria}
        )
    return headers


def _arrangement_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["ccg"].name,
            r["ccg"].ods_code,
            r["arrangement"].get_model_display() if r["arrangement"] else "None",
            "; ".join(r["functions"]),
            r["arrangement"].valid_from.isoformat() if r["arrangement"] else "",
            r["ccg"].hub.region.name,
            r["ccg"].hub.name,
            r["ccg"].area_team.name if r["ccg"].area_team else "",
        ]
        for r in rows
    ]


@login_required
def arrangements(request: HttpRequest) -> HttpResponse:
    """Every CCG open on the day with its model that day; filters, order, counts and CSV."""
    _require_role(request.user)
    form = ArrangementFilterForm(request.GET or None)
    f = form.filters() if form.is_bound else ArrangementFilterForm().filters()
    all_rows = selectors.arrangements_on(f["day"], region=f["region"], hub=f["hub"])
    counts = dict.fromkeys([selectors.NO_MODEL, *Model.values], 0)
    labels = dict(Function.choices)
    for row in all_rows:
        counts[row["arrangement"].model if row["arrangement"] else selectors.NO_MODEL] += 1
        row["functions"] = [
            labels.get(fn, fn)
            for fn in (row["arrangement"].functions if row["arrangement"] else [])
        ]
    rows = selectors.of_model(all_rows, f["model"])
    column = request.GET.get("sort", "")
    column = column if column in SORTS else "ccg"
    descending = request.GET.get("order") == "desc"
    rows.sort(key=_sort_key(column), reverse=descending)
    if request.GET.get("format") == "csv":
        header = ["CCG", "ODS code", "Model", "Functions", "Since", "Region", "Hub", "Area team"]
        return csv_response(
            (header, _arrangement_rows(rows)),
            f"co-commissioning-arrangements-{f['day'].isoformat()}.csv",
        )
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    if not csv_query.get("on"):
        csv_query["on"] = f["day"].isoformat()

    def on(day) -> str:  # the same filters and sort on another day (None: today)
        query = request.GET.copy()
        query.pop("on", None)
        if day is not None:
            query["on"] = day.isoformat()
        return "?" + query.urlencode()

    count_labels = [("No co-commissioning", counts[selectors.NO_MODEL])] + [
        (label, counts[value]) for value, label in Model.choices
    ]
    return render(
        request,
        "cocommissioning/register_arrangements.html",
        {
            "form": form,
            "day": f["day"],
            "rows": rows,
            "counts": count_labels,
            "total": len(all_rows),
            "headers": _headers(request.GET, column, descending),
            "csv_url": "?" + csv_query.urlencode(),
            "today_url": on(None),
            "quick_days": [(d, on(d)) for d in QUICK_DAYS],
            "can_keep_windows": can_keep_windows(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ccg_page(request: HttpRequest, ods_code: str) -> HttpResponse:
    """A CCG's arrangement through time, the applications the reader may see, and (for its
    leads and region) the form recording greater involvement (seed 002, "Model 1")."""
    _require_role(request.user)
    ccg = ccg_by_code(ods_code)
    may_record = can_record_greater_involvement(request.user, ccg)
    form = GreaterInvolvementForm(request.POST or None)
    if request.method == "POST":
        require(may_record, "Only the CCG's leads or its region record greater involvement.")
        if form.is_valid():
            try:
                services.greater_involvement_record(
                    by=request.user, ccg=ccg, valid_from=form.cleaned_data["valid_from"]
                )
            except RuleError as error:
                apply_error(form, error)
            else:
                messages.success(request, "Greater involvement recorded.")
                return redirect("cocommissioning:ccg", ods_code=ccg.ods_code)
    return render(
        request,
        "cocommissioning/register_ccg.html",
        {
            "ccg": ccg,
            "history": selectors.arrangement_history(ccg),
            "applications": selectors.applications_of_ccg(
                applications_visible_to(request.user), ccg
            ),
            "form": form,
            "may_record": may_record,
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def interests(request: HttpRequest, ods_code: str) -> HttpResponse:
    """A CCG's public register of interests: anyone signed in reads it; its leads keep it."""
    ccg = ccg_by_code(ods_code)
    keeper = can_keep_register(request.user, ccg)
    entries = list(selectors.interests_for(ccg, include_archived=keeper))
    current = [e for e in entries if not e.archived]
    if request.GET.get("format") == "csv":
        header = ["Name", "Position", "Type", "Description", "How it is managed", "From", "To"]
        rows = [
            [
                e.person,
                e.position,
                e.get_kind_display(),
                e.description,
                e.managed_by,
                e.valid_from.isoformat(),
                e.valid_to.isoformat() if e.valid_to else "",
            ]
            for e in current
        ]
        return csv_response((header, rows), f"register-of-interests-{ccg.ods_code}.csv")
    return render(
        request,
        "cocommissioning/register_interests.html",
        {
            "ccg": ccg,
            "entries": current,
            "archived": [e for e in entries if e.archived],
            "keeper": keeper,
            "breadcrumbs": _crumbs((ccg.name, reverse("cocommissioning:ccg", args=[ccg.ods_code]))),
        },
    )


def _interest_crumbs(ccg) -> list[dict]:
    return _crumbs(
        (ccg.name, reverse("cocommissioning:ccg", args=[ccg.ods_code])),
        ("Register of interests", reverse("cocommissioning:interests", args=[ccg.ods_code])),
    )


@login_required
@require_http_methods(["GET", "POST"])
def interest_add(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_by_code(ods_code)
    require(can_keep_register(request.user, ccg), "Only the CCG's leads keep its register.")
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.interest_declare(by=request.user, ccg=ccg, **data)
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Interest added to the register.")
            return redirect("cocommissioning:interests", ods_code=ccg.ods_code)
    return render(
        request,
        "cocommissioning/register_interest_form.html",
        {
            "form": form,
            "ccg": ccg,
            "title": "Add an interest",
            "breadcrumbs": _interest_crumbs(ccg),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an entry (from the version the keeper opened: a stale save is refused with 409 and
    the current values) or archive it; entries are never deleted."""
    interest = get_interest_for_keeper(request.user, pk)
    ccg = interest.ccg
    initial = {
        name: getattr(interest, name)
        for name in ["person", "position", "kind", "description", "managed_by"]
    }
    initial |= {
        "valid_from": interest.valid_from,
        "valid_to": interest.valid_to,
        "version": interest.version,
    }
    form = InterestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        archive = "archive" in request.POST
        version = form.data.get("version", "")
        try:
            if archive:
                services.interest_update(
                    by=request.user,
                    interest=interest,
                    version=int(version) if str(version).isdigit() else 0,
                    archived=True,
                )
            elif form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version") or 0
                services.interest_update(
                    by=request.user, interest=interest, version=version, **data
                )
            else:
                raise _Invalid
        except ConflictError as error:
            apply_error(form, error)
            status = 409
        except RuleError as error:
            apply_error(form, error)
        except _Invalid:
            pass
        else:
            messages.success(request, "Entry archived." if archive else "Entry changed.")
            return redirect("cocommissioning:interests", ods_code=ccg.ods_code)
    return render(
        request,
        "cocommissioning/register_interest_form.html",
        {
            "form": form,
            "ccg": ccg,
            "interest": interest,
            "title": f"Change the entry for {interest.person}",
            "breadcrumbs": _interest_crumbs(ccg),
        },
        status=status,
    )


class _Invalid(Exception):
    """The form did not validate: its errors are beside its fields."""


@login_required
@require_http_methods(["GET", "POST"])
def windows(request: HttpRequest) -> HttpResponse:
    """The application windows (seed 002, "Implementation timetable" and "Arrangements for
    2015/16"); national admins add later years'."""
    _require_role(request.user)
    keeper = can_keep_windows(request.user)
    form = WindowForm(request.POST or None)
    if request.method == "POST":
        require(keeper, "Only national admins keep the application windows.")
        if form.is_valid():
            try:
                services.window_add(by=request.user, **form.cleaned_data)
            except RuleError as error:
                apply_error(form, error)
            else:
                messages.success(request, "Application window added.")
                return redirect("cocommissioning:windows")
    return render(
        request,
        "cocommissioning/register_windows.html",
        {
            "windows": list(selectors.windows()),
            "form": form,
            "keeper": keeper,
            "breadcrumbs": _crumbs(),
        },
    )
