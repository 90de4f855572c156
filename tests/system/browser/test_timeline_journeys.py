"""Timeline journeys (issue 6), with axe-core on every page visited: a hub officer sees an
overdue milestone and its reminder on My work, opens the notification, completes the record
and the milestone turns done; a regional team member reads the grid; a national admin edits
the planning calendar, opens the reminders log and, from it, the delivery log (issue 14), where
it retries a welcome email that failed."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.models import OutboxItem
from priorities import services as plan_services
from priorities.models import PrioritiesPlan
from tests.factories import make_group
from timeline import services
from timeline.models import CalendarMilestone, Notification, Satisfier
from timeline.reminders import reminders_sweep
from timeline.workdays import WorkingDays

pytestmark = pytest.mark.browser

NEC = "North East and Cumbria"
TITLE = "Draft priorities plan submitted"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def this_year() -> int:
    """The current financial year, by its first calendar year."""
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@pytest.fixture
def overdue(national_admin, nec_hub_officer):
    """This year's hub-staff milestone, done when NEC's plan is submitted, due six working days
    ago; NEC's group and draft plan for the year; the reminder sweep has run."""
    today = timezone.localdate()
    due = WorkingDays(today, today).before(today, 6)
    year = this_year()
    milestone = services.milestone_add(
        by=national_admin,
        year=year,
        title=TITLE,
        description="Each hub submits its plan for peer review.",
        due_on=due,
        for_hub_staff=True,
        satisfied_by=Satisfier.PLAN_SUBMITTED,
    )
    group = make_group(by=nec_hub_officer)
    plan = plan_services.plan_create(by=nec_hub_officer, group=group, year=year)
    reminders_sweep()
    return milestone, plan


def test_hub_officer_follows_a_reminder_and_completes_the_record(
    page, live_server, nec_hub_officer, overdue, sign_in, a11y
):
    milestone, plan = overdue
    reminder = Notification.objects.get(user=nec_hub_officer)
    assert reminder.title.startswith("Overdue since ")
    sign_in(page, nec_hub_officer)
    deadline = page.locator("#deadlines li", has_text=TITLE)
    expect(deadline).to_contain_text("Overdue")
    expect(deadline).to_contain_text(f"({NEC})")
    expect(page.locator("#latest-notifications")).to_contain_text(reminder.title)
    expect(page.locator("#notifications-link")).to_have_text("Notifications 1 unread")

    page.locator("#latest-notifications").get_by_role("link", name=reminder.title).click()
    expect(heading(page)).to_have_text(f"Priorities plan {label(plan.year)}")
    assert page.url == f"{live_server.url}{plan.get_absolute_url()}"
    expect(page.locator("#notifications-link")).to_have_text("Notifications")
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    a11y(page)

    page.get_by_role("link", name="Submit for peer review").click()
    # Issue 18, finding 1: the plan is checked before a version is frozen.
    expect(heading(page)).to_have_text("Check the plan before you submit it for peer review")
    expect(page.locator("#confirm-consequences")).to_contain_text("frozen as version 1")
    a11y.strict(page)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/confirm-submit-plan-{width}.png", full_page=True)  # noqa: S108
        a11y.strict(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Confirm and submit for peer review").click()
    expect(page.locator("#plan-status")).to_have_text("Submitted for peer review")
    a11y(page)
    assert PrioritiesPlan.objects.get(pk=plan.pk).status == PrioritiesPlan.Status.SUBMITTED

    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(heading(page)).to_have_text(f"Timeline {label(plan.year)}")
    expect(page.locator("#timeline-grid tbody tr")).to_have_count(1)
    a11y(page)
    page.locator("#timeline-grid").get_by_role("link", name=NEC).click()
    expect(heading(page)).to_have_text(f"{NEC}: timeline {label(plan.year)}")
    # Submitted today, after its due date: done late, with the day (seed 000 §4.1, issue 13).
    today = timezone.localdate()
    expect(page.locator(f"#state-{milestone.pk}")).to_have_text(
        f"Done late ({today.day} {today:%B %Y})"
    )
    a11y(page)

    page.get_by_role("link", name="My work", exact=True).click()
    expect(page.locator("#deadlines li", has_text=TITLE)).to_have_count(0)
    page.get_by_role("link", name="Notifications").click()
    expect(heading(page)).to_have_text("Notifications")
    expect(page.locator("#notifications")).to_contain_text(reminder.title)
    expect(page.locator("#notifications")).not_to_contain_text("Unread")
    a11y(page)


def test_regional_team_reads_the_grid(
    page, live_server, north_reviewer, nec_hub_officer, overdue, sign_in, a11y
):
    milestone, _ = overdue
    sign_in(page, north_reviewer)
    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(heading(page)).to_have_text(f"Timeline {label(this_year())}")
    rows = page.locator("#timeline-grid tbody tr")
    expect(rows).to_have_count(3)
    for hub in (NEC, "North West", "Yorkshire and Humber"):
        expect(rows.filter(has_text=hub)).to_contain_text("Overdue")
    expect(page.locator("#timeline-grid")).not_to_contain_text("London")
    expect(page.get_by_role("link", name="reminders sent and scheduled")).to_have_count(0)
    a11y(page)
    page.get_by_role("link", name="The year's planning calendar").click()
    expect(heading(page)).to_have_text(f"Planning calendar {label(this_year())}")
    expect(page.locator(f"#milestone-{milestone.pk}")).to_contain_text(TITLE)
    expect(page.get_by_role("link", name="Add a milestone")).to_have_count(0)
    a11y(page)
    page.go_back()
    page.locator("#timeline-grid").get_by_role("link", name="Yorkshire and Humber").click()
    expect(heading(page)).to_have_text(f"Yorkshire and Humber: timeline {label(this_year())}")
    expect(page.locator(f"#state-{milestone.pk}")).to_have_text("Overdue")
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    a11y(page)


def test_national_admin_edits_the_calendar_and_reads_the_reminders_log(
    page, live_server, national_admin, nec_hub_officer, overdue, sign_in, a11y
):
    year = this_year()
    sign_in(page, national_admin)
    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(page.locator("#timeline-grid tbody tr")).to_have_count(10)
    a11y(page)
    page.get_by_role("link", name="The year's planning calendar").click()
    expect(heading(page)).to_have_text(f"Planning calendar {label(year)}")
    a11y(page)
    page.get_by_role("link", name="Add a milestone").click()
    expect(heading(page)).to_have_text(f"Add a milestone to {label(year)}")
    a11y(page)
    page.get_by_label("Title").fill("Regional assurance meeting")
    page.get_by_label("Due by").fill(f"{year + 1}-05-01")
    page.get_by_label("Concerns regional teams").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_due_on_error")).to_contain_text(
        f"The due date must fall between 1 January {year} and 31 March {year + 1}."
    )
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The due date must fall")
    a11y(page)
    assert not CalendarMilestone.objects.filter(title="Regional assurance meeting").exists()
    page.get_by_label("Due by").fill(f"{year + 1}-03-01")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text(f"Planning calendar {label(year)}")
    added = CalendarMilestone.objects.get(title="Regional assurance meeting")
    assert (added.year, added.due_on) == (year, datetime.date(year + 1, 3, 1))
    assert added.for_regional_teams
    expect(page.locator(f"#milestone-{added.pk}")).to_contain_text("Regional teams")
    a11y(page)

    page.get_by_role("link", name="Timeline", exact=True).click()
    page.get_by_role("link", name="reminders sent and scheduled").click()
    expect(heading(page)).to_have_text("Reminders")
    expect(page.locator("#reminders")).to_contain_text(f"{TITLE} ({NEC})")
    expect(page.locator("#reminders")).to_contain_text("Helen Carter")
    a11y(page)

    # The delivery log: a welcome email failed (the mail server refused it five times).
    failed = OutboxItem.objects.create(
        key=f"welcome:{nec_hub_officer.pk}",
        task="accounts.tasks.user_send_welcome",
        args=[nec_hub_officer.pk],
        label=f"Welcome email to {nec_hub_officer}",
        state=OutboxItem.State.FAILED,
        attempts=6,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
        next_attempt_at=timezone.now(),
        changed_at=timezone.now(),
    )
    page.reload()
    expect(page.locator("#delivery-summary")).to_contain_text("1 stuck")
    page.locator("#delivery-summary").get_by_role("link", name="See the delivery log").click()
    expect(heading(page)).to_have_text("Delivery log")
    expect(page.locator("#delivery")).to_contain_text("SMTPRecipientsRefused")
    a11y.strict(page)
    page.locator("#delivery").get_by_role("button", name="Retry now").click()
    expect(page.get_by_text(f"Welcome email to {nec_hub_officer}: queued again.")).to_be_visible()
    a11y.strict(page)
    failed.refresh_from_db()
    assert failed.state == OutboxItem.State.DONE  # the test's Celery runs tasks at once
    page.get_by_role("link", name="Done: 1").click()
    expect(page.locator("#delivery")).to_contain_text(f"Welcome email to {nec_hub_officer}")
    a11y.strict(page)
