"""History pages keep the previous text of every changed field and show it as a word diff, read
from the records' simple-history rows (issue 18, finding 2: "minutes changed" but not the old
text)."""

import datetime

import pytest
from django.urls import reverse

from commissioning.audit import events_for
from commissioning.history import with_field_changes
from governance import services as documents
from meetings import services as meetings
from tests.factories import make_group

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2015, 4, 21, 14, 0, tzinfo=datetime.UTC)
FIRST = "Members agreed the renal dialysis priority.\nActions were reviewed and closed."
SECOND = (
    "Members agreed the renal dialysis priority, subject to the finance check.\n"
    "Actions were reviewed; two stay open."
)


@pytest.fixture
def group(nec_hub_officer):
    return make_group(by=nec_hub_officer)


@pytest.fixture
def meeting(group, nec_hub_officer):
    meeting = meetings.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="April meeting",
        starts_at=WHEN,
        location="Durham",
        online=True,
    )
    for minutes in (FIRST, SECOND):
        meeting = meetings.meeting_update(
            by=nec_hub_officer, meeting=meeting, version=meeting.version, minutes=minutes
        )
    return meeting


def test_each_change_carries_its_fields_old_and_new(meeting, django_assert_num_queries):
    events = list(events_for(meeting))
    with django_assert_num_queries(1):  # one query for the meeting's history rows
        events = with_field_changes(events)
    latest, earlier = events[0], events[1]
    assert [c.label for c in latest.field_changes] == ["Minutes"]
    assert latest.field_changes[0].was == FIRST
    assert latest.field_changes[0].now == SECOND
    assert earlier.field_changes[0].was == ""  # long text: kept as it was
    diff = latest.field_changes[0].diff
    assert '<ins class="app-diff__ins">' in diff
    assert "subject to the finance check" in diff
    assert '<del class="app-diff__del">' in diff


def test_meeting_history_shows_the_old_minutes_as_a_diff(client, meeting, nec_hub_officer):
    client.force_login(nec_hub_officer)
    html = client.get(reverse("meetings:meeting-history", args=[meeting.pk])).content.decode()
    assert "Minutes: what changed" in html
    assert "closed." in html.split('<del class="app-diff__del">', 1)[1]  # the old text survives
    assert "two stay open." in html


def test_group_history_shows_terms_of_reference_text_changes(client, group, nec_hub_officer):
    terms = documents.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body="The group meets monthly."
    )
    documents.version_update(
        by=nec_hub_officer,
        version_obj=terms,
        version=terms.version,
        body="The group meets every two months, in public.",
        quorum_min_ccg_members=4,
    )
    client.force_login(nec_hub_officer)
    html = client.get(reverse("workspace:group-history", args=[group.pk])).content.decode()
    assert "monthly." in html.split('<del class="app-diff__del">', 1)[1]
    assert "every two months, in public." in html
    # A short value reads was → now.
    assert "[was: </span>3" in html
    assert "[now: </span>4" in html


def test_history_of_another_hubs_meeting_is_not_found(client, meeting, london_hub_officer):
    client.force_login(london_hub_officer)
    url = reverse("meetings:meeting-history", args=[meeting.pk])
    assert client.get(url).status_code == 404


def test_a_terms_of_reference_page_shows_its_own_text_changes(
    client, group, nec_hub_officer, django_assert_max_num_queries
):
    terms = documents.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body="The group meets monthly."
    )
    documents.version_update(
        by=nec_hub_officer,
        version_obj=terms,
        version=terms.version,
        body="The group meets every two months, in public.",
    )
    client.force_login(nec_hub_officer)
    url = reverse("governance:version-detail", args=[terms.pk])
    html = client.get(url).content.decode()
    history = html.split("<h2>History</h2>")[1]
    # A short text reads was → now; long ones are a word diff (as on the group's history).
    assert "[was: </span>The group meets monthly." in history
    assert "[now: </span>The group meets every two months, in public." in history
