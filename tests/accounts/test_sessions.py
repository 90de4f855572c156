"""The idle timeout (issue 19): signed out after SESSION_IDLE_TIMEOUT_MINUTES without activity,
the last-activity time written at most once a minute, background requests not activity."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import events
from accounts.models import SignIn
from accounts.sessions import LAST_ACTIVITY
from commissioning.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2015, 4, 1, 9, 30, tzinfo=dt.UTC)
MY_WORK = reverse("workspace:my-work")
HUB = reverse("hubs:overview")


def _session_writes(queries) -> int:
    return sum(
        1
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, sunderland_lead, traveller):
    client.force_login(sunderland_lead)
    return client


def test_idle_29_minutes_is_still_signed_in(signed_in, traveller, sunderland_lead):
    traveller.shift(dt.timedelta(minutes=29))
    response = signed_in.get(MY_WORK)
    assert response.status_code == 200
    assert response.context["user"] == sunderland_lead
    assert not SignIn.objects.filter(outcome=SignIn.Outcome.SESSION_EXPIRED).exists()


def test_idle_31_minutes_signs_out_and_records_it(signed_in, traveller, sunderland_lead):
    traveller.shift(dt.timedelta(minutes=31))
    response = signed_in.get(f"{HUB}?on=2015-04-01")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signed-out"))
    assert "next=%2Fregister%2F%3Fon%3D2015-04-01" in response["Location"]
    assert "_auth_user_id" not in signed_in.session
    expired = SignIn.objects.get(outcome=SignIn.Outcome.SESSION_EXPIRED)
    assert expired.user == sunderland_lead
    event = AuditEvent.objects.get(verb=events.SIGNIN_SESSION_EXPIRED)
    assert event.actor == sunderland_lead
    assert event.target_id == str(expired.pk)
    page = signed_in.get(response["Location"])
    assert b"You have been signed out" in page.content
    assert b"30 minutes" in page.content
    assert b"next=%2Fregister%2F%3Fon%3D2015-04-01" in page.content


def test_activity_moves_the_end(signed_in, traveller):
    for _ in range(3):  # three times 20 minutes of use, never 30 idle
        traveller.shift(dt.timedelta(minutes=20))
        assert signed_in.get(MY_WORK).status_code == 200


def test_the_session_is_written_at_most_once_a_minute(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as first:
        signed_in.get(MY_WORK)
    assert _session_writes(first.captured_queries) == 1
    for seconds in (10, 20, 29):  # 59 seconds after the write
        traveller.shift(dt.timedelta(seconds=seconds))
        with CaptureQueriesContext(connection) as later:
            signed_in.get(MY_WORK)
        assert _session_writes(later.captured_queries) == 0
    traveller.shift(dt.timedelta(seconds=1))  # a minute after the write
    with CaptureQueriesContext(connection) as again:
        signed_in.get(MY_WORK)
    assert _session_writes(again.captured_queries) == 1


def test_background_polling_is_not_activity(signed_in, traveller):
    for _ in range(4):
        traveller.shift(dt.timedelta(minutes=8))
        signed_in.get(MY_WORK, headers={"X-Background": "poll"})
    assert "_auth_user_id" not in signed_in.session  # 32 minutes of polling alone


def test_api_answers_401_json_when_the_session_has_ended(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=31))
    response = signed_in.get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Your session has ended")


def test_htmx_is_sent_to_the_signed_out_page(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=31))
    response = signed_in.get(MY_WORK, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("accounts:signed-out"))


def test_stay_signed_in_by_the_dialog_extends_the_session(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=29))
    response = signed_in.post(reverse("accounts:session"), headers={"Accept": "application/json"})
    assert response.json() == {"seconds_left": 30 * 60}
    traveller.shift(dt.timedelta(minutes=29))
    assert signed_in.get(MY_WORK).status_code == 200


def test_checking_the_time_left_is_not_activity(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=20))
    assert signed_in.get(reverse("accounts:session")).json() == {"seconds_left": 10 * 60}
    traveller.shift(dt.timedelta(minutes=11))
    assert signed_in.get(reverse("accounts:session")).status_code == 401


def test_pages_without_javascript_refresh_to_the_warning(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=5))  # writes: 30 minutes left from here
    html = signed_in.get(HUB).content.decode()
    assert (
        '<noscript><meta http-equiv="refresh" content="1680;'
        'url=/accounts/session-ending/?next=%2Fregister%2F"></noscript>' in html
    )
    assert 'data-seconds-left="1800"' in html
    assert 'data-warning-seconds="120"' in html


def test_the_warning_page_and_stay_signed_in_without_javascript(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=28))
    page = signed_in.get(reverse("accounts:session-ending"), {"next": HUB})
    html = page.content.decode()
    assert "You will be signed out soon" in html
    assert "We will sign you out in 2 minutes to protect your information." in html
    assert 'content="121;url=/accounts/signed-out/?next=%2Fregister%2F"' in html
    assert html.count('http-equiv="refresh"') == 1  # its own refresh, not the pages' one
    back = signed_in.post(reverse("accounts:session"), {"next": HUB})
    assert back.status_code == 302
    assert back["Location"] == HUB
    traveller.shift(dt.timedelta(minutes=29))
    assert signed_in.get(MY_WORK).status_code == 200


def test_stay_signed_in_never_goes_to_another_site(signed_in):
    back = signed_in.post(reverse("accounts:session"), {"next": "https://evil.example/"})
    assert back["Location"] == MY_WORK


def test_looking_at_the_warning_page_is_not_activity(signed_in, traveller):
    for _ in range(4):
        traveller.shift(dt.timedelta(minutes=8))
        signed_in.get(reverse("accounts:session-ending"), {"next": HUB})
    assert "_auth_user_id" not in signed_in.session


def test_signed_out_page_sends_someone_still_signed_in_back(signed_in):
    response = signed_in.get(reverse("accounts:signed-out"), {"next": HUB})
    assert response["Location"] == HUB


def test_signed_out_page_after_expiry_keeps_next(signed_in, traveller):
    traveller.shift(dt.timedelta(minutes=31))
    page = signed_in.get(reverse("accounts:signed-out"), {"next": HUB})
    assert page.status_code == 200
    assert f'href="{reverse("accounts:login")}?next=%2Fregister%2F"'.encode() in page.content
    assert SignIn.objects.filter(outcome=SignIn.Outcome.SESSION_EXPIRED).count() == 1


def test_the_timeout_can_be_turned_off(signed_in, traveller, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0
    traveller.shift(dt.timedelta(hours=2))
    html = signed_in.get(MY_WORK).content.decode()
    assert "app-session-timeout" not in html
    assert "http-equiv" not in html


def test_fractions_of_a_minute(signed_in, traveller, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0.5
    traveller.shift(dt.timedelta(seconds=20))
    assert signed_in.get(MY_WORK).status_code == 200
    traveller.shift(dt.timedelta(seconds=31))
    assert signed_in.get(MY_WORK).status_code == 302


def test_a_session_from_before_the_timeout_starts_counting(client, sunderland_lead, traveller):
    client.force_login(sunderland_lead)
    session = client.session
    del session[LAST_ACTIVITY]
    session.save()
    traveller.shift(dt.timedelta(hours=1))
    assert client.get(MY_WORK).status_code == 200


def test_a_form_sent_after_the_end_changes_nothing_and_returns_to_its_page(
    signed_in, traveller, sunderland_lead
):
    traveller.shift(dt.timedelta(minutes=31))
    response = signed_in.post(
        reverse("accounts:logout"), headers={"Referer": "http://testserver/register/?on=2015-04-01"}
    )
    assert response["Location"] == (
        f"{reverse('accounts:signed-out')}?next=%2Fregister%2F%3Fon%3D2015-04-01"
    )
    outcomes = set(SignIn.objects.values_list("outcome", flat=True))
    assert outcomes == {"success", "session_expired"}  # not also "signed_out"
