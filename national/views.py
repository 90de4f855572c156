"""National structures (issue 17, "What to build" 1 and 2): the Programme of Care boards and
their leadership seats on a date, the Clinical Reference Groups with their documents and four
regional seats, nominations through oversight groups, and the national view of seats filled
and vacant by region (sortable, as CSV)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.views import form_page
from hubs.forms import as_at

from . import forms, selectors, services
from .permissions import (
    can_keep_national,
    can_nominate,
    get_crg_for_user,
    get_document_for_user,
    get_document_version_for_user,
    get_holding_for_user,
    get_nomination_for_user,
    get_programme_for_user,
    require_keeper,
    require_nominator,
    require_reader,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _crumbs(*extra) -> list[dict]:
    crumbs = [{"label": "National structures", "url": reverse("national:index")}]
    for obj in extra:
        crumbs.append({"label": str(obj), "url": _url(obj)})
    return crumbs


def _url(obj) -> str:
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return reverse("national:board", kwargs={"slug": obj.slug})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    day, form = as_at(request)
    return render(
        request,
        "national/board_list.html",
        {
            "day": day,
            "form": form,
            "boards": selectors.boards_index(day),
            "crgs": list(selectors.crg_list().order_by("name")),
            "can_keep": can_keep_national(request.user),
            "breadcrumbs": [],
        },
    )


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    day, form = as_at(request)
    return render(
        request,
        "national/board_detail.html",
        {
            "programme": programme,
            "day": day,
            "form": form,
            "can_keep": can_keep_national(request.user),
            **selectors.board_page(programme, day),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def holding_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    return form_page(
        request,
        forms.HoldingForm(request.POST or None, initial={"seat": request.GET.get("seat")}),
        title=f"Add a holder to the {programme.name} board",
        caption="Programme of Care board",
        breadcrumbs=_crumbs(programme),
        save=lambda **data: services.holding_add(by=request.user, programme=programme, **data),
        success_url=reverse("national:board", kwargs={"slug": programme.slug}),
        message="Board seat holder added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def holding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    holding = get_holding_for_user(request.user, pk, write=True)
    initial = {f: getattr(holding, f) for f in services.HOLDING_FIELDS}
    initial["version"] = holding.version
    return form_page(
        request,
        forms.HoldingEditForm(request.POST or None, initial=initial),
        title=f"Change {holding.name}, {holding.get_seat_display()}",
        caption=f"{holding.programme.name} board",
        breadcrumbs=_crumbs(holding.programme),
        save=lambda **data: services.holding_update(by=request.user, holding=holding, **data),
        success_url=reverse("national:board", kwargs={"slug": holding.programme.slug}),
        message="Board seat holder saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def crg_create(request: HttpRequest) -> HttpResponse:
    require_keeper(request.user)
    initial = {"programme": request.GET.get("programme"), "with_seats": True}
    return form_page(
        request,
        forms.CRGCreateForm(request.POST or None, initial=initial),
        title="Add a Clinical Reference Group",
        caption="National structures",
        breadcrumbs=_crumbs(),
        save=lambda **data: services.crg_create(by=request.user, **data),
        success_url=reverse("national:index"),
        message="Clinical Reference Group added.",
    )


@login_required
def crg_detail(request: HttpRequest, pk: int) -> HttpResponse:
    crg = get_crg_for_user(request.user, pk)
    day, form = as_at(request)
    return render(
        request,
        "national/crg_detail.html",
        {
            "crg": crg,
            "day": day,
            "form": form,
            "can_keep": can_keep_national(request.user),
            "can_nominate": can_nominate(request.user) and not crg.archived,
            **selectors.crg_page(request.user, crg, day),
            "breadcrumbs": _crumbs(crg.programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def crg_edit(request: HttpRequest, pk: int) -> HttpResponse:
    crg = get_crg_for_user(request.user, pk, write=True)
    initial = {f: getattr(crg, f) for f in services.CRG_FIELDS}
    initial.update(programme=crg.programme.slug, version=crg.version)
    return form_page(
        request,
        forms.CRGEditForm(request.POST or None, initial=initial),
        title=f"Change {crg.name}",
        caption="Clinical Reference Group",
        breadcrumbs=_crumbs(crg.programme, crg),
        save=lambda **data: services.crg_update(by=request.user, crg=crg, **data),
        success_url=crg.get_absolute_url(),
        message="Clinical Reference Group saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_create(request: HttpRequest, pk: int) -> HttpResponse:
    crg = get_crg_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.SeatForm(request.POST or None),
        title=f"Add a local commissioner seat to {crg.name}",
        caption="Clinical Reference Group",
        breadcrumbs=_crumbs(crg.programme, crg),
        save=lambda **data: services.seat_add(by=request.user, crg=crg, **data),
        success_url=crg.get_absolute_url(),
        message="Seat added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    crg = get_crg_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.DocumentForm(request.POST or None, request.FILES or None),
        title=f"Add a specification or policy to {crg.name}",
        caption="Clinical Reference Group",
        breadcrumbs=_crumbs(crg.programme, crg),
        save=lambda **data: services.document_add(by=request.user, crg=crg, **data),
        success_url=crg.get_absolute_url(),
        message="Document added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_version_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk, write=True)
    crg = document.crg
    return form_page(
        request,
        forms.DocumentVersionForm(request.POST or None, request.FILES or None),
        title=f"Upload a new version of {document.title}",
        caption=crg.name,
        breadcrumbs=_crumbs(crg),
        save=lambda **data: services.document_version_add(
            by=request.user, document=document, **data
        ),
        success_url=crg.get_absolute_url(),
        message="New version uploaded.",
    )


@login_required
def document_version_download(request: HttpRequest, pk: int) -> FileResponse:
    version = get_document_version_for_user(request.user, pk)
    extension = "pdf" if version.content_type == "application/pdf" else "docx"
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"crg-document-{version.document_id}-v{version.number}.{extension}",
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int, region: str) -> HttpResponse:
    crg = get_crg_for_user(request.user, pk)
    seat = selectors.seat_of(crg, region)
    if seat is None:
        raise Http404("No such seat.")
    require_nominator(request.user)
    form = forms.NominationForm(
        request.POST or None,
        meetings=selectors.held_meetings_for(request.user),
        commissioners=selectors.commissioners(),
    )
    return form_page(
        request,
        form,
        title=f"Nominate to the {seat.region.name} seat of {crg.name}",
        caption="Clinical Reference Group",
        intro=[
            "The oversight group nominates a CCG or ICB clinician at one of its held meetings."
            " The national team accepts or declines the nomination."
        ],
        breadcrumbs=_crumbs(crg.programme, crg),
        save=lambda **data: services.nomination_create(by=request.user, seat=seat, **data),
        success_url=crg.get_absolute_url(),
        message="Nomination sent to the national team.",
        submit_label="Send the nomination",
    )


@login_required
@require_POST
def nomination_accept(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, pk, write=True)
    form = forms.VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Open the CRG again and accept from there.")
    else:
        try:
            services.nomination_accept(
                by=request.user, nomination=nomination, version=form.cleaned_data["version"]
            )
        except ConflictError as error:
            messages.error(request, error.message)
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{nomination.nominee_name} holds the seat for the term.")
    return redirect(nomination.seat.crg.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def nomination_decline(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, pk, write=True)
    crg = nomination.seat.crg
    return form_page(
        request,
        forms.DeclineForm(request.POST or None, initial={"version": nomination.version}),
        title=f"Decline {nomination.nominee_name}'s nomination",
        caption=str(nomination.seat),
        breadcrumbs=_crumbs(crg),
        save=lambda **data: services.nomination_decline(
            by=request.user, nomination=nomination, **data
        ),
        success_url=crg.get_absolute_url(),
        message="Nomination declined; the group sees the reason.",
        submit_label="Decline the nomination",
    )


@login_required
def seats(request: HttpRequest) -> HttpResponse:
    """Every CRG's four seats, filled and vacant by region on a date (`?on=`), sortable
    (`?sort=crg|poc|vacancies`), for one region (`?region=<slug>`; a regional team's own by
    default, `?region=all` for every region), as CSV with `?format=csv`."""
    require_reader(request.user)
    day, form = as_at(request)
    sort = request.GET.get("sort", "crg")
    sort = sort if sort in selectors.SORTS else "crg"
    slug = request.GET.get("region", "")
    region = None
    if slug and slug != "all":
        region = selectors.region_by_slug(slug)
        if region is None:
            raise Http404("No such region.")
    elif not slug:
        region = selectors.default_region(request.user)
    shown, rows = selectors.seats_table(day, region=region, sort=sort)
    if request.GET.get("format") == "csv":
        return _csv(selectors.seats_csv(day, rows, shown), f"crg-seats-{day.isoformat()}.csv")
    return render(
        request,
        "national/seat_list.html",
        {
            "day": day,
            "form": form,
            "rows": rows,
            "shown": shown,
            "region": region,
            "regions": list(selectors.regions()),
            "sort": sort,
            "sorts": selectors.SORTS,
            "breadcrumbs": _crumbs(),
        },
    )


def _csv(table: tuple, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    header, rows = table
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in row]
        )
    return response
