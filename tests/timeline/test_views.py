"""Timeline pages: the permission ladder for every page (the wrong person gets 403 or 404, never
data), refusals beside their fields with nothing changed, the second of two editors refused,
each person's own notifications and calendar only, and bounded queries on the grid, a hub's
timeline, the inbox and My work."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from commissioning.models import AuditEvent
from hubs.models import Hub
from oversight import services as group_services
from priorities import services as plan_services
from timeline import notifications, services
from timeline.models import (
    CalendarFeed,
    CalendarMilestone,
    MilestoneCompletion,
    Notification,
    NotificationPreference,
    ReminderClaim,
    Satisfier,
)
from timeline.reminders import ensure_default_rules

pytestmark = pytest.mark.django_db

LONDON_TZ = zoneinfo.ZoneInfo("Europe/London")
NEC = "north-east-and-cumbria"
NEC_NAME = "North East and Cumbria"
# Two milestones of the seed's 2015/16 calendar (timeline.services.SEED_2015).
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


@pytest.fixture(autouse=True)
def today(time_machine):
    """Monday 15 June 2015: the draft plan (due 8 May) is overdue, the rest still to come."""
    time_machine.move_to(datetime.datetime(2015, 6, 15, 10, tzinfo=LONDON_TZ))
    return datetime.date(2015, 6, 15)


@pytest.fixture
def calendar(national_admin) -> dict[str, CalendarMilestone]:
    """The seed's 2015/16 calendar (made by the migration; seeded again after a flush)."""
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    return {m.title: m for m in CalendarMilestone.objects.filter(year=2015, archived=False)}


def nec_plan(officer, year: int = 2015):
    group = group_services.group_create(
        by=officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC Oversight Group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    return plan_services.plan_create(by=officer, group=group, year=year)


def notify(user, title: str, link: str = "/", n: int = 1) -> list[Notification]:
    notifications.notify(user_ids=[user.pk] * n, title=title, link=link)
    return list(Notification.objects.filter(user=user, title=title).order_by("pk"))


def claim(recipient, status=ReminderClaim.Status.SENT) -> ReminderClaim:
    return ReminderClaim.objects.create(
        rule=ensure_default_rules()[0],
        item_key="milestone:1:hub:1",
        recipient=recipient,
        occurrence=datetime.date(2015, 5, 8),
        due_on=datetime.date(2015, 5, 8),
        subject=f"Due 8 May 2015: {PLAN} ({NEC_NAME})",
        link="/timeline/",
        status=status,
        sweep="test",
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _pages(calendar) -> dict[str, str]:
    return {
        "grid": reverse("timeline:grid") + "?year=2015",
        "hub": reverse("timeline:hub", args=[NEC]) + "?year=2015",
        "calendar": reverse("timeline:calendar", args=[2015]),
        "add": reverse("timeline:milestone-add", args=[2015]),
        "edit": reverse("timeline:milestone-edit", args=[calendar[CONTRACTING].pk]),
        "inbox": reverse("timeline:inbox"),
        "preferences": reverse("timeline:preferences"),
        "reminders": reverse("timeline:reminders-admin"),
    }


# Who gets what on each page (200 sees it, 403 may not use it, 404 may not know it exists). The
# London hub officer follows only London: North East and Cumbria's timeline is 404 to them.
READER = {"grid": 200, "hub": 200, "calendar": 200, "inbox": 200, "preferences": 200}
NOT_ADMIN = {"add": 403, "edit": 403, "reminders": 403}
PAGE_LADDER = {
    "roleless_user": {
        "grid": 403,
        "hub": 404,
        "calendar": 403,
        "inbox": 200,
        "preferences": 200,
        **NOT_ADMIN,
    },
    "london_hub_officer": {**READER, "hub": 404, **NOT_ADMIN},
    "sunderland_lead": {**READER, **NOT_ADMIN},
    "nec_hub_officer": {**READER, **NOT_ADMIN},
    "north_reviewer": {**READER, **NOT_ADMIN},
    "national_admin": {**READER, "add": 200, "edit": 200, "reminders": 200},
}


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
    client, calendar, north_reviewer
):
    client.force_login(north_reviewer)
    hubs_own = reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk])
    response = client.post(hubs_own, follow=True)
    assert "This milestone is for hub staff: they mark it done." in _text(response)
    assert not MilestoneCompletion.objects.exists()
    guidance = calendar["Guidance published"]  # regional teams, marked done by hand
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
    assert f'id="state-{milestone.pk}">Done<' in _text(client.get(hub_page))


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
        ({"due_on": "31/31/2015"}, "due_on", "Enter a valid date"),
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
    assert "changed this record after you opened it" in body
    assert "Contracting 2016/17" in body
    assert f'name="version" value="{opened_at + 1}"' in body
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Contracting 2016/17", opened_at + 1)

    response = client.post(url, {"archive": "1", "version": opened_at}, follow=True)
    assert "changed this record after you opened it" in _text(response)
    milestone.refresh_from_db()
    assert not milestone.archived
    assert milestone.version == opened_at + 1


def test_national_admin_rolls_the_calendar_forward_and_seeds_a_year(
    client, calendar, national_admin
):
    client.force_login(national_admin)
    response = client.post(reverse("timeline:calendar-roll-forward", args=[2015]), follow=True)
    assert "10 milestones rolled forward to 2016/17." in _text(response)
    rolled = CalendarMilestone.objects.get(year=2016, title=PLAN)
    assert rolled.due_on == datetime.date(2016, 5, 8)
    again = client.post(reverse("timeline:calendar-roll-forward", args=[2015]), follow=True)
    assert "2016 already has a calendar: change it there." in _text(again)
    assert CalendarMilestone.objects.filter(year=2016).count() == 10

    response = client.post(reverse("timeline:calendar-seed", args=[2018]), follow=True)
    assert "The seed's planning cycle is on the calendar." in _text(response)
    assert CalendarMilestone.objects.get(year=2018, title=PLAN).due_on == datetime.date(2018, 5, 8)
    again = client.post(reverse("timeline:calendar-seed", args=[2018]), follow=True)
    assert "2018 already has a calendar." in _text(again)
    assert CalendarMilestone.objects.filter(year=2018).count() == 10


# --- notifications --------------------------------------------------------------------------


def test_the_inbox_shows_only_your_own_notifications(client, nec_hub_officer, london_hub_officer):
    notify(nec_hub_officer, "Helen: plan due", n=2)
    notify(london_hub_officer, "Sam: London plan due")
    client.force_login(nec_hub_officer)
    body = _text(client.get(reverse("timeline:inbox")))
    assert body.count("Helen: plan due</a>") == 2
    assert "Sam: London plan due" not in body
    assert "You have <strong>2 unread</strong>." in body


def test_someone_elses_notification_is_not_found(client, nec_hub_officer, london_hub_officer):
    theirs = notify(london_hub_officer, "Sam: London plan due")[0]
    client.force_login(nec_hub_officer)
    assert client.get(reverse("timeline:notification-open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("timeline:notification-read", args=[theirs.pk])).status_code == 404
    missing = theirs.pk + 1000
    assert client.get(reverse("timeline:notification-open", args=[missing])).status_code == 404
    client.post(reverse("timeline:read-all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def _header_count(client) -> str:
    body = _text(client.get(reverse("workspace:my-work")))
    link = re.search(r'id="notifications-link">(.*?)</a>', body, re.S).group(1)
    count = re.search(r'class="app-count">(\d+)', link)
    return count.group(1) if count else ""


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, nec_hub_officer):
    link = reverse("timeline:hub", args=[NEC]) + "?year=2015"
    first, second = notify(nec_hub_officer, "Plan overdue", link=link, n=2)
    client.force_login(nec_hub_officer)
    assert _header_count(client) == "2"
    response = client.get(reverse("timeline:notification-open", args=[first.pk]))
    assert response.status_code == 302
    assert response.url == link
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert _header_count(client) == "1"
    response = client.post(reverse("timeline:notification-read", args=[second.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.read_at is not None
    assert _header_count(client) == ""


def test_a_notification_never_sends_you_off_site(client, nec_hub_officer):
    away = notify(nec_hub_officer, "Phish", link="https://evil.example/steal")[0]
    client.force_login(nec_hub_officer)
    response = client.get(reverse("timeline:notification-open", args=[away.pk]))
    assert response.url == reverse("timeline:inbox")


def test_read_all_marks_only_your_own_read(client, nec_hub_officer, london_hub_officer):
    notify(nec_hub_officer, "Mine", n=3)
    theirs = notify(london_hub_officer, "Theirs")[0]
    client.force_login(nec_hub_officer)
    assert _header_count(client) == "3"
    response = client.post(reverse("timeline:read-all"), follow=True)
    assert "3 notifications marked read." in _text(response)
    assert not Notification.objects.filter(user=nec_hub_officer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert _header_count(client) == ""
    assert "Nothing unread." in _text(client.get(reverse("timeline:inbox")))


def test_preferences_are_saved(client, nec_hub_officer):
    client.force_login(nec_hub_officer)
    url = reverse("timeline:preferences")
    response = client.post(url, {"email": "digest", "mute_non_essential": "on"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=nec_hub_officer)
    assert (pref.email, pref.mute_non_essential) == ("digest", True)
    response = client.post(url, {"email": "weekly"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in _text(response)
    pref.refresh_from_db()
    assert pref.email == "digest"
    client.post(url, {"email": "immediate"})
    pref.refresh_from_db()
    assert (pref.email, pref.mute_non_essential) == ("immediate", False)


# --- the calendar feed ----------------------------------------------------------------------


def _feed_url(client, user) -> str:
    client.force_login(user)
    body = _text(client.get(reverse("timeline:preferences")))
    return re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', body).group(1)


def _events(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return sorted(str(e["summary"]) for e in cal.walk("VEVENT"))


def test_the_feed_holds_your_deadlines(client, calendar, nec_hub_officer, london_hub_officer):
    nec_feed = _feed_url(client, nec_hub_officer)
    client.logout()
    events = _events(client.get(nec_feed))
    assert f"{PLAN} ({NEC_NAME})" in events
    assert f"{CONTRACTING} ({NEC_NAME})" in events
    assert all(NEC_NAME in e for e in events)

    london_feed = _feed_url(client, london_hub_officer)
    client.logout()
    london = _events(client.get(london_feed))
    assert f"{PLAN} (London)" in london
    assert not any(NEC_NAME in e for e in london)
    assert nec_feed != london_feed


def test_a_guessed_or_revoked_feed_token_is_refused(client, calendar, nec_hub_officer):
    old = _feed_url(client, nec_hub_officer)
    assert _feed_url(client, nec_hub_officer) == old  # stable until renewed
    response = client.post(reverse("timeline:preferences"), {"renew": "1"}, follow=True)
    assert "the old one no longer works" in _text(response)
    new = _feed_url(client, nec_hub_officer)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert _events(client.get(new))
    guessed = reverse("timeline:feed", args=["A" * 43])
    assert client.get(guessed).status_code == 404
    assert CalendarFeed.objects.filter(user=nec_hub_officer, revoked_at__isnull=True).count() == 1


# --- reminders admin ------------------------------------------------------------------------


def test_national_admin_reads_the_log_and_resends(
    client, national_admin, nec_hub_officer, django_capture_on_commit_callbacks
):
    failed = claim(nec_hub_officer, status=ReminderClaim.Status.FAILED)
    ReminderClaim.objects.filter(pk=failed.pk).update(attempts=5, error="SMTPServerDisconnected")
    client.force_login(national_admin)
    body = _text(client.get(reverse("timeline:reminders-admin") + "?status=failed"))
    assert f"{PLAN} ({NEC_NAME})" in body
    assert "SMTPServerDisconnected" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("timeline:reminder-resend", args=[failed.pk]), follow=True)
    assert f"Reminder to {nec_hub_officer} queued again." in _text(response)
    failed.refresh_from_db()
    assert failed.status == ReminderClaim.Status.SENT
    assert AuditEvent.objects.filter(verb="reminder.resent").count() == 1
    missing = reverse("timeline:reminder-resend", args=[failed.pk + 1000])
    assert client.post(missing).status_code == 404


# --- bounded queries ------------------------------------------------------------------------


def _queries(client, url) -> int:
    cache.clear()  # the header's unread count is cached: count its query every time
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(admin, officer, calendar) -> None:
    """A second calendar, more milestones, and records for every hub: groups, plans (NEC's
    submitted), completions and many notifications."""
    services.calendar_roll_forward(by=admin, year=2015)
    for n in range(4):
        services.milestone_add(
            by=admin,
            year=2015,
            title=f"Extra {n}",
            due_on=datetime.date(2015, 7, 1 + n),
            for_hub_staff=True,
            for_ccg_leads=True,
        )
    for hub in Hub.objects.exclude(slug=NEC):
        group = group_services.group_create(
            by=admin,
            hub=hub,
            name=f"{hub.name} group",
            kind="oversight_group",
            start_date=datetime.date(2015, 4, 1),
        )
        plan_services.plan_create(by=admin, group=group, year=2015)
        MilestoneCompletion.objects.create(
            milestone=calendar[CONTRACTING], hub=hub, completed_by=admin
        )
    plan = nec_plan(officer)
    plan_services.plan_submit(by=officer, plan=plan, version=plan.version)
    notify(officer, "Reminder", n=60)


def test_pages_run_bounded_queries(
    client, calendar, national_admin, nec_hub_officer, django_assert_max_num_queries
):
    _grow(national_admin, nec_hub_officer, calendar)
    assert CalendarMilestone.objects.filter(year=2015, archived=False).count() == 14
    assert Hub.objects.count() == 10
    client.force_login(national_admin)
    cache.clear()  # the header's unread count is cached: count its query every time
    for year in (2015, 2016):
        with django_assert_max_num_queries(15):
            response = client.get(reverse("timeline:grid") + f"?year={year}")
        assert _text(response).count('class="nhsuk-tag nhsuk-tag--') == 10 * (
            14 if year == 2015 else 10
        )
    with django_assert_max_num_queries(16):
        client.get(reverse("timeline:hub", args=[NEC]) + "?year=2015")
    client.force_login(nec_hub_officer)
    cache.clear()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("timeline:inbox"))
    assert _text(response).count("Reminder</a>") == 25
    with django_assert_max_num_queries(18):
        response = client.get(reverse("workspace:my-work"))
    assert f"{PLAN}</a>" not in _text(response)  # submitted: done
    assert "Extra 3</a>" in _text(response)


def test_query_counts_do_not_grow_with_the_data(client, calendar, national_admin, nec_hub_officer):
    notify(nec_hub_officer, "Reminder")
    pages = [
        reverse("timeline:grid") + "?year=2015",
        reverse("timeline:hub", args=[NEC]) + "?year=2015",
    ]
    client.force_login(national_admin)
    small = [_queries(client, url) for url in pages]
    client.force_login(nec_hub_officer)
    small += [_queries(client, reverse("timeline:inbox"))]
    small += [_queries(client, reverse("workspace:my-work"))]
    _grow(national_admin, nec_hub_officer, calendar)
    client.force_login(national_admin)
    big = [_queries(client, url) for url in pages]
    client.force_login(nec_hub_officer)
    big += [_queries(client, reverse("timeline:inbox") + "?page=2")]
    big += [_queries(client, reverse("workspace:my-work"))]
    assert big == small


def test_my_work_lists_your_open_deadlines(
    client, calendar, nec_hub_officer, sunderland_lead, london_hub_officer, roleless_user
):
    notify(nec_hub_officer, "Overdue since 8 May 2015: plan")
    client.force_login(nec_hub_officer)
    body = _text(client.get(reverse("workspace:my-work")))
    deadlines = re.search(r'<ul class="nhsuk-list" id="deadlines">(.*?)</ul>', body, re.S).group(1)
    assert re.search(rf"Overdue</strong> <a href=\"[^\"]+\">{PLAN}</a> \({NEC_NAME}\)", deadlines)
    assert "Ready for the first peer review" in deadlines
    assert "CCG priority proposals submitted" not in deadlines  # CCG leads' to meet
    assert "Overdue since 8 May 2015: plan</a>" in body

    client.force_login(sunderland_lead)
    body = _text(client.get(reverse("workspace:my-work")))
    assert re.search(
        r"Overdue</strong> <a [^>]+>CCG priority proposals submitted</a> \(NHS Sunderland CCG\)",
        body,
    )
    assert "Overdue since 8 May 2015: plan" not in body

    client.force_login(london_hub_officer)
    body = _text(client.get(reverse("workspace:my-work")))
    assert f"{PLAN}</a> (London)" in body
    assert NEC_NAME not in body

    client.force_login(roleless_user)
    assert 'id="deadlines"' not in _text(client.get(reverse("workspace:my-work")))


def test_a_year_no_calendar_may_have_is_not_found(client, calendar, national_admin):
    client.force_login(national_admin)
    before = CalendarMilestone.objects.count()
    good = {"title": "x", "due_on": "1900-07-01", "for_hub_staff": "on", "satisfied_by": "manual"}
    for year in (1900, 99999):
        assert client.get(reverse("timeline:calendar", args=[year])).status_code == 404
        add = reverse("timeline:milestone-add", args=[year])
        assert client.post(add, good).status_code == 404
        assert client.post(reverse("timeline:calendar-seed", args=[year])).status_code == 404
    roll = reverse("timeline:calendar-roll-forward", args=[2100])
    assert client.post(roll).status_code == 404
    assert CalendarMilestone.objects.count() == before


def test_reminder_rules_are_tuned_in_the_admin_by_national_admins(
    client, national_admin, nec_hub_officer
):
    from timeline.models import ReminderRule

    rule = ReminderRule.objects.get(kind=ReminderRule.Kind.OVERDUE)
    url = reverse("admin:timeline_reminderrule_change", args=[rule.pk])
    client.force_login(nec_hub_officer)
    assert client.get(url).status_code == 302  # to the admin's sign-in: not theirs
    client.force_login(national_admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": rule.name,
            "kind": rule.kind,
            "working_days": 7,
            "essential": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.working_days == 7
    change = rule.history.first()
    assert (change.working_days, change.history_user) == (7, national_admin)
    delete = reverse("admin:timeline_reminderrule_delete", args=[rule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ReminderRule.objects.filter(pk=rule.pk).exists()
