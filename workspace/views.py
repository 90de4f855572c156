"""Pages that assemble many apps: My work, a hub's page, an oversight group's page and history,
and oversight at a glance. They sit above every domain app, so no domain app imports upwards."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Role
from accounts.permissions import can_manage_roles, scopes
from commissioning.audit import events_for_many
from commissioning.history import with_field_changes
from commissioning.pagecache import hub_from, hub_from_slug, per_session
from governance.selectors import agreed_versions
from hubs import selectors as hub_selectors
from hubs.forms import as_at
from ideas.permissions import can_read as can_read_ideas
from ideas.selectors import followed_posts
from meetings import selectors as meeting_selectors
from meetings.models import Meeting
from national import consultation_selectors as consultations
from oversight import services
from oversight.forms import InviteForm
from oversight.models import OversightGroup
from oversight.permissions import (
    can_manage_group,
    can_manage_hub,
    can_set_up_board,
    get_group_for_user,
    groups_visible_to,
    require_glance,
)
from oversight.selectors import ccg_places, handover_notices
from reviews.permissions import active_places
from timeline.notifications import unread_count
from timeline.status import deadlines_for

from . import selectors
from .boards import board_detail
from .cocommissioning import co_tasks
from .glance import COLUMNS, PAGE_COLUMNS, glance_rows
from .jobs import NextJobs


def _hub_crumbs(*pairs: tuple[str, str]) -> list[dict]:
    return [{"label": label, "url": url} for label, url in pairs]


def _query_without(request: HttpRequest, name: str) -> str:
    """The page's query string less one list's page number, for that list's page links."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


def _group_crumbs(group: OversightGroup | None = None) -> list[dict]:
    crumbs = [{"label": "Oversight groups", "url": reverse("oversight:group-list")}]
    if group is not None:
        crumbs.append({"label": group.name, "url": group.get_absolute_url()})
    return crumbs


@login_required
@per_session
def my_work(request: HttpRequest) -> HttpResponse:
    """Home: one panel per role the user holds, each about its own organisation."""
    user_scopes = scopes(request.user)
    today = timezone.localdate()
    # Issue 20: only the hubs a regional or hub-staff panel shows, none for other roles.
    hub_counts = {h.pk: h for h in selectors.hubs_with_counts_for(user_scopes, today)}
    open_groups = {
        g.hub_id: g
        for g in groups_visible_to(request.user).exclude(status=OversightGroup.Status.CLOSED)
    }
    # The CCGs' invitations, representation and places in open groups: one query (issue 20).
    places = ccg_places(request.user, today)
    awaiting = places.awaiting
    representing = places.representing
    awaiting_response = (
        meeting_selectors.awaiting_response(request.user) if scopes(request.user).region_ids else []
    )
    co = co_tasks(request.user)  # co-commissioning (issue 15)
    # Open consultations on CRG drafts the person answers for a group or CCG (issue 17).
    answering = consultations.my_work(request.user, today, places.members)
    jobs = NextJobs(request.user, user_scopes, open_groups)  # issue 18: each role's next jobs first
    panels = []
    for assignment in sorted(user_scopes.assignments, key=lambda a: list(Role).index(a.role)):
        panel = {"assignment": assignment, "jobs": []}
        if assignment.role == Role.REGIONAL_TEAM:
            panel["hubs"] = [h for h in hub_counts.values() if h.region_id == assignment.region_id]
            panel["awaiting"] = [
                r
                for r in awaiting_response
                if r.meeting.group.hub.region_id == assignment.region_id
            ]
            panel["co"] = co.regions.get(assignment.region_id)
            panel["jobs"] = jobs.for_region(assignment.region_id)
        elif assignment.role == Role.HUB_STAFF:
            panel["hub"] = hub_counts.get(assignment.hub_id, assignment.hub)
            panel["group"] = open_groups.get(assignment.hub_id)
            panel["jobs"] = jobs.for_hub(assignment.hub_id)
            panel["consultations"] = [
                w
                for w in answering
                if w.slot.ccg is None and w.slot.group.hub_id == assignment.hub_id
            ]
        elif assignment.role == Role.CCG_LEAD:
            panel["invitations"] = [m for m in awaiting if m.ccg_id == assignment.ccg_id]
            # Representation is agreed by both sides (issue 13): requests waiting for this
            # CCG's answer, and the CCGs it has agreed to represent.
            mine = [m for m in representing if m.represented_by_id == assignment.ccg_id]
            panel["requests"] = [m for m in mine if m.is_representation_requested]
            panel["represents"] = [m for m in mine if m.is_represented]
            panel["group"] = open_groups.get(assignment.ccg.hub_id)
            panel["co"] = co.ccgs.get(assignment.ccg_id)
            panel["jobs"] = jobs.for_ccg(assignment.ccg)
            panel["consultations"] = [
                w
                for w in answering
                if w.slot.ccg is not None and w.slot.ccg.pk == assignment.ccg_id
            ]
        elif assignment.role == Role.COMMISSIONING_COMMITTEE:
            panel["co"] = co.sign_off
        elif assignment.role == Role.ICS_LEAD:  # issue 16: the system's boards
            panel["boards"] = [
                g for g in open_groups.values() if g.system_id == assignment.system_id
            ]
            for board in panel["boards"]:
                board.open_recommendations = selectors.open_recommendations_of(board)
        panels.append(panel)
    return render(
        request,
        "workspace/my_work.html",
        {
            "panels": panels,
            "today": today,
            "can_manage_roles": can_manage_roles(request.user),
            "review_places": active_places(request.user),
            # Issue 17: the ideas they follow, newest comments first.
            "followed_ideas": followed_posts(request.user) if can_read_ideas(request.user) else [],
            "deadlines": deadlines_for(request.user, today)[:12],
            "latest_notifications": account_selectors.latest_unread_notifications(request.user)
            if unread_count(request.user)
            else [],
        },
    )


@login_required
@per_session(hubs=hub_from_slug)
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    day, form = as_at(request)
    # A page of each list (issue 20): a hub of thousands of CCGs renders in constant time.
    footprint = hub_selectors.hub_footprint(
        slug, day, page=request.GET.get("page"), closed_page=request.GET.get("closed")
    )
    hub = footprint.hub
    open_group = (
        groups_visible_to(request.user)
        .filter(hub=hub)
        .exclude(status=OversightGroup.Status.CLOSED)
        .first()
    )
    return render(
        request,
        "workspace/hub_detail.html",
        {
            "hub": hub,
            "open_group": open_group,
            "can_set_up_group": open_group is None and can_manage_hub(request.user, hub),
            "current": footprint.current,
            "closed": footprint.closed,
            "current_query": _query_without(request, "page"),
            "closed_query": _query_without(request, "closed"),
            "day": day,
            "form": form,
            "breadcrumbs": _hub_crumbs(
                ("England", reverse("hubs:overview")),
                (hub.region.name, hub.region.get_absolute_url()),
            ),
        },
    )


@login_required
@per_session(hubs=hub_from("oversight.oversightgroup"))
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    if group.is_board:
        return board_detail(request, group)
    today = timezone.localdate()
    memberships = selectors.places_of(group)
    footprint = list(group.hub.ccgs.all())
    group.hub._prefetched_objects_cache = {"ccgs": footprint}
    coverage = services.group_coverage(group, memberships, group.footprint_day)
    by_ccg = {m.ccg_id: m for m in memberships}
    rows = [{"ccg": c, "membership": by_ccg.get(c.pk)} for c in coverage.footprint]
    # Memberships of CCGs no longer in today's footprint (merged) stay visible as history.
    former = [m for m in memberships if m.ccg_id not in {c.pk for c in coverage.footprint}]
    members = list(group.members.select_related("ccg"))
    subgroups = list(group.subgroups.select_related("lead").prefetch_related("members"))
    s = scopes(request.user)
    now = timezone.now()
    next_meeting = (
        group.meetings.filter(starts_at__gte=now, status=Meeting.Status.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    last_meeting = group.meetings.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
    open_recommendations = selectors.open_recommendations_of(group)
    agreed = agreed_versions([group]).get(group.pk, {})
    return render(
        request,
        "workspace/group_detail.html",
        {
            "group": group,
            "subgroups": subgroups,
            "terms": agreed.get("terms_of_reference"),
            "agreement": agreed.get("collaboration_agreement"),
            "coverage": coverage,
            "rows": rows,
            "former": former,
            "handovers": handover_notices(group),
            "current_members": [m for m in members if m.is_current_on(today)],
            "past_members": [m for m in members if not m.is_current_on(today)],
            "can_manage": can_manage_group(request.user, group),
            "my_ccg_ids": s.ccg_ids,
            "uninvited": [c for c in coverage.footprint if c.pk not in by_ccg],
            "invite_form": InviteForm(group=group),
            "next_meeting": next_meeting,
            "last_meeting": last_meeting,
            "open_recommendations": open_recommendations,
            "successor": getattr(group, "successor", None),
            "board_systems": (
                selectors.systems_of_hub(group) if can_set_up_board(request.user, group) else []
            ),
            "breadcrumbs": _group_crumbs(),
        },
    )


@login_required
def group_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every recorded action on the group, its CCG places and its members, newest first."""
    group = get_group_for_user(request.user, pk)
    events = events_for_many(selectors.group_history_targets(group))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = with_field_changes(page.object_list)  # old → new per field
    return render(
        request,
        "workspace/group_history.html",
        {
            "group": group,
            "page": page,
            "query": "",
            "breadcrumbs": _group_crumbs(group),
        },
    )


@login_required
@per_session
def oversight_glance(request: HttpRequest) -> HttpResponse:
    """Every hub's group at a glance, for regional teams (their region) and national admins."""
    require_glance(request.user)
    sort = request.GET.get("sort", "hub")
    sort = sort if sort in dict(COLUMNS) else "hub"
    descending = request.GET.get("order") == "desc"
    rows = glance_rows(request.user, sort=sort, descending=descending)
    if request.GET.get("format") == "csv":
        return _glance_csv(rows)
    headers = [
        {
            "key": key,
            "label": label,
            "current": key == sort,
            "next_order": "asc" if key == sort and descending else "desc" if key == sort else "asc",
            "aria_sort": ("descending" if descending else "ascending") if key == sort else None,
        }
        for key, label in PAGE_COLUMNS
    ]
    return render(
        request,
        "workspace/oversight_glance.html",
        {
            "rows": rows,
            "headers": headers,
            "sort": sort,
            "order": "desc" if descending else "asc",
        },
    )


def _glance_csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="oversight-at-a-glance.csv"'
    writer = csv.writer(response)
    writer.writerow(["Region", *[label for _, label in COLUMNS]])
    for r in rows:
        writer.writerow(
            [
                r.hub.region.name,
                r.hub.name,
                r.group.name if r.group else "No open group",
                r.terms_agreed or "",
                r.agreement_agreed or "",
                "" if r.coverage_percent is None else r.coverage_percent,
                r.members,
                timezone.localtime(r.last_meeting).date() if r.last_meeting else "",
                timezone.localtime(r.next_meeting).date() if r.next_meeting else "",
                r.open_recommendations,
                r.overdue_actions,
            ]
        )
    return response
