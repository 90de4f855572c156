"""Oversight at a glance: content, sorting, CSV, access and bounded queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from governance import services as governance
from hubs.models import CCG, Hub
from meetings.models import Action, Meeting, Recommendation
from oversight import services
from oversight.models import CCGMembership
from tests.scale import populate_country

pytestmark = pytest.mark.django_db

URL = reverse("workspace:oversight-glance")
START = datetime.date(2015, 4, 1)
WHEN = datetime.datetime(2015, 4, 21, 14, tzinfo=datetime.UTC)


@pytest.fixture
def nec_group(nec_hub_officer):
    group = services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC Group",
        kind="oversight_group",
        start_date=START,
    )
    services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code=c) for c in ("00P", "00L")]
    )
    for ods in ("00P", "00L"):
        place = CCGMembership.objects.get(group=group, ccg__ods_code=ods)
        services.membership_respond(
            by=nec_hub_officer, membership=place, version=place.version, answer="accept"
        )
    terms = governance.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body="Terms"
    )
    governance.version_agree(
        by=nec_hub_officer,
        version_obj=terms,
        version=terms.version,
        agreed_on=datetime.date(2015, 4, 21),
        agreed_at_meeting="April",
    )
    meeting = Meeting.objects.create(
        group=group, title="April", starts_at=WHEN, location="Durham", status=Meeting.Status.HELD
    )
    Recommendation.objects.create(meeting=meeting, title="R", detail="D", made_on=START)
    Action.objects.create(
        meeting=meeting, description="Overdue", owner="Helen", due_date=datetime.date(2015, 5, 1)
    )
    return group


@pytest.mark.parametrize(
    "persona", ["roleless_user", "sunderland_lead", "nec_hub_officer", "london_hub_officer"]
)
def test_only_regions_and_national_admins_see_it(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, register):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))


def test_regional_team_sees_its_hubs(client, nec_group, north_reviewer):
    client.force_login(north_reviewer)
    rows = client.get(URL).context["rows"]
    assert [r.hub.slug for r in rows] == [
        "north-east-and-cumbria",
        "north-west",
        "yorkshire-and-humber",
    ]
    nec = rows[0]
    assert nec.group == nec_group
    assert nec.terms_agreed == datetime.date(2015, 4, 21)
    assert nec.agreement_agreed is None
    assert (nec.covered, nec.footprint, nec.coverage_percent) == (2, 11, 18)
    assert nec.last_meeting == WHEN
    assert (nec.open_recommendations, nec.overdue_actions) == (1, 1)
    assert rows[1].group is None


def test_sorting_and_csv(client, nec_group, national_admin):
    client.force_login(national_admin)
    rows = client.get(URL, {"sort": "coverage", "order": "desc"}).context["rows"]
    assert len(rows) == 10
    assert rows[0].hub.slug == "north-east-and-cumbria"
    page = client.get(URL, {"sort": "coverage", "order": "desc"}).content.decode()
    assert 'aria-sort="descending"' in page
    response = client.get(URL, {"format": "csv", "sort": "hub"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["Region", "Hub", "Group"]
    assert len(table) == 11
    nec = next(row for row in table if row[1] == "North East and Cumbria")
    assert nec[2:6] == ["NEC Group", "2015-04-21", "", "18"]


def test_queries_are_bounded(client, national_admin, django_assert_max_num_queries):
    populate_country(ccgs=30, members=12, meetings=20)
    client.force_login(national_admin)
    with django_assert_max_num_queries(14):
        rows = client.get(URL).context["rows"]
    assert all(r.open_recommendations == 20 and r.members == 12 for r in rows)
    with django_assert_max_num_queries(14):
        client.get(URL, {"format": "csv"})
