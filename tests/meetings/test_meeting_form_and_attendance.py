"""Issue 18, findings 5 and 9: the meeting form's hints agree with its rules and its date box
takes the NHS date style; attendance offers "mark everyone else absent", links each member left
out, says "Error: " in the title, and a new meeting says attendance is not taken yet."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.forms import parse_meeting_time
from meetings.models import Attendance, Meeting

from .test_meetings import group, meeting, roster  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "21 April 2015 at 2pm",
        "21 april 2015 at 2:00pm",
        "21 Apr 2015 14:00",
        "21/4/2015 14:00",
        "21/04/2015 at 2 pm",
        "2015-04-21T14:00",
    ],
)
def test_meeting_times_are_read_as_people_type_them(typed):
    expected = datetime.datetime(2015, 4, 21, 14, 0, tzinfo=timezone.get_current_timezone())
    assert parse_meeting_time(typed) == expected


@pytest.mark.parametrize(
    "typed", ["31 April 2015 at 2pm", "21 Aprilx 2015 2pm", "21/4/2015 13pm", "soon"]
)
def test_a_time_that_is_not_real_is_refused(typed):
    assert parse_meeting_time(typed) is None


def test_the_meeting_form_hints_match_its_rules(client, group, nec_hub_officer):  # noqa: F811
    client.force_login(nec_hub_officer)
    url = reverse("meetings:meeting-create", args=[group.pk])
    page = client.get(url).content.decode()
    assert "For example, 21 April 2015 at 2pm" in page
    assert 'type="datetime-local"' not in page
    assert "tick “Online” above" in page
    # Empty place, not online: refused beside the place, with what to do; nothing saved.
    bad = client.post(url, {"title": "April", "starts_at": "21 April 2015 at 2pm", "location": ""})
    assert 'id="id_location_error"' in bad.content.decode()
    assert "tick “Online”" in bad.content.decode()
    assert not Meeting.objects.exists()
    # Online only: no place needed; the date as the hint shows it is accepted.
    made = client.post(
        url, {"title": "April", "starts_at": "21 April 2015 at 2pm", "location": "", "online": "on"}
    )
    made_meeting = Meeting.objects.get()
    assert made["Location"] == made_meeting.get_absolute_url()
    assert (
        timezone.localtime(made_meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2015-04-21 14:00"
    )
    edit = client.get(reverse("meetings:meeting-edit", args=[made_meeting.pk])).content.decode()
    assert 'value="21 April 2015 at 2pm"' in edit


def test_a_date_that_is_not_real_is_refused_beside_the_field(client, group, nec_hub_officer):  # noqa: F811
    client.force_login(nec_hub_officer)
    bad = client.post(
        reverse("meetings:meeting-create", args=[group.pk]),
        {"title": "April", "starts_at": "31 April 2015 at 2pm", "location": "Leeds"},
    )
    assert 'id="id_starts_at_error"' in bad.content.decode()
    assert not Meeting.objects.exists()


# --- attendance -----------------------------------------------------------------------------


def test_a_new_meeting_says_attendance_is_not_taken_yet(client, meeting, roster, nec_hub_officer):  # noqa: F811
    client.force_login(nec_hub_officer)
    page = client.get(meeting.get_absolute_url()).content.decode()
    heading = re.search(r'id="quorum-heading">([^<]*)<', page)
    assert heading is not None
    assert heading[1] == "Attendance not taken yet"
    assert "Not quorate" not in page


def test_the_rest_are_marked_absent_in_one_step(client, meeting, roster, nec_hub_officer):  # noqa: F811
    client.force_login(nec_hub_officer)
    url = reverse("meetings:attendance-edit", args=[meeting.pk])
    assert "Mark everyone you have not chosen for as absent" in client.get(url).content.decode()
    chair, ruth = roster["chair"], roster["ccg1"]
    response = client.post(
        url, {f"member-{chair.pk}": "present", f"member-{ruth.pk}": "apologies", "rest": "absent"}
    )
    assert response.status_code == 302
    statuses = {a.member_id: a.status for a in Attendance.objects.all()}
    assert statuses[chair.pk] == "present"
    assert statuses[ruth.pk] == "apologies"
    others = [m.pk for k, m in roster.items() if k not in ("chair", "ccg1")]
    assert all(statuses[pk] == "absent" for pk in others)


def test_members_left_out_are_each_linked_from_the_error_summary(
    client,
    meeting,  # noqa: F811
    roster,  # noqa: F811
    nec_hub_officer,
):
    client.force_login(nec_hub_officer)
    url = reverse("meetings:attendance-edit", args=[meeting.pk])
    chair = roster["chair"]
    page = client.post(url, {f"member-{chair.pk}": "present"}).content.decode()
    assert re.search(r"<title>Error: ", page)
    missing = [m for k, m in roster.items() if k != "chair"]
    for member in missing:
        assert f'href="#member-{member.pk}-present"' in page
        assert f"Choose present, apologies or absent for {member.full_name}" in page
    assert f'href="#member-{chair.pk}-present"' not in page
    assert 'value="present" checked' in page  # the choice made is kept
    assert not Attendance.objects.exists()
