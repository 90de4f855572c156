"""Pages for a group's terms of reference and collaboration agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.concurrency import ConflictError
from commissioning.forms import apply_error
from commissioning.history import with_row_changes
from oversight.permissions import can_manage_group, get_group_for_user

from . import selectors, services
from .forms import AgreeForm, DraftEditForm, DraftForm
from .models import GovernanceDocument
from .permissions import get_version_for_user

ERRORS = (services.DocumentError, ConflictError)
KINDS = dict(GovernanceDocument.Kind.choices)


def _crumbs(group) -> list[dict]:
    return [
        {"label": "Oversight groups", "url": reverse("oversight:group-list")},
        {"label": group.name, "url": group.get_absolute_url()},
        {"label": "Governance documents", "url": reverse("governance:documents", args=[group.pk])},
    ]


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    docs = selectors.documents_of(group)
    sections = []
    for kind, label in GovernanceDocument.Kind.choices:
        versions = list(docs[kind].versions.all()) if kind in docs else []
        agreed = next((v for v in versions if v.is_agreed), None)
        sections.append({"kind": kind, "label": label, "versions": versions, "agreed": agreed})
    return render(
        request,
        "governance/documents.html",
        {
            "group": group,
            "sections": sections,
            "can_manage": can_manage_group(request.user, group),
            "breadcrumbs": _crumbs(group)[:2],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    if kind not in KINDS:
        raise Http404("No such kind of document.")
    terms = kind == GovernanceDocument.Kind.TERMS_OF_REFERENCE
    # The group's latest version, or else the current national template (seed 000 §3.4.2).
    start = selectors.draft_starting_point(group, kind)
    initial = {
        "body": start.body,
        "quorum_chair_or_vice_required": "yes" if start.quorum_chair_or_vice_required else "no",
        "quorum_min_ccg_members": start.quorum_min_ccg_members,
        "from_template": start.from_template.pk if start.from_template else None,
    }
    form = DraftForm(request.POST or None, request.FILES or None, terms=terms, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template_id = data.pop("from_template")
        try:
            template = selectors.template_version(template_id)
            if template_id is not None and template is None:
                raise services.DocumentError(
                    "That national template version does not exist.", field="from_template"
                )
            version = services.version_draft_create(
                by=request.user, group=group, kind=kind, from_template=template, **data
            )
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Draft version {version.number} saved.")
            return redirect(version)
    return render(
        request,
        "governance/draft_form.html",
        {
            "form": form,
            "group": group,
            "title": f"New draft: {KINDS[kind].lower()}",
            "start": start,
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk)
    group = version.document.group
    can_manage = can_manage_group(request.user, group)
    agree_form = AgreeForm(initial={"version": version.version}) if can_manage else None
    return render(
        request,
        "governance/version_detail.html",
        {
            "v": version,
            "group": group,
            "can_manage": can_manage,
            "agree_form": agree_form,
            "history": with_row_changes(
                version.history.select_related("history_user"), services.DRAFT_FIELDS
            ),
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk, write=True)
    group = version.document.group
    terms = version.document.kind == GovernanceDocument.Kind.TERMS_OF_REFERENCE
    initial = {f: getattr(version, f) for f in services.DRAFT_FIELDS}
    initial.update(
        version=version.version,
        quorum_chair_or_vice_required="yes" if version.quorum_chair_or_vice_required else "no",
    )
    form = DraftEditForm(request.POST or None, request.FILES or None, terms=terms, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("version")
        data.pop("from_template")  # fixed when the draft was started
        try:
            services.version_update(by=request.user, version_obj=version, version=number, **data)
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect(version)
    return render(
        request,
        "governance/draft_form.html",
        {
            "form": form,
            "group": group,
            "title": f"Change draft version {version.number}",
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
@require_POST
def version_agree(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk, write=True)
    form = AgreeForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("version")
        try:
            services.version_agree(by=request.user, version_obj=version, version=number, **data)
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Version {version.number} is now the agreed version.")
            return redirect(version)
    group = version.document.group
    return render(
        request,
        "governance/version_detail.html",
        {
            "v": version,
            "group": group,
            "can_manage": True,
            "agree_form": form,
            "history": with_row_changes(
                version.history.select_related("history_user"), services.DRAFT_FIELDS
            ),
            "breadcrumbs": _crumbs(group),
        },
        status=200,
    )


@login_required
def version_download(request: HttpRequest, pk: int) -> FileResponse:
    version = get_version_for_user(request.user, pk)
    if not version.file:
        raise Http404("This version has no uploaded file.")
    extension = "pdf" if version.content_type == "application/pdf" else "docx"
    name = f"{version.document.kind.replace('_', '-')}-v{version.number}.{extension}"
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
