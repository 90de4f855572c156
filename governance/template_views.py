"""Pages for the national templates of the terms of reference and collaboration agreement
(seed 000 §3.4.2): everyone signed in reads the published ones; national admins draft, change,
publish and set aside versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.history import with_row_changes

from . import selectors, services
from .forms import TemplateActionForm, TemplateEditForm, TemplateForm
from .models import TEMPLATE_KINDS, NationalTemplateVersion
from .permissions import (
    can_manage_national_templates,
    get_template_version_for_user,
    require_template_manager,
)

ERRORS = (RuleError, ConflictError)
KINDS = dict(TEMPLATE_KINDS)
LIST_TITLE = "National templates"


def _crumbs() -> list[dict]:
    return [{"label": LIST_TITLE, "url": reverse("governance:template-list")}]


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    can_manage = can_manage_national_templates(request.user)
    return render(
        request,
        "governance/template_list.html",
        {
            "sections": selectors.templates_for_page(with_drafts=can_manage),
            "can_manage": can_manage,
        },
    )


def _detail(request: HttpRequest, version: NationalTemplateVersion, action_form=None, status=200):
    can_manage = can_manage_national_templates(request.user)
    if action_form is None and can_manage and version.is_draft:
        action_form = TemplateActionForm(initial={"version": version.version})
    return render(
        request,
        "governance/template_version.html",
        {
            "v": version,
            "can_manage": can_manage,
            "form": action_form,
            "history": with_row_changes(
                version.history.select_related("history_user"), services.TEMPLATE_DRAFT_FIELDS
            ),
            "breadcrumbs": _crumbs(),
        },
        status=status,
    )


@login_required
def template_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_template_version_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest, kind: str) -> HttpResponse:
    require_template_manager(request.user)
    if kind not in KINDS:
        raise Http404("No such kind of template.")
    draft = selectors.open_template_draft(kind)
    if request.method == "GET" and draft is not None:
        messages.info(request, f"Version {draft.number} is already a draft: continue it here.")
        return redirect(draft)
    current = selectors.current_template(kind)
    form = TemplateForm(
        request.POST or None, initial={"body": current.body if current is not None else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.template_draft_create(
                by=request.user, kind=kind, **form.cleaned_data
            )
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Draft version {version.number} saved.")
            return redirect(version)
    return render(
        request,
        "governance/template_form.html",
        {
            "form": form,
            "title": f"New version: national {KINDS[kind].lower()} template",
            "current": current,
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_template_version_for_user(request.user, pk, write=True)
    initial = {f: getattr(version, f) for f in services.TEMPLATE_DRAFT_FIELDS}
    initial["version"] = version.version
    form = TemplateEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("version")
        try:
            services.template_draft_update(
                by=request.user, template_version=version, version=number, **data
            )
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect(version)
    return render(
        request,
        "governance/template_form.html",
        {
            "form": form,
            "title": f"Change draft version {version.number}: {version.template}",
            "breadcrumbs": _crumbs(),
        },
    )


def _act(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    version = get_template_version_for_user(request.user, pk, write=True)
    form = TemplateActionForm(request.POST)
    if form.is_valid():
        try:
            service(by=request.user, template_version=version, version=form.cleaned_data["version"])
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, done.format(number=version.number))
            return redirect(version)
    version.refresh_from_db()
    return _detail(request, version, form)


@login_required
@require_POST
def template_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        services.template_publish,
        "Version {number} is published: new governance documents start from it.",
    )


@login_required
@require_POST
def template_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.template_draft_archive, "Draft version {number} set aside.")
