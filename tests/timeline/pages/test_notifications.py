"""Timeline pages: each person's own notifications, preferences and calendar feed only, and
the reminders admin."""

import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from commissioning.models import AuditEvent
from tests.timeline.pages.helpers import CONTRACTING, NEC, NEC_NAME, PLAN, _text, claim, notify
from timeline.models import CalendarFeed, Notification, NotificationPreference, ReminderClaim

pytestmark = pytest.mark.django_db


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
    body = _text(client.get(reverse("accounts:my-work")))
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
