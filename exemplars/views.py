"""Exemplar pathway projects of an integrated care system (issue 16, "What to build" 4; seed
003, "Cardiology pathway as an 'exemplar' project"): a system's list, each project's page, and
the forms that keep it. Readers see; the system's hub staff and regional team change."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.views import form_page

from . import forms, selectors, services
from .events import LABELS
from .permissions import (
    can_run,
    get_exemplar_for_user,
    get_milestone_for_user,
    get_participant_for_user,
    get_recommendation_for_user,
    get_report_version_for_user,
    get_service_for_user,
    get_system_for_user,
)

FORM_METHODS = ["GET", "POST"]


def _crumbs(system, exemplar=None) -> list[dict]:
    crumbs = [
        {"label": "Integrated care systems", "url": reverse("places:system-list")},
        {"label": system.name, "url": system.get_absolute_url()},
        {"label": "Exemplar projects", "url": reverse("exemplars:list", args=[system.pk])},
    ]
    if exemplar is not None:
        crumbs.append({"label": exemplar.title, "url": exemplar.get_absolute_url()})
    return crumbs


def _form(request, exemplar, form, *, title: str, save, message: str, **context) -> HttpResponse:
    """A form page about one project: back to the project's page when saved."""
    return form_page(
        request,
        form,
        title=title,
        caption=exemplar.title,
        breadcrumbs=_crumbs(exemplar.system, exemplar),
        save=save,
        success_url=exemplar.get_absolute_url(),
        message=message,
        **context,
    )


@login_required
def exemplar_list(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for_user(request.user, pk)
    return render(
        request,
        "exemplars/exemplar_list.html",
        {
            "system": system,
            "exemplars": list(selectors.exemplars_of(system)),
            "can_run": can_run(request.user, system),
            "breadcrumbs": _crumbs(system)[:2],
        },
    )


@login_required
@require_http_methods(FORM_METHODS)
def exemplar_create(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.ExemplarForm(request.POST or None, system=system),
        title="Start an exemplar project",
        caption=system.name,
        breadcrumbs=_crumbs(system),
        save=lambda **data: services.exemplar_create(by=request.user, system=system, **data),
        success_url=reverse("exemplars:list", args=[system.pk]),
        message="Exemplar project started. Add its services, participants and milestones.",
    )


@login_required
def exemplar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk)
    page = selectors.exemplar_page(exemplar)
    return render(
        request,
        "exemplars/exemplar_detail.html",
        {
            **page,
            "events": [(e, LABELS.get(e.verb, e.verb)) for e in page["events"]],
            "can_run": can_run(request.user, exemplar.system) and not exemplar.is_closed,
            "breadcrumbs": _crumbs(exemplar.system),
        },
    )


@login_required
@require_http_methods(FORM_METHODS)
def exemplar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    initial = {f: getattr(exemplar, f) for f in services.PROJECT_FIELDS}
    initial["version"] = exemplar.version
    return _form(
        request,
        exemplar,
        forms.ExemplarEditForm(request.POST or None, system=exemplar.system, initial=initial),
        title="Change the project's details",
        save=lambda **data: services.exemplar_update(by=request.user, exemplar=exemplar, **data),
        message="Project saved.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def exemplar_scoped(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.VersionForm(request.POST or None, initial={"version": exemplar.version}),
        title="Mark scoping complete",
        submit_label="Mark scoping complete",
        save=lambda **data: services.exemplar_mark_scoped(
            by=request.user, exemplar=exemplar, **data
        ),
        message="Scoping marked complete.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def exemplar_close(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.CloseForm(request.POST or None, initial={"version": exemplar.version}),
        title="Close the project",
        submit_label="Close the project",
        save=lambda **data: services.exemplar_close(by=request.user, exemplar=exemplar, **data),
        message="Project closed. It stays on record with its history.",
    )


# --- services, participants, milestones --------------------------------------------------------


@login_required
@require_http_methods(FORM_METHODS)
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.ServiceForm(request.POST or None),
        title="Add a service on the pathway",
        save=lambda **data: services.service_add(by=request.user, exemplar=exemplar, **data),
        message="Service added to the pathway.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_service_for_user(request.user, pk, write=True)
    initial = {
        "name": service.name,
        "specialised": "yes" if service.specialised else "no",
        "programme": service.programme.slug if service.programme else None,
        "note": service.note,
        "removed": service.removed,
        "version": service.version,
    }
    return _form(
        request,
        service.exemplar,
        forms.ServiceEditForm(request.POST or None, initial=initial),
        title=f"Change {service.name}",
        save=lambda **data: services.service_update(by=request.user, service=service, **data),
        message="Service saved.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.ParticipantForm(request.POST or None, system=exemplar.system),
        title="Add a participant",
        save=lambda **data: services.participant_add(by=request.user, exemplar=exemplar, **data),
        message="Participant added.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request.user, pk, write=True)
    initial = {
        f: getattr(participant, f)
        for f in ["name", "role", "organisation", "joined_on", "left_on", "version"]
    }
    initial["commissioner"] = (
        participant.commissioner.ods_code if participant.commissioner else None
    )
    return _form(
        request,
        participant.exemplar,
        forms.ParticipantEditForm(
            request.POST or None, system=participant.exemplar.system, initial=initial
        ),
        title=f"Change {participant.name}'s part",
        save=lambda **data: services.participant_update(
            by=request.user, participant=participant, **data
        ),
        message="Participant saved.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.MilestoneForm(request.POST or None),
        title="Add a milestone",
        save=lambda **data: services.milestone_add(by=request.user, exemplar=exemplar, **data),
        message="Milestone added.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, pk, write=True)
    initial = {f: getattr(milestone, f) for f in ["title", "due_on", "done_on", "note", "version"]}
    return _form(
        request,
        milestone.exemplar,
        forms.MilestoneEditForm(request.POST or None, initial=initial),
        title=f"Change the milestone: {milestone.title}",
        save=lambda **data: services.milestone_update(by=request.user, milestone=milestone, **data),
        message="Milestone saved.",
    )


# --- scoping report and recommendations --------------------------------------------------------


@login_required
@require_http_methods(FORM_METHODS)
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.ReportVersionForm(request.POST or None, request.FILES or None),
        title="Add a version of the scoping report",
        save=lambda **data: services.report_version_add(by=request.user, exemplar=exemplar, **data),
        message="Scoping report version added.",
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    version = get_report_version_for_user(request.user, pk)
    if not version.file:
        raise Http404("This version has no file: its text is on the project's page.")
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"scoping-report-{version.exemplar_id}-v{version.number}.{version.extension}",
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(FORM_METHODS)
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_exemplar_for_user(request.user, pk, write=True)
    return _form(
        request,
        exemplar,
        forms.RecommendationForm(request.POST or None),
        title="Record a recommendation",
        save=lambda **data: services.recommendation_make(
            by=request.user, exemplar=exemplar, **data
        ),
        message="Recommendation recorded.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk, write=True)
    return _form(
        request,
        recommendation.exemplar,
        forms.DecisionForm(request.POST or None, initial={"version": recommendation.version}),
        title=f"Record the {recommendation.get_to_display()}'s decision",
        save=lambda **data: services.decision_record(
            by=request.user, recommendation=recommendation, **data
        ),
        message="Decision recorded.",
    )
