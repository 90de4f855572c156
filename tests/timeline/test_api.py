"""The timeline through the REST API: a permission ladder for every endpoint (anonymous 401,
the outsider 404 and never data, who can see but not change 403), the calendar changed through
its services with refusals keyed by field and stale versions answered 409 (nothing changed),
each hub's milestone states, each person's own notifications only, and bounded queries."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import forget_scopes
from commissioning.models import AuditEvent
from hubs.models import CCG, Hub
from priorities import services as plan_services
from tests.factories import make_group
from timeline import notifications, services
from timeline.models import CalendarMilestone, Notification, Satisfier

pytestmark = pytest.mark.django_db

LONDON_TZ = zoneinfo.ZoneInfo("Europe/London")
MILESTONES = "/api/v1/calendar-milestones/"
TIMELINES = "/api/v1/hub-timelines/"
NOTIFICATIONS = "/api/v1/notifications/"
NEC = "north-east-and-cumbria"
PLAN = "Draft governance proposal and priorities plan"  # hub staff, plan submitted, due 8 May
CONTRACTING = "Planning and contracting for next year"  # hub staff, marked done by hand
PERSONAS = [
    "roleless_user",
    "london_hub_officer",
    "sunderland_lead",
    "nec_hub_officer",
    "north_reviewer",
    "national_admin",
]
GOOD = {
    "year": 2015,
    "title": "Regional assurance meeting",
    "starts_on": "2015-06-01",
    "due_on": "2015-06-30",
    "for_regional_teams": True,
}


@pytest.fixture(autouse=True)
def today(time_machine):
    """Monday 15 June 2015: the draft plan (due 8 May) is overdue, the rest still to come."""
    time_machine.move_to(datetime.datetime(2015, 6, 15, 10, tzinfo=LONDON_TZ))


@pytest.fixture
def calendar(national_admin) -> dict[str, CalendarMilestone]:
    """The seed's 2015/16 calendar (made by the migration; seeded again after a flush)."""
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    return {m.title: m for m in CalendarMilestone.objects.filter(year=2015, archived=False)}


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def _post(api_client, url, body=None):
    return api_client.post(url, body or {}, format="json")


def _milestone(pk: int, action: str = "") -> str:
    return f"{MILESTONES}{pk}/{action + '/' if action else ''}"


def _calendar_state() -> list[tuple]:
    return list(
        CalendarMilestone.objects.order_by("pk").values_list(
            "pk", "title", "due_on", "archived", "version"
        )
    )


def notify(user, title: str, n: int = 1) -> list[Notification]:
    notifications.notify(user_ids=[user.pk] * n, title=title, link="/timeline/")
    return list(Notification.objects.filter(user=user, title=title).order_by("pk"))


def nec_plan(officer):
    group = make_group(by=officer)
    return plan_services.plan_create(by=officer, group=group, year=2015)


# --- the ladder -----------------------------------------------------------------------------


def test_anonymous_gets_401_everywhere(api_client, calendar, nec_hub_officer):
    milestone = calendar[CONTRACTING]
    mine = notify(nec_hub_officer, "Plan overdue")[0]
    before = _calendar_state()
    for method, url in [
        ("get", MILESTONES),
        ("get", _milestone(milestone.pk)),
        ("post", MILESTONES),
        ("patch", _milestone(milestone.pk)),
        ("post", _milestone(milestone.pk, "archive")),
        ("get", f"{TIMELINES}{NEC}/"),
        ("get", NOTIFICATIONS),
        ("get", f"{NOTIFICATIONS}{mine.pk}/"),
        ("post", f"{NOTIFICATIONS}{mine.pk}/read/"),
        ("post", f"{NOTIFICATIONS}read-all/"),
    ]:
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
        assert "Plan overdue" not in response.content.decode()
    assert _calendar_state() == before
    mine.refresh_from_db()
    assert mine.read_at is None


# (list, retrieve, create, patch, archive, NEC's timeline) for each persona. The London hub
# officer follows only London: North East and Cumbria's timeline is 404 to them.
READ_ONLY = {"list": 200, "get": 200, "create": 403, "patch": 403, "archive": 403, "nec": 200}
API_LADDER = {
    "roleless_user": {**READ_ONLY, "list": 403, "get": 403, "nec": 404},
    "london_hub_officer": {**READ_ONLY, "nec": 404},
    "sunderland_lead": READ_ONLY,
    "nec_hub_officer": READ_ONLY,
    "north_reviewer": READ_ONLY,
    "national_admin": {**READ_ONLY, "create": 201, "patch": 200, "archive": 200},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_timeline_endpoints_ladder(api_client, request, calendar, persona):
    user = request.getfixturevalue(persona)
    milestone = calendar[CONTRACTING]
    client = _as(api_client, user)
    expected = API_LADDER[persona]
    before = _calendar_state()
    calls = {
        "list": lambda: client.get(MILESTONES, {"year": 2015}),
        "get": lambda: client.get(_milestone(milestone.pk)),
        "create": lambda: _post(client, MILESTONES, GOOD),
        "patch": lambda: client.patch(
            _milestone(milestone.pk),
            {"version": milestone.version, "title": "Contracting"},
            format="json",
        ),
        "archive": lambda: _post(
            client, _milestone(milestone.pk, "archive"), {"version": milestone.version + 1}
        ),
        "nec": lambda: client.get(f"{TIMELINES}{NEC}/", {"year": 2015}),
    }
    for name, call in calls.items():
        response = call()
        assert response.status_code == expected[name], (persona, name, response.content)
        if expected[name] >= 400:
            assert PLAN not in response.content.decode()
    if persona == "national_admin":
        milestone.refresh_from_db()
        assert (milestone.title, milestone.archived, milestone.version) == ("Contracting", True, 3)
        assert CalendarMilestone.objects.filter(title=GOOD["title"]).count() == 1
    else:
        assert _calendar_state() == before


def test_london_reads_its_own_timeline_not_the_norths(api_client, calendar, london_hub_officer):
    client = _as(api_client, london_hub_officer)
    assert client.get(f"{TIMELINES}london/").status_code == 200
    for slug in (NEC, "north-west", "no-such-hub"):
        response = client.get(f"{TIMELINES}{slug}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No such hub."}


# --- the calendar ---------------------------------------------------------------------------


def test_milestones_list_filters_by_year_and_archived(api_client, calendar, national_admin):
    services.calendar_roll_forward(by=national_admin, year=2015)
    milestone = calendar[CONTRACTING]
    services.milestone_archive(by=national_admin, milestone=milestone, version=milestone.version)
    client = _as(api_client, national_admin)
    body = client.get(MILESTONES, {"year": 2016}).json()
    assert body["count"] == 11  # seed 000 §4.1
    assert {m["year"] for m in body["results"]} == {2016}
    assert body["results"][0]["year_label"] == "2016/17"
    live = client.get(MILESTONES, {"year": 2015, "archived": "false"}).json()
    assert live["count"] == 10
    assert CONTRACTING not in [m["title"] for m in live["results"]]
    archived = client.get(MILESTONES, {"year": 2015, "archived": "true"}).json()
    # The first seed's invented readiness deadline, archived by migration 0004, and this one.
    assert [m["title"] for m in archived["results"]] == [
        "Ready for the first peer review",
        CONTRACTING,
    ]
    assert client.get(MILESTONES, {"year": "next"}).status_code == 400
    assert client.get(MILESTONES, {"year": 1999}).status_code == 400
    one = client.get(_milestone(calendar[PLAN].pk)).json()
    assert one["due_on"] == "2015-05-08"
    assert one["satisfied_by"] == Satisfier.PLAN_SUBMITTED
    assert one["for_hub_staff"] is True
    assert client.get(_milestone(999_999_999)).status_code == 404


def test_national_admin_adds_changes_and_archives(api_client, calendar, national_admin):
    client = _as(api_client, national_admin)
    response = _post(client, MILESTONES, GOOD)
    assert response.status_code == 201
    added = response.json()
    assert (added["title"], added["version"], added["satisfied_by"]) == (
        GOOD["title"],
        1,
        Satisfier.MANUAL,
    )
    assert added["for_regional_teams"] is True
    assert added["for_hub_staff"] is False
    response = client.patch(
        _milestone(added["id"]),
        {"version": 1, "due_on": "2015-07-02", "starts_on": None},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["due_on"], response.json()["starts_on"]) == ("2015-07-02", None)
    assert response.json()["version"] == 2
    response = _post(client, _milestone(added["id"], "archive"), {"version": 2})
    assert response.status_code == 200
    assert response.json()["archived"] is True
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="milestone_calendar.").values_list(
            "verb", flat=True
        )
    )
    assert sorted(verbs) == [
        "milestone_calendar.added",
        "milestone_calendar.archived",
        "milestone_calendar.changed",
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"due_on": "2016-05-01"},
            "due_on",
            "The due date must fall between 1 January 2015 and 31 March 2016.",
        ),
        (
            {"starts_on": "2015-07-01"},
            "starts_on",
            "The start must be on or before the due date.",
        ),
        (
            {"for_regional_teams": False},
            "for_hub_staff",
            "Say whom the milestone concerns: hub staff, CCG leads or regional teams.",
        ),
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"satisfied_by": "prayer"}, "satisfied_by", "is not a valid choice"),
        ({"year": 2101}, "year", "less than or equal to 2100"),
    ],
)
def test_bad_milestones_are_refused_by_field(
    api_client, calendar, national_admin, change, field, message
):
    client = _as(api_client, national_admin)
    before = _calendar_state()
    response = _post(client, MILESTONES, {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.json()[field][0]
    if field != "year":
        milestone = calendar[CONTRACTING]
        patch = {"version": milestone.version, **change}
        if field == "for_hub_staff":
            patch = {"version": milestone.version, "for_hub_staff": False, "for_ccg_leads": False}
        if field == "starts_on":
            patch["due_on"] = "2015-06-30"
        response = client.patch(_milestone(milestone.pk), patch, format="json")
        assert response.status_code == 400, response.content
        assert message in response.json()[field][0]
    assert _calendar_state() == before


def test_a_stale_version_is_refused_with_409_and_nothing_changes(
    api_client, calendar, national_admin
):
    milestone = calendar[CONTRACTING]
    opened_at = milestone.version
    services.milestone_update(
        by=national_admin, milestone=milestone, version=opened_at, title="Contracting 2016/17"
    )
    before = _calendar_state()
    client = _as(api_client, national_admin)
    response = client.patch(
        _milestone(milestone.pk), {"version": opened_at, "title": "Mine"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == opened_at + 1
    assert "saved this while you were editing" in response.json()["detail"]
    response = _post(client, _milestone(milestone.pk, "archive"), {"version": opened_at})
    assert response.status_code == 409
    assert response.json()["current_version"] == opened_at + 1
    assert _calendar_state() == before
    assert client.patch(_milestone(milestone.pk), {"title": "x"}, format="json").json() == {
        "version": ["This field is required."]
    }


# --- a hub's timeline -----------------------------------------------------------------------


def test_hub_timeline_gives_each_milestones_state(
    api_client, calendar, nec_hub_officer, sunderland_lead
):
    client = _as(api_client, sunderland_lead)
    body = client.get(f"{TIMELINES}{NEC}/", {"year": 2015}).json()
    assert (body["hub"], body["year"], body["year_label"]) == (NEC, 2015, "2015/16")
    states = {m["title"]: m for m in body["milestones"]}
    assert len(states) == 11
    assert (states[PLAN]["state"], states[PLAN]["state_label"]) == ("overdue", "Overdue")
    assert states["First peer review invited"]["state"] == "overdue"
    footprint = CCG.objects.valid_on(datetime.date(2015, 4, 30)).filter(hub__slug=NEC).count()
    co_design = states["Co-design of governance and priorities"]
    assert (co_design["ccgs_met"], co_design["ccgs"]) == (0, footprint)
    assert co_design["progress"] == f"0 of {footprint}"
    assert co_design["section"] == "Seed 000 §4.1.1 (timeline: March/April 2015)"
    assert states[CONTRACTING]["state"] == "upcoming"

    plan = nec_plan(nec_hub_officer)
    plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    services.milestone_complete(
        by=nec_hub_officer, milestone=calendar[CONTRACTING], hub=Hub.objects.get(slug=NEC)
    )
    states = {
        m["title"]: m for m in client.get(f"{TIMELINES}{NEC}/", {"year": 2015}).json()["milestones"]
    }
    assert states[PLAN]["state"] == "done"
    assert states[PLAN]["link"] == plan.get_absolute_url()
    assert states[PLAN]["completed_at"] is None
    assert states[CONTRACTING]["state"] == "done"
    assert states[CONTRACTING]["completed_at"] is not None
    assert client.get(f"{TIMELINES}{NEC}/", {"year": 2030}).json()["milestones"] == []
    assert client.get(f"{TIMELINES}{NEC}/", {"year": "soon"}).status_code == 400
    assert client.get(f"{TIMELINES}{NEC}/").json()["year"] == 2015  # the current year


# --- notifications --------------------------------------------------------------------------


def test_users_see_only_their_own_notifications(api_client, nec_hub_officer, london_hub_officer):
    mine = notify(nec_hub_officer, "Helen: plan overdue", n=2)
    theirs = notify(london_hub_officer, "Sam: London plan overdue")[0]
    client = _as(api_client, nec_hub_officer)
    body = client.get(NOTIFICATIONS).json()
    assert body["count"] == 2
    assert {n["id"] for n in body["results"]} == {n.pk for n in mine}
    assert client.get(f"{NOTIFICATIONS}{mine[0].pk}/").json()["unread"] is True
    for url in (f"{NOTIFICATIONS}{theirs.pk}/", f"{NOTIFICATIONS}{theirs.pk + 1000}/"):
        assert client.get(url).status_code == 404
    response = _post(client, f"{NOTIFICATIONS}{theirs.pk}/read/")
    assert response.status_code == 404
    assert "Sam" not in response.content.decode()
    assert _post(client, f"{NOTIFICATIONS}read-all/").json() == {"marked_read": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert _as(api_client, london_hub_officer).get(NOTIFICATIONS).json()["count"] == 1


def _header_count(client) -> str:
    body = client.get(reverse("workspace:my-work")).content.decode()
    link = re.search(r'id="notifications-link">(.*?)</a>', body, re.S).group(1)
    count = re.search(r'class="app-count">(\d+)', link)
    return count.group(1) if count else ""


def test_marking_read_through_the_api_lowers_the_header_count(api_client, client, nec_hub_officer):
    first, second, third = notify(nec_hub_officer, "Plan overdue", n=3)
    client.force_login(nec_hub_officer)
    api = _as(api_client, nec_hub_officer)
    assert _header_count(client) == "3"
    response = _post(api, f"{NOTIFICATIONS}{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    assert response.json()["read_at"] is not None
    assert _header_count(client) == "2"
    assert _post(api, f"{NOTIFICATIONS}{first.pk}/read/").status_code == 200  # again: harmless
    body = api.get(NOTIFICATIONS, {"unread": "true"}).json()
    assert {n["id"] for n in body["results"]} == {second.pk, third.pk}
    assert [n["id"] for n in api.get(NOTIFICATIONS, {"unread": "false"}).json()["results"]] == [
        first.pk
    ]
    assert _post(api, f"{NOTIFICATIONS}read-all/").json() == {"marked_read": 2}
    assert _header_count(client) == ""
    assert _post(api, f"{NOTIFICATIONS}read-all/").json() == {"marked_read": 0}


def test_notifications_are_paginated(api_client, nec_hub_officer):
    notify(nec_hub_officer, "Reminder", n=60)
    client = _as(api_client, nec_hub_officer)
    body = client.get(NOTIFICATIONS).json()
    assert (body["count"], len(body["results"])) == (60, 50)
    assert body["next"]
    assert len(client.get(NOTIFICATIONS, {"limit": 5, "offset": 58}).json()["results"]) == 2


# --- bounded queries ------------------------------------------------------------------------


def _queries(client, user, url, params=None) -> int:
    forget_scopes(user)  # as in a fresh request: the user's roles are read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def _grow(admin, officer, calendar) -> None:
    services.calendar_roll_forward(by=admin, year=2015)
    for n in range(5):
        services.milestone_add(
            by=admin,
            year=2015,
            title=f"Extra {n}",
            due_on=datetime.date(2015, 7, 1 + n),
            for_hub_staff=True,
        )
    plan = nec_plan(officer)
    plan_services.plan_submit(by=officer, plan=plan, version=plan.version)
    services.milestone_complete(
        by=officer, milestone=calendar[CONTRACTING], hub=Hub.objects.get(slug=NEC)
    )
    notify(officer, "Reminder", n=80)


def test_endpoints_run_bounded_queries(
    api_client, calendar, national_admin, nec_hub_officer, django_assert_max_num_queries
):
    notify(nec_hub_officer, "Reminder")
    client = _as(api_client, nec_hub_officer)
    calls = [
        (MILESTONES, {}),
        (MILESTONES, {"year": 2015}),
        (f"{TIMELINES}{NEC}/", {"year": 2015}),
        (NOTIFICATIONS, {}),
        (NOTIFICATIONS, {"unread": "true"}),
    ]
    small = [_queries(client, nec_hub_officer, url, params) for url, params in calls]
    _grow(national_admin, nec_hub_officer, calendar)
    big = [_queries(client, nec_hub_officer, url, params) for url, params in calls]
    assert big == small
    # The hub's timeline: 15 (the records that meet milestones, and the footprint on their dates).
    for (url, params), limit in zip(calls, [3, 3, 15, 2, 2], strict=True):
        forget_scopes(nec_hub_officer)
        with django_assert_max_num_queries(limit):
            assert client.get(url, params).status_code == 200
