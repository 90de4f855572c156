"""Dates within a sensible range (issue 14, probe finding 6): a meeting within the group's life
and at most five years ahead, a member from 1 April 2013, an export "on" a day between
1 April 2013 and a year from today. Refused beside the field on the page and in the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exports.models import Export
from meetings.models import Meeting
from oversight.models import GroupMember
from tests.factories import make_group

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"


@pytest.fixture
def group(nec_hub_officer):
    return make_group(by=nec_hub_officer)


def test_a_meeting_in_9999_is_refused_beside_the_field_and_by_the_api(
    client, api_client, group, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    url = reverse("meetings:meeting-create", args=[group.pk])
    page = client.post(url, {"title": "Far", "starts_at": "9999-04-21T14:00", "location": "Durham"})
    html = page.content.decode()
    assert 'id="id_starts_at_error"' in html
    assert "no more than 5 years ahead" in html
    api_client.force_authenticate(nec_hub_officer)
    body = {"group": group.pk, "title": "Far", "location": "Durham"}
    refused = api_client.post(
        "/api/v1/meetings/", {**body, "starts_at": "9999-05-19T14:00:00Z"}, format="json"
    )
    assert refused.status_code == 400
    assert "no more than 5 years ahead" in refused.json()["starts_at"][0]
    assert not Meeting.objects.exists()
    soon = (timezone.now() + datetime.timedelta(days=365 * 4)).strftime("%Y-%m-%dT14:00:00Z")
    assert (
        api_client.post("/api/v1/meetings/", {**body, "starts_at": soon}, format="json").status_code
        == 201
    )


def test_a_member_from_year_1_is_refused_beside_the_field_and_by_the_api(
    client, api_client, group, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    member = {
        "full_name": "Cllr Jo Bell",
        "organisation": "Sunderland City Council",
        "sector": "local_authority",
        "role": "member",
        "voting": "no",
    }
    page = client.post(
        reverse("oversight:member-add", args=[group.pk]), {**member, "start_date": "0001-01-01"}
    )
    html = page.content.decode()
    assert 'id="id_start_date_error"' in html
    assert "on or after 1 April 2013" in html
    api_client.force_authenticate(nec_hub_officer)
    body = {**member, "group": group.pk, "voting": False}
    refused = api_client.post(
        "/api/v1/group-members/", {**body, "start_date": "0001-01-01"}, format="json"
    )
    assert refused.status_code == 400
    assert "on or after 1 April 2013" in refused.json()["start_date"][0]
    assert not GroupMember.objects.exists()
    made = api_client.post(
        "/api/v1/group-members/", {**body, "start_date": "2013-04-01"}, format="json"
    )
    assert made.status_code == 201


def test_an_export_on_year_1_is_refused_by_the_form_and_the_api(
    client, api_client, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    page = client.post(
        reverse("exports:hub-footprint"), {"hub": NEC, "on": "0001-01-01"}, follow=True
    )
    assert "Enter a date on or after 1 April 2013" in page.content.decode()
    api_client.force_authenticate(nec_hub_officer)
    for day, message in [
        ("0001-01-01", "on or after 1 April 2013"),
        ("9999-01-01", "no more than a year ahead"),
    ]:
        refused = api_client.post("/api/v1/exports/", {"hub": NEC, "on": day}, format="json")
        assert refused.status_code == 400
        assert message in refused.json()["on"][0]
    assert not Export.objects.exists()
    made = api_client.post("/api/v1/exports/", {"hub": NEC, "on": "2013-04-01"}, format="json")
    assert made.status_code == 201
