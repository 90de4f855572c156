"""Co-commissioning applications in the browser (issue 15, "What to build" 2 and 4): the list,
a CCG lead's new application and its edits, the application's page with only the actions the
user may take now, documents, and the region's conflicts of interest checklist.

Who may do what is `permissions.py`'s (and `actions.py`'s, for what a page offers); the rules
are the services'. Not visible: 404; visible but not yours: 403."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from accounts.permissions import scopes
from commissioning import audit
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from governance.uploads import validate_upload

from . import forms, permissions, selectors, services
from .actions import available_actions, is_late, may_read_checklist
from .confirming import decision_confirm, submit_confirm
from .models import EXCLUDED_FUNCTIONS, Application, Message, Model

HISTORY_SHOWN = 50
HISTORY = {
    "application.created": "Started",
    "application.updated": "Changed",
    "document.attached": "Document attached",
    "application.confirmed": "CCG confirmed",
    "application.submitted": "Submitted",
    "application.withdrawn": "Withdrawn",
    "application.late_agreed": "Late application agreed by the region",
    "application.review_started": "Regional review started",
    "application.question": "Question asked",
    "application.answer": "Answered",
    "application.note": "Note added",
    "application.changes_requested": "Changes requested",
    "conflicts.reviewed": "Conflicts of interest review saved",
    "application.approved": "Approved by the region",
    "application.recommended": "Recommended to the Commissioning Committee",
    "application.on_agenda": "Put on a Commissioning Committee meeting's agenda",
    "application.signed_off": "Signed off by the Commissioning Committee",
    "application.deferred": "Deferred by the Commissioning Committee",
    "application.not_approved": "Not approved",
    "application.live": "Live",
}


def crumbs(application: Application | None = None) -> list[dict]:
    trail = [{"label": "Applications", "url": reverse("cocommissioning:application-list")}]
    if application is not None:
        trail.append({"label": str(application), "url": application.get_absolute_url()})
    return trail


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    status, model = request.GET.get("status", ""), request.GET.get("model", "")
    rows = selectors.applications_for(request.user, status=status, model=model)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cocommissioning/application_list.html",
        {
            "page": page,
            "status": status,
            "model": model,
            "statuses": Application.Status.choices,
            "models": [(Model.JOINT, Model.JOINT.label), (Model.DELEGATED, Model.DELEGATED.label)],
            "query": urlencode({k: v for k, v in (("status", status), ("model", model)) if v}),
            "may_start": bool(scopes(request.user).ccg_ids),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    """A CCG lead starts an application for a CCG they lead (seed 002, "Model 2", "Model 3")."""
    lead_ids = scopes(request.user).ccg_ids
    permissions.require(bool(lead_ids), "Only a CCG's leads apply for co-commissioning.")
    windows = list(selectors.windows())
    form = forms.ApplicationCreateForm(request.POST or None, windows=windows, lead_ids=lead_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        permissions.require(permissions.leads_ccg(request.user, data["lead_ccg"]), "Not your CCG.")
        try:
            application = services.application_create(
                by=request.user,
                lead_ccg=data["lead_ccg"],
                model=data["model"],
                go_live_on=data["go_live_on"],
                functions=data["functions"],
                partners=list(data["partners"]),
                pooled_budget=data["pooled_budget"],
                summary=data["summary"],
            )
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Application started. Attach its documents, then submit.")
            return redirect(application)
    return render(
        request,
        "cocommissioning/application_form.html",
        {
            "form": form,
            "title": "Start an application",
            "excluded": EXCLUDED_FUNCTIONS,
            "breadcrumbs": crumbs(),
            "submit_label": "Start the application",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    permissions.require(
        permissions.can_draft(request.user, application), "Only the lead CCG's leads edit it."
    )
    initial = {
        "version": application.version,
        "go_live_on": application.go_live_on.isoformat(),
        "functions": application.functions,
        "pooled_budget": application.pooled_budget,
        "summary": application.summary,
    }
    form = forms.ApplicationEditForm(
        request.POST or None, initial=initial, windows=selectors.windows()
    )
    if application.model != Model.DELEGATED:
        del form.fields["functions"]
    if application.model != Model.JOINT:
        del form.fields["pooled_budget"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_update(
                by=request.user,
                application=application,
                version=data["version"],
                go_live_on=data["go_live_on"],
                functions=data.get("functions", []),
                summary=data["summary"],
                pooled_budget=data.get("pooled_budget", False),
            )
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "Application saved.")
            return redirect(application)
    return render(
        request,
        "cocommissioning/application_form.html",
        {
            "form": form,
            "application": application,
            "title": "Edit the application",
            "excluded": EXCLUDED_FUNCTIONS if application.model == Model.DELEGATED else None,
            "breadcrumbs": crumbs(application),
            "submit_label": "Save",
        },
    )


@dataclass(frozen=True)
class Action:
    """One button on the application's page: its form, its service and what it says."""

    label: str
    form: type
    run: object  # (user, application, cleaned data) -> result
    done: str
    warning: bool = False


def _versioned(service, **fixed):
    def run(user, application, data):
        extra = {k: v for k, v in data.items() if k != "version"}
        return service(by=user, application=application, version=data["version"], **extra, **fixed)

    return run


def _message(kind):
    def run(user, application, data):
        return services.message_add(by=user, application=application, kind=kind, text=data["text"])

    return run


def _confirm(user, application, data):
    return services.party_confirm(by=user, application=application, ccg=data["ccg"])


ACTIONS = {
    "submit": Action("Submit to the region", forms.VersionedForm,
                     _versioned(services.application_submit), "Application submitted."),
    "withdraw": Action("Withdraw the application", forms.ReasonForm,
                       _versioned(services.application_withdraw), "Application withdrawn.", True),
    "answer": Action("Send the answer", forms.MessageForm, _message(Message.Kind.ANSWER),
                     "Answer sent."),
    "confirm": Action("Confirm our CCG takes part", forms.ConfirmForm, _confirm,
                      "Your CCG's part is confirmed."),
    "late_agree": Action("Record agreement to a late application", forms.ReasonForm,
                         _versioned(services.late_agree), "Agreement recorded."),
    "review_start": Action("Start the review", forms.VersionedForm,
                           _versioned(services.review_start), "Review started."),
    "question": Action("Ask the question", forms.MessageForm, _message(Message.Kind.QUESTION),
                       "Question sent."),
    "changes": Action("Request changes", forms.TextForm, _versioned(services.changes_request),
                      "Changes requested."),
    "approve": Action("Approve", forms.NoteForm, _versioned(services.application_approve),
                      "Application approved."),
    "recommend": Action("Recommend to the Commissioning Committee", forms.NoteForm,
                        _versioned(services.application_recommend), "Application recommended."),
    "agenda": Action("Put on the agenda", forms.AgendaForm, _versioned(services.agenda_place),
                     "Application put on the meeting's agenda."),
    "decide": Action("Record the decision", forms.DecisionForm,
                     _versioned(services.application_decide), "The decision is recorded."),
    "refuse": Action("Do not approve", forms.ReasonForm,
                     _versioned(services.application_refuse), "Application not approved.", True),
}  # fmt: skip


# The actions asked on a check-your-answers page first (issue 18, finding 1); the
# application's page links to it instead of posting the action at once.
CONFIRMED = {"submit": submit_confirm, "approve": decision_confirm, "recommend": decision_confirm}


def _action_form(name: str, application: Application, user, data=None):
    action = ACTIONS[name]
    kwargs = {"prefix": name, "initial": {"version": application.version}}
    if action.form is forms.ConfirmForm:
        ccgs = permissions.confirmable_ccgs(user, application)
        kwargs["ccgs"] = ccgs
        kwargs["initial"] = {"ccg": ccgs[0].pk if ccgs else None}
    if action.form is forms.AgendaForm:
        kwargs["meetings"] = services.agenda_meetings().select_related("committee")
    return action.form(data, **kwargs)


def _detail(request, application: Application, bound: dict | None = None) -> HttpResponse:
    user = request.user
    actions = available_actions(user, application)
    page = selectors.application_page(application)
    page["conversation"] = page.pop("messages")  # "messages" is the page's flash messages
    window = services.window_for(application.model, application.go_live_on)
    action_forms = {
        name: (bound or {}).get(name) or _action_form(name, application, user)
        for name in ACTIONS
        if name in actions and name not in CONFIRMED
    }
    for name, form in action_forms.items():
        form.action = ACTIONS[name]
    return render(
        request,
        "cocommissioning/application_detail.html",
        {
            "application": application,
            **page,
            "window": window,
            "late": is_late(application),
            "actions": actions,
            "forms": action_forms,
            "shows_checklist": may_read_checklist(user, application, page["conflicts_review"]),
            "missing": services.missing_documents(application) if application.is_editable else [],
            "events": [
                (event, HISTORY.get(event.verb.removeprefix("cocommissioning."), event.verb))
                for event in audit.events_for(application)[:HISTORY_SHOWN]
            ],
            "breadcrumbs": crumbs(),
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, permissions.get_application_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def application_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the page's actions. Not offered to this user now: 403 (the service refuses a
    change of state the page did not yet show); bad input or a refusal: the page again, the
    message beside the field. A GET (the address of a refused form, reloaded) is the page."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    application = permissions.get_application_for_user(request.user, pk)
    if request.method == "GET" and action not in CONFIRMED:
        return redirect(application)
    permissions.require(
        action in available_actions(request.user, application), "This is not yours to do now."
    )
    if request.method == "GET":  # the check-your-answers page (issue 18, finding 1)
        return CONFIRMED[action](
            request, application, _action_form(action, application, request.user)
        )
    form = _action_form(action, application, request.user, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].run(request.user, application, form.cleaned_data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, ACTIONS[action].done)
            return redirect(application)
    application = permissions.get_application_for_user(request.user, pk)
    if action in CONFIRMED:
        return CONFIRMED[action](request, application, form)
    return _detail(request, application, bound={action: form})


@login_required
@require_http_methods(["GET", "POST"])
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    permissions.require(
        "attach" in available_actions(request.user, application),
        "Only the lead CCG's leads attach documents, while it is a draft.",
    )
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content_type, stored_name = validate_upload(upload)
            services.document_attach(
                by=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=upload,
                content_type=content_type,
                stored_name=stored_name,
            )
        except ValidationError as error:
            form.add_error("file", error)
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Document attached.")
            return redirect(application)
    return render(
        request,
        "cocommissioning/application_document.html",
        {"form": form, "application": application, "breadcrumbs": crumbs(application)},
    )


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    application = permissions.get_application_for_user(request.user, pk)
    document = selectors.document_of(application, document_pk)
    if document is None or not document.file:
        raise Http404("No such document.")
    extension = "pdf" if document.content_type == "application/pdf" else "docx"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.pk}.{extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def conflicts_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The region's conflicts of interest checklist for a delegated application under review."""
    application = permissions.get_application_for_user(request.user, pk)
    review = permissions.get_conflicts_review_for_reviewer(request.user, application)
    names = list(forms.ConflictsReviewForm.base_fields)
    initial = {name: getattr(review, name) for name in names if name != "version"}
    form = forms.ConflictsReviewForm(
        request.POST or None, initial={**initial, "version": review.version}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.conflicts_review_save(by=request.user, review=review, version=version, **data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            done = "Checklist complete." if data["outcome"] else "Checklist saved."
            messages.success(request, done)
            return redirect(application)
    return render(
        request,
        "cocommissioning/application_conflicts.html",
        {"form": form, "application": application, "breadcrumbs": crumbs(application)},
    )
