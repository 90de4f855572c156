"""Timeline pages: each person's own notifications and calendar feed only, the reminders log,
and bounded queries on the grid, a hub's timeline, the inbox and My work."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from commissioning.models import AuditEvent
from hubs.models import Hub
from oversight import services as group_services
from priorities import services as plan_services
from tests.conftest import cache_clear
from tests.timeline.timeline_pages import (  # noqa: F401 (page_day, seeded_calendar: fixtures)
    CONTRACTING,
    NEC,
    NEC_NAME,
    PLAN,
    _text,
    claim,
    nec_plan,
    notify,
    page_day,
    seeded_calendar,
)
from timeline import services
from timeline.models import (
    CalendarFeed,
    CalendarMilestone,
    MilestoneCompletion,
    Notification,
    NotificationPreference,
    ReminderClaim,
)
from timeline.status import records_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_day")]


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
    cache_clear()  # the header's unread count is cached: count its query every time
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
    assert CalendarMilestone.objects.filter(year=2015, archived=False).count() == 15
    assert Hub.objects.count() == 10
    client.force_login(national_admin)
    cache_clear()  # the header's unread count is cached: count its query every time
    # The records that meet milestones include engagement meetings, governance drafts and
    # the hubs' CCGs open on the milestones' dates (seed 000 §4.1): one query since issue 20.
    for year in (2015, 2016):
        with django_assert_max_num_queries(8):
            response = client.get(reverse("timeline:grid") + f"?year={year}")
        assert _text(response).count('class="nhsuk-tag nhsuk-tag--') == 10 * (
            15 if year == 2015 else 11
        )
    with django_assert_max_num_queries(10):  # and the hub's meetings with its CCGs
        client.get(reverse("timeline:hub", args=[NEC]) + "?year=2015")
    client.force_login(nec_hub_officer)
    cache_clear()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("timeline:inbox"))
    assert _text(response).count("Reminder</a>") == 25
    # And the ideas they follow, the consultations they answer (issue 17), and the next step
    # on their group's latest plan (issue 18: one query, whatever the plans and proposals).
    with django_assert_max_num_queries(13):  # issue 20: at most 15 on any first view
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
    # Seed 000 §4.1.1: the group from 1 April and the co-design are hub staff's too; the April
    # proposals are the regional team's and CCGs'; the guidance is nobody's to be overdue for.
    assert "Oversight group in each hub</a>" in deadlines
    assert "Co-design of governance and priorities</a>" in deadlines
    assert "Proposals for the collaborative arrangements developed" not in deadlines
    assert "Guidance published" not in deadlines
    assert "Overdue since 8 May 2015: plan</a>" in body

    client.force_login(sunderland_lead)
    body = _text(client.get(reverse("workspace:my-work")))
    assert re.search(
        r"Overdue</strong> <a [^>]+>Co-design of governance and priorities</a> "
        r"\(NHS Sunderland CCG\)",
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


def test_the_records_that_meet_milestones_are_one_query(
    calendar, national_admin, nec_hub_officer, django_assert_num_queries
):
    """Issue 20: plans, versions, groups, meetings, engagement meetings, drafts, proposals,
    reviews, cycles, completions and the hubs' CCGs, one UNION ALL, whatever the data."""
    _grow(national_admin, nec_hub_officer, calendar)
    hubs = list(Hub.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        records = records_for(hubs, {2015, 2016}, {datetime.date(2015, 6, 30)})
    nec = Hub.objects.get(slug=NEC).pk
    assert (nec, 2015) in records.plans
    assert (nec, 2015) in records.submitted
    assert len(records.groups) == len(hubs)
    assert records.completions
    assert records.ccgs[nec]
