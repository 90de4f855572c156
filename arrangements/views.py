"""The formal arrangements pages (issue 16, "What to build" 3): a system's arrangements, each
arrangement's page (parties, contributions by year, status and its history, the signed
agreement's versions, governance) and the forms of those who run it; and the national view
with its totals and CSV/XLSX downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.views import form_page
from priorities.tables import csv_response, xlsx_bytes

from . import forms, selectors, services, tables
from .forms import HOST_NHSE
from .models import Arrangement
from .permissions import (
    can_change,
    can_record_in,
    can_see_national_view,
    get_agreement_for_user,
    get_arrangement_for_user,
    get_contribution_for_user,
    get_system_for_arrangements,
    require_national_view,
)

NATIONAL_PAGE_SIZE = 50


def _crumbs(system, arrangement: Arrangement | None = None) -> list[dict]:
    crumbs = [
        {"label": system.name, "url": system.get_absolute_url()},
        {"label": "Formal arrangements", "url": reverse("arrangements:system", args=[system.pk])},
    ]
    if arrangement is not None:
        crumbs.append({"label": arrangement.title, "url": arrangement.get_absolute_url()})
    return crumbs


@login_required
def system_list(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for_arrangements(request.user, pk)
    rows = selectors.system_arrangements(request.user, system)
    return render(
        request,
        "arrangements/arrangement_list.html",
        {
            "system": system,
            "rows": [(a, selectors.total_of(a)) for a in rows],
            "can_record": can_record_in(request.user, system),
            "national": can_see_national_view(request.user),
            "breadcrumbs": _crumbs(system)[:1],
        },
    )


def _form_data(data: dict) -> dict:
    """The form's fields as the service names them."""
    data = dict(data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def arrangement_create(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for_arrangements(request.user, pk, write=True)
    form = forms.ArrangementForm(
        request.POST or None,
        system=system,
        initial={
            "host": HOST_NHSE,
            "kind": Arrangement.Kind.POOLED_BUDGET,
            "legal_basis": Arrangement.LegalBasis.S13V,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            arrangement = services.arrangement_create(
                by=request.user, system=system, **form.cleaned_data
            )
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Arrangement recorded as proposed.")
            return redirect(arrangement)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Record a formal arrangement",
            "caption": system.name,
            "breadcrumbs": _crumbs(system),
        },
    )


@login_required
def arrangement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = selectors.arrangement_full(get_arrangement_for_user(request.user, pk))
    return render(
        request,
        "arrangements/arrangement_detail.html",
        {
            "arrangement": arrangement,
            "system": arrangement.system,
            "parties": list(arrangement.parties.all()),
            "programmes": list(arrangement.programmes.all()),
            "table": selectors.contribution_table(arrangement),
            "moves": selectors.status_history(arrangement),
            "agreements": selectors.agreements_of(arrangement),
            "can_change": can_change(request.user, arrangement),
            "breadcrumbs": _crumbs(arrangement.system),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def arrangement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = get_arrangement_for_user(request.user, pk, write=True)
    initial = {f: getattr(arrangement, f) for f in services.FIELDS}
    initial.update(
        host=str(arrangement.host_id) if arrangement.host_id else HOST_NHSE,
        parties=list(arrangement.parties.all()),
        programmes=list(arrangement.programmes.all()),
        version=arrangement.version,
    )
    return form_page(
        request,
        forms.ArrangementEditForm(request.POST or None, system=arrangement.system, initial=initial),
        title=f"Change {arrangement.title}",
        caption=arrangement.system.name,
        breadcrumbs=_crumbs(arrangement.system, arrangement),
        save=lambda **data: services.arrangement_update(
            by=request.user, arrangement=arrangement, **data
        ),
        success_url=arrangement.get_absolute_url(),
        message="Arrangement saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def arrangement_status(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = get_arrangement_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.StatusForm(
            request.POST or None,
            arrangement=arrangement,
            initial={"version": arrangement.version, "end_date": arrangement.end_date},
        ),
        title=f"Change the status of {arrangement.title}",
        caption=f"{arrangement.system.name}: now {arrangement.get_status_display().lower()}",
        breadcrumbs=_crumbs(arrangement.system, arrangement),
        save=lambda **data: services.arrangement_move(
            by=request.user, arrangement=arrangement, **data
        ),
        success_url=arrangement.get_absolute_url(),
        message="Status changed.",
        submit_label="Change the status",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = get_arrangement_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.ContributionForm(
            request.POST or None,
            arrangement=arrangement,
            initial={"year": arrangement.first_year, "party": HOST_NHSE},
        ),
        title="Add a contribution",
        caption=arrangement.title,
        breadcrumbs=_crumbs(arrangement.system, arrangement),
        save=lambda **data: services.contribution_add(
            by=request.user, arrangement=arrangement, **data
        ),
        success_url=arrangement.get_absolute_url(),
        message="Contribution added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_contribution_for_user(request.user, pk, write=True)
    arrangement = get_arrangement_for_user(request.user, contribution.arrangement_id)
    return form_page(
        request,
        forms.ContributionEditForm(
            request.POST or None,
            initial={"amount": contribution.amount, "version": contribution.version},
        ),
        title=f"Change {contribution.party_name}'s contribution for {contribution.year_label}",
        caption=arrangement.title,
        breadcrumbs=_crumbs(arrangement.system, arrangement),
        save=lambda **data: services.contribution_update(
            by=request.user, contribution=contribution, **data
        ),
        success_url=arrangement.get_absolute_url(),
        message="Contribution saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = get_arrangement_for_user(request.user, pk, write=True)
    form = forms.AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_upload(by=request.user, arrangement=arrangement, **form.cleaned_data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "Signed agreement uploaded.")
            return redirect(arrangement)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Upload the signed agreement",
            "caption": arrangement.title,
            "submit_label": "Upload",
            "breadcrumbs": _crumbs(arrangement.system, arrangement),
        },
    )


@login_required
def agreement_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    arrangement = get_arrangement_for_user(request.user, pk)
    agreement = get_agreement_for_user(request.user, arrangement, number)
    extension = "pdf" if agreement.content_type == "application/pdf" else "docx"
    response = FileResponse(
        agreement.file.open("rb"),
        as_attachment=True,
        filename=f"arrangement-{arrangement.pk}-agreement-v{agreement.number}.{extension}",
        content_type=agreement.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _national(request: HttpRequest):
    require_national_view(request.user)
    form = forms.NationalFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, selectors.national_arrangements(request.user, **filters)


@login_required
def national_view(request: HttpRequest) -> HttpResponse:
    form, arrangements = _national(request)
    by_kind, by_region = selectors.totals(arrangements)  # of them all, in SQL
    # A page of the rows (issue 20): every arrangement in England grows with the years.
    page = Paginator(selectors.with_parts(arrangements), NATIONAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    filters = request.GET.copy()
    filters.pop("page", None)  # the downloads hold every arrangement the filters choose
    query = filters.urlencode()
    return render(
        request,
        "arrangements/national.html",
        {
            "form": form,
            "rows": [(a, selectors.total_of(a)) for a in rows],
            "page": page,
            "page_query": query,
            "by_kind": by_kind,
            "by_region": by_region,
            "query": f"?{query}" if query else "",
        },
    )


@login_required
def national_csv(request: HttpRequest) -> HttpResponse:
    _, arrangements = _national(request)
    table = tables.arrangement_table(selectors.with_parts(arrangements))
    return csv_response(table, f"formal-arrangements-{timezone.localdate()}.csv")


@login_required
def national_xlsx(request: HttpRequest) -> HttpResponse:
    _, arrangements = _national(request)
    by_kind, by_region = selectors.totals(arrangements)
    sheets = [
        ("Arrangements", tables.arrangement_table(selectors.with_parts(arrangements))),
        ("Totals by type", tables.totals_table("Type", by_kind)),
        ("Totals by region", tables.totals_table("Region", by_region)),
    ]
    response = HttpResponse(
        xlsx_bytes(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"formal-arrangements-{timezone.localdate()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
