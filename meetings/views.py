"""Meeting pages: schedule, agenda, attendance and quorum, declarations, minutes, actions,
recommendations and the region's responses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.audit import events_for_many
from commissioning.concurrency import ConflictError
from commissioning.forms import apply_error
from commissioning.history import with_field_changes
from commissioning.pagecache import hub_from, per_session
from commissioning.views import form_page
from exports import services as export_services
from oversight.permissions import can_manage_body, can_manage_group, get_group_for_user

from . import selectors, services
from .conflicts import conflicts_by_item
from .forms import (
    ActionEditForm,
    ActionForm,
    DeclarationForm,
    ItemEditForm,
    ItemForm,
    MeetingEditForm,
    MeetingForm,
    PaperForm,
    RecommendationForm,
    ResponseForm,
)
from .models import Attendance, Meeting, Recommendation
from .permissions import (
    can_respond,
    get_action_for_user,
    get_item_for_user,
    get_meeting_for_user,
    get_paper_for_user,
    get_recommendation_for_user,
)
from .quorum import quorum_for, rule_for_meeting

ERRORS = (services.MeetingError, ConflictError)


def _crumbs(meeting: Meeting | None = None, group=None) -> list[dict]:
    group = group or meeting.body
    if group.noun == "committee":  # its page lists its meetings
        crumbs = [
            {"label": "Committees", "url": reverse("meetings:committee-list")},
            {"label": group.name, "url": group.get_absolute_url()},
        ]
    else:
        crumbs = [
            {"label": "Oversight groups", "url": reverse("oversight:group-list")},
            {"label": group.name, "url": group.get_absolute_url()},
            {"label": "Meetings", "url": reverse("meetings:meeting-list", args=[group.pk])},
        ]
    if meeting is not None:
        crumbs.append({"label": str(meeting), "url": meeting.get_absolute_url()})
    return crumbs


def _form_page(request, template, form, meeting, title, **extra):
    return render(
        request,
        template,
        {
            "form": form,
            "meeting": meeting,
            "title": title,
            "breadcrumbs": _crumbs(meeting),
            **extra,
        },
    )


@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    meetings = Paginator(selectors.meetings_of(group), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "group": group,
            "page": meetings,
            "query": "",
            "can_manage": can_manage_group(request.user, group),
            "breadcrumbs": _crumbs(group=group)[:2],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, initial={"title": f"{group.name} meeting"})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(by=request.user, group=group, **form.cleaned_data)
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, "Meeting scheduled. Add its agenda items next.")
            return redirect(meeting)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Schedule a meeting",
            "breadcrumbs": _crumbs(group=group),
        },
    )


@login_required
@per_session(hubs=hub_from("meetings.meeting"))
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    group = meeting.body
    items = selectors.meeting_items(meeting)
    attendance = selectors.meeting_attendance(meeting)
    quorum = quorum_for(attendance, rule_for_meeting(meeting))
    conflicts = conflicts_by_item(meeting, items)
    for item in items:
        item.conflicts = conflicts.get(item.pk, [])
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "group": group,
            "items": items,
            "attendance": sorted(attendance, key=lambda a: (a.status, a.member.full_name)),
            "quorum": quorum,
            "actions": selectors.meeting_actions(meeting),
            "recommendations": selectors.meeting_recommendations(meeting),
            "nominations": selectors.meeting_nominations(meeting),
            "can_manage": can_manage_body(request.user, group),
            "breadcrumbs": _crumbs(group=group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    initial = {f: getattr(meeting, f) for f in services.MEETING_FIELDS}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    form = MeetingEditForm(request.POST or None, initial={**initial, "version": meeting.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.meeting_update(by=request.user, meeting=meeting, version=version, **data)
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, "Meeting saved.")
            return redirect(meeting)
    return _form_page(request, "form_page.html", form, meeting, "Change the meeting")


@login_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    day = timezone.localtime(meeting.starts_at).date()
    members = [m for m in meeting.body.members.all() if m.is_current_on(day)]
    recorded = {a.member_id: a.status for a in meeting.attendance.all()}
    missing = []
    rest_absent = False
    if request.method == "POST":
        # Issue 18 (product addition): "mark everyone you have not chosen for as absent" spares
        # the secretary a radio per absent member; anyone still unchosen is listed in the error
        # summary, each linked to their own radios.
        rest_absent = request.POST.get("rest") == Attendance.Status.ABSENT
        statuses = {}
        for member in members:
            value = request.POST.get(f"member-{member.pk}", "")
            if value in Attendance.Status.values:
                statuses[member.pk] = value
            elif rest_absent:
                statuses[member.pk] = Attendance.Status.ABSENT
        missing = [m for m in members if m.pk not in statuses]
        if not missing:
            services.attendance_record(by=request.user, meeting=meeting, statuses=statuses)
            messages.success(request, "Attendance recorded.")
            return redirect(meeting)
        recorded.update(
            {
                int(k.split("-")[1]): v
                for k, v in request.POST.items()
                if k.startswith("member-") and v in Attendance.Status.values
            }
        )
    missing_ids = {m.pk for m in missing}
    rows = [
        {"member": m, "status": recorded.get(m.pk, ""), "missing": m.pk in missing_ids}
        for m in members
    ]
    return render(
        request,
        "meetings/attendance_form.html",
        {
            "meeting": meeting,
            "rows": rows,
            "missing": missing,
            "rest_absent": rest_absent,
            "first_choice": Attendance.Status.choices[0][0],
            "choices": Attendance.Status.choices,
            "breadcrumbs": _crumbs(meeting),
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    return form_page(
        request,
        ItemForm(request.POST or None),
        title="Add an agenda item",
        meeting=meeting,
        breadcrumbs=_crumbs(meeting),
        save=lambda **data: services.item_add(by=request.user, meeting=meeting, **data),
        success_url=meeting.get_absolute_url(),
        message="Agenda item added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    initial = {f: getattr(item, f) for f in services.ITEM_FIELDS}
    form = ItemEditForm(request.POST or None, initial={**initial, "version": item.version})
    return form_page(
        request,
        form,
        title=f"Item {item.number}",
        meeting=item.meeting,
        breadcrumbs=_crumbs(item.meeting),
        save=lambda **data: services.item_update(by=request.user, item=item, **data),
        success_url=item.meeting.get_absolute_url(),
        message=f"Item {item.number} saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    form = DeclarationForm(request.POST or None, members=item.meeting.body.members.all())
    return form_page(
        request,
        form,
        title=f"Declare an interest in item {item.number}",
        meeting=item.meeting,
        breadcrumbs=_crumbs(item.meeting),
        save=lambda **data: services.declaration_add(by=request.user, item=item, **data),
        success_url=item.meeting.get_absolute_url(),
        message="Declaration recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    return form_page(
        request,
        ActionForm(request.POST or None),
        title="Add an action",
        meeting=meeting,
        breadcrumbs=_crumbs(meeting),
        save=lambda **data: services.action_add(by=request.user, meeting=meeting, **data),
        success_url=meeting.get_absolute_url(),
        message="Action added to the log.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request.user, pk, write=True)
    initial = {f: getattr(action, f) for f in services.ACTION_FIELDS}
    form = ActionEditForm(request.POST or None, initial={**initial, "version": action.version})
    return form_page(
        request,
        form,
        title="Change the action",
        meeting=action.meeting,
        breadcrumbs=_crumbs(action.meeting),
        save=lambda **data: services.action_update(by=request.user, action=action, **data),
        success_url=action.meeting.get_absolute_url(),
        message="Action saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_make(
                by=request.user, meeting=meeting, **form.cleaned_data
            )
        except ERRORS as error:
            apply_error(form, error)
        else:
            messages.success(request, "Recommendation sent to the regional team.")
            return redirect(recommendation)
    return _form_page(
        request, "form_page.html", form, meeting, "Make a recommendation to the region"
    )


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Recommendations the user can see, open ones first, oldest first."""
    status = request.GET.get("status", "awaiting")
    recommendations = selectors.recommendations_for(request.user, status=status)
    page = Paginator(recommendations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/recommendation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Recommendation.Status.choices,
            "query": f"status={status}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk)
    may_respond = can_respond(request.user, recommendation)
    form = None
    if may_respond:
        form = ResponseForm(
            request.POST or None,
            initial={
                "version": recommendation.version,
                "status": None if recommendation.is_open else recommendation.status,
                "rationale": recommendation.rationale,
            },
        )
    if request.method == "POST":
        if not may_respond:
            get_recommendation_for_user(request.user, pk, respond=True)  # raises 403
        if form.is_valid():
            try:
                services.recommendation_respond(
                    by=request.user, recommendation=recommendation, **form.cleaned_data
                )
            except ERRORS as error:
                apply_error(form, error)
            else:
                messages.success(request, "The region's response is recorded; the group sees it.")
                return redirect(recommendation)
    history = recommendation.history.select_related("history_user")[:20]
    return render(
        request,
        "meetings/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "form": form,
            "history": history,
            "breadcrumbs": _crumbs(recommendation.meeting),
        },
    )


@login_required
@require_POST
def meeting_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the meeting pack and minutes as a PDF (made by Celery)."""
    meeting = get_meeting_for_user(request.user, pk)
    export = export_services.export_request(
        by=request.user,
        kind="meeting_pack",
        params={"meeting": meeting.pk},
        title=f"Meeting pack and minutes: {meeting}",
    )
    return redirect(export)


@login_required
@require_http_methods(["GET", "POST"])
def paper_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    return form_page(
        request,
        PaperForm(request.POST or None, request.FILES or None),
        title=f"Attach a paper to item {item.number}",
        meeting=item.meeting,
        breadcrumbs=_crumbs(item.meeting),
        save=lambda **data: services.paper_attach(by=request.user, item=item, **data),
        success_url=item.meeting.get_absolute_url(),
        message=f"Paper attached to item {item.number}.",
    )


@login_required
def paper_download(request: HttpRequest, pk: int) -> FileResponse:
    paper = get_paper_for_user(request.user, pk)
    extension = "pdf" if paper.content_type == "application/pdf" else "docx"
    response = FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=f"item-{paper.item.number}-paper-{paper.pk}.{extension}",
        content_type=paper.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every recorded change to the meeting and everything recorded at it, newest first."""
    meeting = get_meeting_for_user(request.user, pk)
    events = events_for_many(selectors.meeting_record_ids(meeting))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = with_field_changes(page.object_list)  # old → new per field
    return render(
        request,
        "workspace/group_history.html",
        {
            "group": meeting.body,
            "record": meeting,
            "page": page,
            "query": "",
            "breadcrumbs": _crumbs(meeting),
        },
    )
