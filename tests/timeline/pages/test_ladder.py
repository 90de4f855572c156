"""Timeline pages: the permission ladder for every page (the wrong person gets 403 or 404,
never data), and the grid showing only the hubs each person follows."""

import pytest
from django.urls import reverse

from hubs.models import Hub
from tests.timeline.pages.helpers import (
    CONTRACTING,
    NEC,
    NEC_NAME,
    PERSONAS,
    PLAN,
    _pages,
    _text,
    claim,
    notify,
)
from timeline.models import MilestoneCompletion, Notification

pytestmark = pytest.mark.django_db


# Who gets what on each page (200 sees it, 403 may not use it, 404 may not know it exists). The
# London hub officer follows only London: North East and Cumbria's timeline is 404 to them.
READER = {"grid": 200, "hub": 200, "calendar": 200, "inbox": 200, "preferences": 200}
NOT_ADMIN = {"add": 403, "edit": 403, "reminders": 403}
PAGE_LADDER = {
    "roleless_user": {
        "grid": 403,
        "hub": 404,
        "calendar": 403,
        "inbox": 200,
        "preferences": 200,
        **NOT_ADMIN,
    },
    "london_hub_officer": {**READER, "hub": 404, **NOT_ADMIN},
    "sunderland_lead": {**READER, **NOT_ADMIN},
    "nec_hub_officer": {**READER, **NOT_ADMIN},
    "north_reviewer": {**READER, **NOT_ADMIN},
    "national_admin": {**READER, "add": 200, "edit": 200, "reminders": 200},
}


def test_anonymous_is_sent_to_sign_in(client, calendar, nec_hub_officer):
    urls = [
        *_pages(calendar).values(),
        reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk]),
        reverse("timeline:calendar-roll-forward", args=[2015]),
        reverse("timeline:calendar-seed", args=[2017]),
        reverse("timeline:read-all"),
        reverse("timeline:notification-open", args=[notify(nec_hub_officer, "Hi")[0].pk]),
        reverse("timeline:reminder-resend", args=[claim(nec_hub_officer).pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))
    assert not MilestoneCompletion.objects.exists()
    assert Notification.objects.get(user=nec_hub_officer).read_at is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_timeline_pages_ladder(client, request, calendar, persona):
    user = request.getfixturevalue(persona)
    pages = _pages(calendar)
    client.force_login(user)
    for page, expected in PAGE_LADDER[persona].items():
        response = client.get(pages[page])
        assert response.status_code == expected, (persona, page, response.status_code)
        if expected != 200:
            assert PLAN not in _text(response)


def test_the_grid_shows_only_the_hubs_you_follow(
    client, calendar, london_hub_officer, north_reviewer, sunderland_lead, national_admin
):
    grid = reverse("timeline:grid") + "?year=2015"
    seen = {}
    for user in (london_hub_officer, north_reviewer, sunderland_lead, national_admin):
        client.force_login(user)
        body = _text(client.get(grid))
        seen[user.email] = {
            name for name in Hub.objects.values_list("name", flat=True) if f">{name}</a>" in body
        }
    assert seen[london_hub_officer.email] == {"London"}
    assert seen[north_reviewer.email] == {NEC_NAME, "North West", "Yorkshire and Humber"}
    assert seen[sunderland_lead.email] == {NEC_NAME}
    assert len(seen[national_admin.email]) == 10
    assert "reminders sent and scheduled</a>" in _text(client.get(grid))
    client.force_login(north_reviewer)
    assert "reminders sent and scheduled" not in _text(client.get(grid))
