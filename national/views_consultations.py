"""Consultations on CRG documents (issue 17, "What to build" 3; seed 000 §3.4): the national
team opens, changes, closes early, extends and archives them; the hubs' staff answer for their
oversight groups and CCG (ICB) leads as their member CCGs; the national team and the regions
see the responses by region and hub (and as CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.dates import nhs_date
from commissioning.views import form_page

from . import consultation_forms as forms
from . import consultation_selectors as selectors
from . import consultations as services
from .consultation_permissions import (
    get_consultation_for_user,
    get_slot_for_user,
    may_read_consultations,
)
from .models import Consultation
from .permissions import can_keep_national, get_crg_for_user
from .views import _csv


def _crumbs(*extra) -> list[dict]:
    crumbs = [
        {"label": "National structures", "url": reverse("national:index")},
        {"label": "Consultations", "url": reverse("national:consultation-list")},
    ]
    return crumbs + [{"label": str(o), "url": o.get_absolute_url()} for o in extra]


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Open, scheduled (national admins), closed and archived (national admins) consultations;
    `?crg=<id>` for one CRG's."""
    if not may_read_consultations(request.user):
        raise PermissionDenied("Consultations are for the NHS England teams, hubs and CCGs.")
    today = timezone.localdate()
    crg = None
    if request.GET.get("crg", "").isdigit():
        crg = selectors.crg_by_pk(request.GET["crg"])
        if crg is None:
            raise Http404("No such Clinical Reference Group.")
    sections = selectors.consultation_list(request.user, today, crg=crg)
    return render(
        request,
        "national/consultation_list.html",
        {
            "today": today,
            "crg": crg,
            "open": sections[Consultation.State.OPEN],
            "scheduled": sections[Consultation.State.SCHEDULED],
            "closed": sections[Consultation.State.CLOSED],
            "archived": sections[Consultation.State.ARCHIVED],
            "can_keep": can_keep_national(request.user),
            "breadcrumbs": _crumbs()[:1],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    crg = get_crg_for_user(request.user, pk, write=True)
    today = timezone.localdate()
    versions = selectors.document_versions_of(crg)
    form = forms.ConsultationOpenForm(
        request.POST or None, versions=versions, initial={"opens_on": today}
    )
    # form_page redirects to a fixed address; the new consultation's page is known only after
    # the save, so a successful save is followed there instead.
    created: list[Consultation] = []

    def save(**data):
        created.append(services.consultation_open(by=request.user, **data))

    response = form_page(
        request,
        form,
        title=f"Open a consultation for {crg.name}",
        caption="Clinical Reference Group",
        intro=[
            "The oversight groups respond on a version of one of the CRG's specifications or"
            " policies; their CCGs and ICBs may respond too. Upload the draft to the CRG first."
        ],
        breadcrumbs=[*_crumbs()[:1], {"label": crg.name, "url": crg.get_absolute_url()}],
        save=save,
        success_url=reverse("national:consultation-list"),
        message="Consultation opened.",
        submit_label="Open the consultation",
    )
    if created:
        return redirect(created[0].get_absolute_url())
    return response


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    consultation = get_consultation_for_user(request.user, pk, today)
    regions = selectors.summary_regions(request.user)
    show_summary = regions is None or bool(regions)
    return render(
        request,
        "national/consultation_detail.html",
        {
            "c": consultation,
            "today": today,
            "state": selectors.ListRow(consultation, consultation.state_on(today)),
            "is_open": consultation.is_open_on(today),
            "can_keep": can_keep_national(request.user) and not consultation.archived,
            "slots": selectors.page_slots(request.user, consultation, today),
            "summary": selectors.summary(consultation, today, regions) if show_summary else [],
            "show_summary": show_summary,
            "responses": selectors.responses_of(request.user, consultation),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def consultation_csv(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    consultation = get_consultation_for_user(request.user, pk, today)
    regions = selectors.summary_regions(request.user)
    if regions == []:
        raise PermissionDenied("The responses by hub are for the national team and the regions.")
    rows = selectors.summary(consultation, today, regions)
    return _csv(selectors.summary_csv(rows), f"consultation-{consultation.pk}-responses.csv")


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_for_user(request.user, pk, timezone.localdate(), write=True)
    initial = {f: getattr(consultation, f) for f in services.CONSULTATION_FIELDS}
    initial["version"] = consultation.version
    return form_page(
        request,
        forms.ConsultationEditForm(request.POST or None, initial=initial),
        title=f"Change {consultation.title}",
        caption=f"{consultation.crg.name} consultation",
        breadcrumbs=_crumbs(consultation),
        save=lambda **data: services.consultation_update(
            by=request.user, consultation=consultation, **data
        ),
        success_url=consultation.get_absolute_url(),
        message="Consultation saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_extend(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_for_user(request.user, pk, timezone.localdate(), write=True)
    closes = (
        f"It was closed early on {nhs_date(consultation.closed_early_on)}: a new closing date"
        " reopens it."
        if consultation.closed_early_on
        else f"It closes on {nhs_date(consultation.closes_on)}."
    )
    return form_page(
        request,
        forms.ConsultationExtendForm(
            request.POST or None, initial={"version": consultation.version}
        ),
        title=f"Extend {consultation.title}",
        caption=f"{consultation.crg.name} consultation",
        intro=[closes, "Groups that have not responded are reminded again before it closes."],
        breadcrumbs=_crumbs(consultation),
        save=lambda **data: services.consultation_extend(
            by=request.user, consultation=consultation, **data
        ),
        success_url=consultation.get_absolute_url(),
        message="Closing date changed.",
        submit_label="Extend the consultation",
    )


def _confirm(request, consultation, *, service, title, intro, message, label) -> HttpResponse:
    return form_page(
        request,
        forms.VersionForm(request.POST or None, initial={"version": consultation.version}),
        title=title,
        caption=f"{consultation.crg.name} consultation",
        intro=intro,
        breadcrumbs=_crumbs(consultation),
        save=lambda **data: service(by=request.user, consultation=consultation, **data),
        success_url=consultation.get_absolute_url(),
        message=message,
        submit_label=label,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_for_user(request.user, pk, timezone.localdate(), write=True)
    return _confirm(
        request,
        consultation,
        service=services.consultation_close,
        title=f"Close {consultation.title} early",
        intro=[
            f"It is due to close on {nhs_date(consultation.closes_on)}. Closing it now makes"
            " every response read-only; you can reopen it by extending it."
        ],
        message="Consultation closed.",
        label="Close the consultation now",
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation_for_user(request.user, pk, timezone.localdate(), write=True)
    return _confirm(
        request,
        consultation,
        service=services.consultation_archive,
        title=f"Archive {consultation.title}",
        intro=[
            "An archived consultation is kept, with its responses, for national admins only;"
            " nobody can respond to it or change it any more."
        ],
        message="Consultation archived.",
        label="Archive the consultation",
    )


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, pk: int, group: int | None = None, ods: str = "") -> HttpResponse:
    """Answer (or change the answer) for an oversight group, or as a member CCG or ICB."""
    today = timezone.localdate()
    consultation = get_consultation_for_user(request.user, pk, today)
    slot = get_slot_for_user(request.user, consultation, today, group_pk=group, ods=ods)
    if request.method == "GET" and not consultation.is_open_on(today):
        messages.error(request, "The consultation is not open: responses are read-only.")
        return redirect(consultation.get_absolute_url())
    existing = slot.response
    if existing is None:
        form = forms.ResponseForm(request.POST or None)

        def save(**data):
            return services.response_submit(
                by=request.user, consultation=consultation, group=slot.group, ccg=slot.ccg, **data
            )
    else:
        initial = {"position": existing.position, "body": existing.body}
        form = forms.ResponseEditForm(
            request.POST or None, initial={**initial, "version": existing.version}
        )

        def save(**data):
            return services.response_update(by=request.user, response=existing, **data)

    verb = "Respond" if existing is None else "Change the response"
    return form_page(
        request,
        form,
        title=f"{verb}: {consultation.title}",
        caption=slot.label,
        intro=[
            f"{consultation.crg.name} consultation on {consultation.document_version.document}"
            f" (version {consultation.document_version.number}), closing on"
            f" {nhs_date(consultation.closes_on)}. You can change the response until then."
        ],
        breadcrumbs=_crumbs(consultation),
        save=save,
        success_url=consultation.get_absolute_url(),
        message="Response sent to the CRG's national team."
        if existing is None
        else "Response saved.",
        submit_label="Send the response" if existing is None else "Save the response",
    )
