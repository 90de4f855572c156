"""Timeline pages: the planning calendar, each hub's timeline, the national and regional grid,
the notification inbox and its settings, the private calendar feed, and the reminders and
delivery logs."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import scopes
from commissioning import outbox
from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from commissioning.forms import apply_error
from commissioning.models import OutboxItem
from commissioning.pagecache import hub_from_slug, per_session
from commissioning.views import form_page

from . import calendar_feed, notifications, reminders, selectors, services
from .forms import EngagementMeetingForm, MilestoneEditForm, MilestoneForm, PreferenceForm, YearForm
from .models import NotificationPreference, ReminderClaim, Satisfier
from .permissions import (
    can_edit_calendar,
    get_claim_for_admin,
    get_hub_for_timeline,
    get_milestone,
    get_milestone_for_editor,
    get_notification_for_user,
    get_outbox_item_for_admin,
    require_calendar_editor,
    require_calendar_reader,
    require_reminders_admin,
    timeline_hubs,
)
from .status import grid


def _this_year(today: datetime.date) -> int:
    """The financial year (by its starting year) that `today` falls in."""
    return today.year if today.month >= 4 else today.year - 1


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return _this_year(timezone.localdate())


def _calendar_year(year: int) -> int:
    """A year named in a calendar address: one a calendar may have (the model's range), else
    404 rather than a server error or a calendar for 1900."""
    if not 2013 <= year <= 2100:
        raise Http404("There is no planning calendar for that year.")
    return year


def _years() -> list[int]:
    return selectors.calendar_years()


@login_required
@per_session
def timeline_grid(request: HttpRequest) -> HttpResponse:
    """Hubs by milestones for a year: done, due soon, overdue or upcoming."""
    hubs = timeline_hubs(request.user)
    year = _year(request)
    today = timezone.localdate()
    milestones, cells = grid(hubs, year, today)
    return render(
        request,
        "timeline/grid.html",
        {
            "year": year,
            "years": _years(),
            "milestones": milestones,
            "rows": [(hub, cells[hub.pk]) for hub in hubs],
            "today": today,
            "can_edit": can_edit_calendar(request.user),
        },
    )


@login_required
@per_session(hubs=hub_from_slug)
def hub_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for_timeline(request.user, slug)
    return _hub_page(request, hub, _year(request))


def _hub_page(
    request: HttpRequest, hub, year: int, engagement_form: EngagementMeetingForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    _, cells = grid([hub], year, today)
    completions = {c.milestone_id: c for c in selectors.hub_completions(hub, year)}
    staff = hub.pk in scopes(request.user).hub_ids
    return render(
        request,
        "timeline/hub_timeline.html",
        {
            "hub": hub,
            "year": year,
            "years": _years(),
            "cells": cells[hub.pk],
            "completions": completions,
            "can_complete": staff,
            "engagements": list(selectors.engagement_meetings(hub, year)),
            "engagement_form": engagement_form or (EngagementMeetingForm() if staff else None),
            "can_complete_regional": hub.region_id in scopes(request.user).region_ids,
            "manual": Satisfier.MANUAL,
            "today": today,
        },
        status=400 if engagement_form is not None else 200,
    )


@login_required
@require_POST
def milestone_complete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = get_hub_for_timeline(request.user, slug, complete=True)
    milestone = get_milestone(pk)
    try:
        services.milestone_complete(
            by=request.user, milestone=milestone, hub=hub, note=request.POST.get("note", "")
        )
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{milestone.title}” is marked done for {hub.name}.")
    url = reverse("timeline:hub", args=[hub.slug]) + f"?year={milestone.year}"
    return redirect(url + f"#milestone-{milestone.pk}")


@login_required
@require_POST
def engagement_meeting_record(request: HttpRequest, slug: str) -> HttpResponse:
    """Hub staff record a meeting with the hub's CCGs (it may precede the group's start)."""
    hub = get_hub_for_timeline(request.user, slug, complete=True)
    form = EngagementMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_meeting_record(by=request.user, hub=hub, **form.cleaned_data)
        except RuleError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Meeting with {hub.name}'s CCGs recorded.")
            # A March workshop belongs to the cycle that starts that April.
            year = _this_year(form.cleaned_data["held_on"] + datetime.timedelta(days=31))
            return redirect(reverse("timeline:hub", args=[hub.slug]) + f"?year={year}#engagement")
    return _hub_page(request, hub, _this_year(timezone.localdate()), form)


@login_required
@require_POST
def milestone_complete_nationally(request: HttpRequest, pk: int) -> HttpResponse:
    """National admins mark their own milestone done, for every hub (the guidance)."""
    milestone = get_milestone_for_editor(request.user, pk)
    try:
        services.milestone_complete_nationally(by=request.user, milestone=milestone)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{milestone.title}” is marked done for every hub.")
    return redirect(reverse("timeline:calendar", args=[milestone.year]) + f"#milestone-{pk}")


@login_required
def calendar(request: HttpRequest, year: int) -> HttpResponse:
    """The year's planning calendar: what is due when, and for whom."""
    require_calendar_reader(request.user)
    _calendar_year(year)
    calendar = selectors.calendar_for_year(year)
    return render(
        request,
        "timeline/calendar.html",
        {
            "year": year,
            "year_label": f"{year}/{(year + 1) % 100:02d}",
            "years": _years(),
            "milestones": calendar["milestones"],
            "archived": calendar["archived"],
            "national_done": calendar["national_done"],
            "national": Satisfier.NATIONAL_DONE,
            "can_edit": can_edit_calendar(request.user),
            "next_exists": calendar["next_exists"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, year: int) -> HttpResponse:
    require_calendar_editor(request.user)
    _calendar_year(year)
    return form_page(
        request,
        MilestoneForm(request.POST or None),
        title=f"Add a milestone to {year}/{(year + 1) % 100:02d}",
        caption="Planning calendar",
        save=lambda **data: services.milestone_add(by=request.user, year=year, **data),
        success_url=reverse("timeline:calendar", args=[year]),
        message="Milestone added; reminders follow it from now on.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone_for_editor(request.user, pk)
    success = reverse("timeline:calendar", args=[milestone.year])
    if request.method == "POST" and "archive" in request.POST:
        try:
            services.milestone_archive(
                by=request.user, milestone=milestone, version=int(request.POST.get("version", 0))
            )
        except (RuleError, ConflictError, ValueError) as error:
            messages.error(request, getattr(error, "message", None) or str(error))
            return redirect("timeline:milestone-edit", pk=milestone.pk)
        messages.success(request, "Milestone taken off the calendar; its history is kept.")
        return redirect(success)
    initial = {f: getattr(milestone, f) for f in services.MILESTONE_FIELDS}
    form = MilestoneEditForm(
        request.POST or None, initial={**initial, "version": milestone.version}
    )
    return form_page(
        request,
        form,
        title=f"Change: {milestone.title}",
        caption=f"Planning calendar {milestone.year_label}",
        save=lambda **data: services.milestone_update(by=request.user, milestone=milestone, **data),
        success_url=success,
        message="Milestone saved.",
        archive_version=milestone.version,
        archive_label="Take off the calendar",
    )


@login_required
@require_POST
def calendar_roll_forward(request: HttpRequest, year: int) -> HttpResponse:
    require_calendar_editor(request.user)
    _calendar_year(year + 1)
    try:
        made = services.calendar_roll_forward(by=request.user, year=year)
    except RuleError as error:
        messages.error(request, str(error))
        return redirect("timeline:calendar", year=year)
    messages.success(
        request, f"{len(made)} milestones rolled forward to {year + 1}/{(year + 2) % 100:02d}."
    )
    return redirect("timeline:calendar", year=year + 1)


@login_required
@require_POST
def calendar_seed(request: HttpRequest, year: int) -> HttpResponse:
    require_calendar_editor(request.user)
    _calendar_year(year)
    try:
        services.calendar_seed(by=request.user, year=year)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The seed's planning cycle is on the calendar.")
    return redirect("timeline:calendar", year=year)


# --- notifications --------------------------------------------------------------------------


@login_required
@per_session
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "timeline/inbox.html",
        {"page": page, "unread": notifications.unread_count(request.user)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: it is marked read and you go to the page it is about."""
    notification = get_notification_for_user(request.user, pk)
    notifications.notification_read(user=request.user, notification=notification)
    if url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("timeline:inbox")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notifications.notification_read(
        user=request.user, notification=get_notification_for_user(request.user, pk)
    )
    return redirect("timeline:inbox")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.notifications_read_all(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("timeline:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preference_for(request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "email": current.email if current else NotificationPreference.Email.IMMEDIATE,
            "mute_non_essential": current.mute_non_essential if current else False,
        },
    )
    if request.method == "POST" and "renew" in request.POST:
        services.feed_renew(by=request.user)
        messages.success(request, "Your calendar address is renewed; the old one no longer works.")
        return redirect("timeline:preferences")
    if request.method == "POST" and form.is_valid():
        services.preference_set(by=request.user, **form.cleaned_data)
        messages.success(request, "Notification settings saved.")
        return redirect("timeline:preferences")
    feed = services.feed_for(request.user)
    return render(
        request,
        "timeline/preferences.html",
        {
            "form": form,
            "feed_url": request.build_absolute_uri(reverse("timeline:feed", args=[feed.token])),
        },
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private iCalendar feed: no sign-in (calendar apps cannot), the token is the key."""
    body = calendar_feed.feed_for_token(token)
    if body is None:
        raise Http404("No such calendar.")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="collaborative-commissioning.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- reminders admin ------------------------------------------------------------------------


@login_required
def reminders_admin(request: HttpRequest) -> HttpResponse:
    require_reminders_admin(request.user)
    status = request.GET.get("status", "")
    page = Paginator(selectors.reminder_claims(status), 50).get_page(request.GET.get("page"))
    counts = selectors.reminder_claim_counts()
    return render(
        request,
        "timeline/reminders_admin.html",
        {
            "page": page,
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in ReminderClaim.Status.choices],
            "upcoming": reminders.upcoming(14)[:100],
            "outbox_counts": selectors.outbox_counts(),
        },
    )


@login_required
@require_POST
def reminder_resend(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_admin(request.user, pk)
    reminders.claim_resend(by=request.user, claim=claim)
    messages.success(request, f"Reminder to {claim.recipient} queued again.")
    return redirect("timeline:reminders-admin")


@login_required
def delivery_log(request: HttpRequest) -> HttpResponse:
    """Every other email and piece of background work the outbox owes (issue 14): what is
    waiting, done or failed, and what is stuck, with a retry."""
    require_reminders_admin(request.user, "The delivery log is for national admins.")
    state = request.GET.get("state", "")
    stuck = state == "stuck"
    items = selectors.outbox_items(state, stuck=stuck)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    counts = selectors.outbox_counts()
    states = [(s, label, counts.get(s, 0)) for s, label in OutboxItem.State.choices]
    return render(
        request,
        "timeline/delivery_log.html",
        {
            "page": page,
            "state": state,
            "states": states,
            "stuck": counts["stuck"],
            "max_attempts": outbox.MAX_ATTEMPTS,
            "query": urlencode({"state": state}) if state else "",
        },
    )


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_outbox_item_for_admin(request.user, pk)
    try:
        outbox.retry(by=request.user, item=item)
    except outbox.NotRetryable as refused:
        messages.error(request, f"{item.label}: {refused}")
    else:
        messages.success(request, f"{item.label}: queued again.")
    return redirect(reverse("timeline:delivery-log") + "?state=stuck")
