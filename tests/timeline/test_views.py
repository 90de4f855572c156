"""Timeline pages: the permission ladder for every page (the wrong person gets 403 or 404, never
data), marking milestones done, and refusals beside their fields with nothing changed and the
second of two editors refused on the calendar."""

import datetime
import re

import pytest
from django.urls import reverse

from commissioning.models import AuditEvent
from hubs.models import Hub
from priorities import services as plan_services
from tests.timeline.timeline_pages import (  # noqa: F401 (page_day, seeded_calendar: fixtures)
    CONTRACTING,
    NEC,
    NEC_NAME,
    PAGE_LADDER,
    PERSONAS,
    PLAN,
    _pages,
    _text,
    claim,
    nec_plan,
    notify,
    page_day,
    seeded_calendar,
)
from timeline import services
from timeline.models import (
    CalendarMilestone,
    MilestoneCompletion,
    Notification,
    ReminderClaim,
    Satisfier,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_day")]


def test_anonymous_is_sent_to_sign_in(client, calendar, nec_hub_officer):
    urls = [
        *_pages(calendar).values(),
        reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk]),
        reverse("timeline:calendar-roll-forward", args=[2015]),
        reverse("timeline:calendar-seed", args=[2017]),
        reverse("timeline:read-all"),
        reverse("timeline:notification-open", args=[notify(nec_hub_officer, "Hi")[0].pk]),
        reverse("timeline:reminder-resend", args=[claim(nec_hub_officer).pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))
    assert not MilestoneCompletion.objects.exists()
    assert Notification.objects.get(user=nec_hub_officer).read_at is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_timeline_pages_ladder(client, request, calendar, persona):
    user = request.getfixturevalue(persona)
    pages = _pages(calendar)
    client.force_login(user)
    for page, expected in PAGE_LADDER[persona].items():
        response = client.get(pages[page])
        assert response.status_code == expected, (persona, page, response.status_code)
        if expected != 200:
            assert PLAN not in _text(response)


def test_the_grid_shows_only_the_hubs_you_follow(
    client, calendar, london_hub_officer, north_reviewer, sunderland_lead, national_admin
):
    grid = reverse("timeline:grid") + "?year=2015"
    seen = {}
    for user in (london_hub_officer, north_reviewer, sunderland_lead, national_admin):
        client.force_login(user)
        body = _text(client.get(grid))
        seen[user.email] = {
            name for name in Hub.objects.values_list("name", flat=True) if f">{name}</a>" in body
        }
    assert seen[london_hub_officer.email] == {"London"}
    assert seen[north_reviewer.email] == {NEC_NAME, "North West", "Yorkshire and Humber"}
    assert seen[sunderland_lead.email] == {NEC_NAME}
    assert len(seen[national_admin.email]) == 10
    assert "reminders sent and scheduled</a>" in _text(client.get(grid))
    client.force_login(north_reviewer)
    assert "reminders sent and scheduled" not in _text(client.get(grid))


# --- marking a milestone done -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("roleless_user", 404),
        ("london_hub_officer", 404),
        ("sunderland_lead", 403),
        ("national_admin", 403),
    ],
)
def test_only_the_hubs_staff_mark_its_milestones_done(client, request, calendar, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk])
    assert client.post(url).status_code == expected
    assert not MilestoneCompletion.objects.exists()


def test_the_regional_team_marks_done_only_what_concerns_regional_teams(
    client, calendar, north_reviewer, national_admin
):
    client.force_login(north_reviewer)
    hubs_own = reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk])
    response = client.post(hubs_own, follow=True)
    # Seed 000 §4.1.2: final planning and support for contracting, for hub staff and CCGs.
    assert "This milestone is for hub staff and CCG leads: they mark it done." in _text(response)
    assert not MilestoneCompletion.objects.exists()
    guidance = services.milestone_add(  # regional teams, marked done by hand
        by=national_admin,
        year=2015,
        title="Regional assurance of hub delivery",
        due_on=datetime.date(2015, 7, 1),
        for_regional_teams=True,
    )
    regional = reverse("timeline:milestone-complete", args=[NEC, guidance.pk])
    response = client.post(regional, follow=True)
    assert f'id="state-{guidance.pk}">Done<' in _text(response)
    done = MilestoneCompletion.objects.get()
    assert (done.milestone, done.hub.slug, done.completed_by) == (guidance, NEC, north_reviewer)


def test_hub_staff_mark_a_milestone_done(client, calendar, nec_hub_officer):
    milestone = calendar[CONTRACTING]
    client.force_login(nec_hub_officer)
    hub_page = reverse("timeline:hub", args=[NEC]) + "?year=2015"
    assert f'id="state-{milestone.pk}">Upcoming<' in _text(client.get(hub_page))
    response = client.post(
        reverse("timeline:milestone-complete", args=[NEC, milestone.pk]),
        {"note": "Contracts agreed at the March board."},
        follow=True,
    )
    body = _text(response)
    assert f"“{CONTRACTING}” is marked done for {NEC_NAME}." in body
    assert f'id="state-{milestone.pk}">Done<' in body
    assert "Contracts agreed at the March board." in body
    done = MilestoneCompletion.objects.get()
    assert (done.milestone, done.hub.slug, done.completed_by) == (milestone, NEC, nec_hub_officer)
    assert AuditEvent.objects.filter(verb="milestone_calendar.completed").count() == 1
    again = client.post(
        reverse("timeline:milestone-complete", args=[NEC, milestone.pk]), follow=True
    )
    assert "This milestone is already marked done." in _text(again)
    assert MilestoneCompletion.objects.count() == 1


def test_a_milestone_a_record_satisfies_cannot_be_marked_done(client, calendar, nec_hub_officer):
    milestone = calendar[PLAN]
    client.force_login(nec_hub_officer)
    hub_page = _text(client.get(reverse("timeline:hub", args=[NEC]) + "?year=2015"))
    assert f'id="state-{milestone.pk}">Overdue<' in hub_page
    assert f'action="{reverse("timeline:milestone-complete", args=[NEC, milestone.pk])}"' not in (
        hub_page
    )
    response = client.post(
        reverse("timeline:milestone-complete", args=[NEC, milestone.pk]), follow=True
    )
    assert (
        "This milestone is done when the record exists: the year's priorities plan submitted."
        in _text(response)
    )
    assert f'id="state-{milestone.pk}">Overdue<' in _text(response)
    assert not MilestoneCompletion.objects.exists()


def test_the_plan_submitted_turns_its_milestone_done(client, calendar, nec_hub_officer):
    milestone = calendar[PLAN]
    plan = nec_plan(nec_hub_officer)
    client.force_login(nec_hub_officer)
    hub_page = reverse("timeline:hub", args=[NEC]) + "?year=2015"
    body = _text(client.get(hub_page))
    assert f'id="state-{milestone.pk}">Overdue<' in body
    assert f'href="{plan.get_absolute_url()}">Go to the record' in body
    plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    # Submitted on 15 June 2015, after its 8 May date (seed 000 §4.1.1: end April/early May).
    assert f'id="state-{milestone.pk}">Done late (15 June 2015)<' in _text(client.get(hub_page))


# --- the calendar: add, change, archive, roll forward, seed -------------------------------


POSTS = ["archive", "roll_forward", "seed", "resend"]


@pytest.mark.parametrize("persona", PERSONAS[:-1])
def test_only_national_admins_change_the_calendar(client, request, calendar, persona):
    user = request.getfixturevalue(persona)
    milestone = calendar[CONTRACTING]
    reminder = claim(user)
    before = list(CalendarMilestone.objects.values_list("pk", "version", "archived"))
    client.force_login(user)
    urls = {
        "archive": reverse("timeline:milestone-edit", args=[milestone.pk]),
        "roll_forward": reverse("timeline:calendar-roll-forward", args=[2015]),
        "seed": reverse("timeline:calendar-seed", args=[2017]),
        "resend": reverse("timeline:reminder-resend", args=[reminder.pk]),
        "add": reverse("timeline:milestone-add", args=[2015]),
    }
    data = {
        "archive": {"archive": "1", "version": milestone.version},
        "add": {"title": "Extra", "due_on": "2015-07-01", "for_hub_staff": "on"},
    }
    for name, url in urls.items():
        response = client.post(url, data.get(name, {}))
        assert response.status_code == 403, (persona, name)
    assert list(CalendarMilestone.objects.values_list("pk", "version", "archived")) == before
    reminder.refresh_from_db()
    assert reminder.status == ReminderClaim.Status.SENT


def test_national_admin_adds_changes_and_archives_a_milestone(client, calendar, national_admin):
    client.force_login(national_admin)
    response = client.post(
        reverse("timeline:milestone-add", args=[2015]),
        {
            "title": "  Regional assurance meeting ",
            "starts_on": "2015-06-01",
            "due_on": "2015-06-30",
            "for_regional_teams": "on",
            "satisfied_by": Satisfier.MANUAL,
        },
    )
    assert response.status_code == 302
    added = CalendarMilestone.objects.get(title="Regional assurance meeting")
    assert (added.year, added.due_on, added.for_regional_teams) == (
        2015,
        datetime.date(2015, 6, 30),
        True,
    )
    assert "Regional assurance meeting" in _text(
        client.get(reverse("timeline:calendar", args=[2015]))
    )

    edit = reverse("timeline:milestone-edit", args=[added.pk])
    response = client.post(
        edit,
        {
            "version": added.version,
            "title": "Regional assurance board",
            "due_on": "2015-07-02",
            "for_regional_teams": "on",
            "satisfied_by": Satisfier.MANUAL,
        },
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.title, added.due_on, added.version) == (
        "Regional assurance board",
        datetime.date(2015, 7, 2),
        2,
    )
    response = client.post(edit, {"archive": "1", "version": added.version}, follow=True)
    assert "Milestone taken off the calendar; its history is kept." in _text(response)
    added.refresh_from_db()
    assert added.archived
    assert "Regional assurance board" not in _text(response)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"milestone_calendar.added", "milestone_calendar.changed"} <= verbs
    assert "milestone_calendar.archived" in verbs


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"due_on": "2016-05-01"},
            "due_on",
            "The due date must fall between 1 January 2015 and 31 March 2016.",
        ),
        (
            {"starts_on": "2015-07-01", "due_on": "2015-06-30"},
            "starts_on",
            "The start must be on or before the due date.",
        ),
        (
            {"for_hub_staff": ""},
            "for_hub_staff",
            "Say whom the milestone concerns: hub staff, CCG leads or regional teams.",
        ),
        ({"title": ""}, "title", "Give the milestone a title"),
        ({"due_on": "31/31/2015"}, "due_on", "Enter a real date, for example 1 April 2015"),
    ],
)
def test_bad_milestones_are_refused_beside_the_field(
    client, calendar, national_admin, change, field, message
):
    client.force_login(national_admin)
    before = list(CalendarMilestone.objects.values_list("pk", "title", "due_on", "version"))
    good = {
        "title": "Extra workshop",
        "due_on": "2015-07-01",
        "for_hub_staff": "on",
        "satisfied_by": Satisfier.MANUAL,
    }
    bad = {k: v for k, v in {**good, **change}.items() if v != ""}
    response = client.post(reverse("timeline:milestone-add", args=[2015]), bad)
    assert response.status_code == 200
    error = re.search(rf'id="id_{field}_error">(.*?)</span>\s*</?', _text(response), re.S)
    assert error, f"no error beside {field}"
    assert message in _text(response)
    milestone = calendar[CONTRACTING]
    edit = {
        "version": milestone.version,
        "title": milestone.title,
        "starts_on": "2016-01-04",
        "due_on": "2016-03-31",
        "for_hub_staff": "on",
        "satisfied_by": Satisfier.MANUAL,
    }
    bad_edit = {k: v for k, v in {**edit, **change}.items() if v != ""}
    response = client.post(reverse("timeline:milestone-edit", args=[milestone.pk]), bad_edit)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in _text(response)
    assert list(CalendarMilestone.objects.values_list("pk", "title", "due_on", "version")) == before


def test_a_stale_version_is_refused_and_nothing_changes(client, calendar, national_admin):
    milestone = calendar[CONTRACTING]
    opened_at = milestone.version
    services.milestone_update(
        by=national_admin, milestone=milestone, version=opened_at, title="Contracting 2016/17"
    )
    client.force_login(national_admin)
    url = reverse("timeline:milestone-edit", args=[milestone.pk])
    response = client.post(
        url,
        {
            "version": opened_at,
            "title": "My title",
            "due_on": "2016-03-31",
            "for_hub_staff": "on",
            "satisfied_by": Satisfier.MANUAL,
        },
    )
    assert response.status_code == 200
    body = _text(response)
    assert "saved this while you were editing" in body
    assert "Contracting 2016/17" in body
    assert f'name="version" value="{opened_at + 1}"' in body
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Contracting 2016/17", opened_at + 1)

    response = client.post(url, {"archive": "1", "version": opened_at}, follow=True)
    assert "saved this while you were editing" in _text(response)
    milestone.refresh_from_db()
    assert not milestone.archived
    assert milestone.version == opened_at + 1


def test_national_admin_rolls_the_calendar_forward_and_seeds_a_year(
    client, calendar, national_admin
):
    client.force_login(national_admin)
    response = client.post(reverse("timeline:calendar-roll-forward", args=[2015]), follow=True)
    assert "11 milestones rolled forward to 2016/17." in _text(response)
    rolled = CalendarMilestone.objects.get(year=2016, title=PLAN)
    assert rolled.due_on == datetime.date(2016, 5, 8)
    again = client.post(reverse("timeline:calendar-roll-forward", args=[2015]), follow=True)
    assert "2016 already has a calendar: change it there." in _text(again)
    assert CalendarMilestone.objects.filter(year=2016).count() == 11

    response = client.post(reverse("timeline:calendar-seed", args=[2018]), follow=True)
    assert "The seed's planning cycle is on the calendar." in _text(response)
    assert CalendarMilestone.objects.get(year=2018, title=PLAN).due_on == datetime.date(2018, 5, 8)
    again = client.post(reverse("timeline:calendar-seed", args=[2018]), follow=True)
    assert "2018 already has a calendar." in _text(again)
    assert CalendarMilestone.objects.filter(year=2018).count() == 11
