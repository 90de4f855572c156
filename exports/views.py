"""Asking for a PDF, watching it being made, and downloading it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import HubFootprintExportForm
from .permissions import get_export_for_user


def _crumbs() -> list[dict]:
    return [{"label": "My exports", "url": reverse("exports:export-list")}]


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    exports = selectors.own_exports(request.user)
    page = Paginator(exports, 25).get_page(request.GET.get("page"))
    return render(request, "exports/export_list.html", {"page": page, "query": ""})


@login_required
@require_POST
def hub_footprint_export(request: HttpRequest) -> HttpResponse:
    form = HubFootprintExportForm(request.POST)
    if not form.is_valid():
        hub = form.cleaned_data.get("hub")
        if hub is None:
            # Not a hub we know ("a b", "../x", 300 characters...): there is no hub page to go
            # back to, so the form is shown again with the error beside the field (issue 14).
            return render(
                request,
                "form_page.html",
                {
                    "form": form,
                    "title": "Download a hub's footprint as a PDF",
                    "caption": "My exports",
                    "submit_label": "Download the footprint as a PDF",
                    "breadcrumbs": _crumbs(),
                },
                status=400,
            )
        messages.error(
            request,
            "That export could not be made: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return redirect(hub.get_absolute_url())
    export = services.export_request(by=request.user, **form.export_args())
    return redirect(export)


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_export_for_user(request.user, pk)
    template = (
        "exports/_export_status.html"
        if request.headers.get("HX-Request")
        else "exports/export_detail.html"
    )
    return render(request, template, {"export": export, "breadcrumbs": _crumbs()})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_export_for_user(request.user, pk)
    if not export.is_ready or not export.file:
        raise Http404("This export is not ready.")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/pdf",
    )
