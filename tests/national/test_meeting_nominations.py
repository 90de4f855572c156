"""A nomination is a decision of the meeting that made it (issue 17, "What to build" 2: "the
group nominates (recorded as a recommendation/decision of a meeting)"): the meeting's page lists
the nominations made at it with their state, and the meeting's history has their events."""

import datetime

import pytest
from django.urls import reverse

from national import services

pytestmark = pytest.mark.django_db


def test_the_meeting_page_lists_its_nominations_and_their_decisions(
    client, nec_hub_officer, national_admin, nomination
):
    client.force_login(nec_hub_officer)
    page = client.get(nomination.meeting.get_absolute_url()).text
    assert "Nominations to Clinical Reference Groups" in page
    assert "Dr Priya Nair" in page
    assert "Awaiting decision" in page
    assert reverse("national:index") in page  # the group runs the meeting: where to nominate

    services.nomination_decline(
        by=national_admin, nomination=nomination, version=1, reason="Two from <b>NEC</b>"
    )
    page = client.get(nomination.meeting.get_absolute_url() + "?seen=1").text
    assert "Declined (Two from &lt;b&gt;NEC&lt;/b&gt;)" in page

    history = client.get(reverse("meetings:meeting-history", args=[nomination.meeting.pk])).text
    assert "Clinician nominated to a CRG seat" in history
    assert "Nomination declined" in history


def test_a_meeting_without_nominations_says_so_only_to_those_who_run_it(
    client, nec_hub_officer, north_reviewer, nec_meeting
):
    client.force_login(nec_hub_officer)
    assert "None from this meeting." in client.get(nec_meeting.get_absolute_url()).text
    client.force_login(north_reviewer)
    page = client.get(nec_meeting.get_absolute_url()).text
    assert "Nominations to Clinical Reference Groups" not in page


def test_the_meeting_page_reads_its_nominations_in_one_query(
    client, nec_hub_officer, nec_meeting, north_seat, django_assert_max_num_queries
):
    from .conftest import nominate

    client.force_login(nec_hub_officer)
    url = nec_meeting.get_absolute_url()
    nominate(north_seat, nec_meeting, nec_hub_officer)
    with django_assert_max_num_queries(60) as one:
        client.get(url + "?n=1")
    for year in (2019, 2021):
        nominate(
            north_seat,
            nec_meeting,
            nec_hub_officer,
            term_start=datetime.date(year, 4, 1),
            term_end=datetime.date(year + 2, 3, 31),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url + "?n=3")
