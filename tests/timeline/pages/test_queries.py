"""Timeline pages: bounded queries on the grid, a hub's timeline, the inbox and My work, and
what else those pages list."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs.models import Hub
from priorities import services as plan_services
from tests.factories import make_group
from tests.timeline.pages.helpers import CONTRACTING, NEC, NEC_NAME, PLAN, _text, nec_plan, notify
from timeline import services
from timeline.models import CalendarMilestone, MilestoneCompletion

pytestmark = pytest.mark.django_db


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
        group = make_group(by=admin, hub=hub, name=f"{hub.name} group")
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
        response = client.get(reverse("accounts:my-work"))
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
    small += [_queries(client, reverse("accounts:my-work"))]
    _grow(national_admin, nec_hub_officer, calendar)
    client.force_login(national_admin)
    big = [_queries(client, url) for url in pages]
    client.force_login(nec_hub_officer)
    big += [_queries(client, reverse("timeline:inbox") + "?page=2")]
    big += [_queries(client, reverse("accounts:my-work"))]
    assert big == small


def test_my_work_lists_your_open_deadlines(
    client, calendar, nec_hub_officer, sunderland_lead, london_hub_officer, roleless_user
):
    notify(nec_hub_officer, "Overdue since 8 May 2015: plan")
    client.force_login(nec_hub_officer)
    body = _text(client.get(reverse("accounts:my-work")))
    deadlines = re.search(r'<ul class="nhsuk-list" id="deadlines">(.*?)</ul>', body, re.S).group(1)
    assert re.search(rf"Overdue</strong> <a href=\"[^\"]+\">{PLAN}</a> \({NEC_NAME}\)", deadlines)
    assert "Ready for the first peer review" in deadlines
    assert "CCG priority proposals submitted" not in deadlines  # CCG leads' to meet
    assert "Overdue since 8 May 2015: plan</a>" in body

    client.force_login(sunderland_lead)
    body = _text(client.get(reverse("accounts:my-work")))
    assert re.search(
        r"Overdue</strong> <a [^>]+>CCG priority proposals submitted</a> \(NHS Sunderland CCG\)",
        body,
    )
    assert "Overdue since 8 May 2015: plan" not in body

    client.force_login(london_hub_officer)
    body = _text(client.get(reverse("accounts:my-work")))
    assert f"{PLAN}</a> (London)" in body
    assert NEC_NAME not in body

    client.force_login(roleless_user)
    assert 'id="deadlines"' not in _text(client.get(reverse("accounts:my-work")))


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
