"""The one "which hubs does this person follow" rule: the list and the one-hub question agree,
for every persona and every way of following (issue 12)."""

import pytest

from accounts.permissions import follows_hub, hubs_followed
from hubs.models import Hub

pytestmark = pytest.mark.django_db

WAYS = [("region", "hub", "ccg"), ("region", "hub"), ("region",)]


@pytest.mark.parametrize(
    "persona",
    [
        "national_admin",
        "nec_hub_officer",
        "london_hub_officer",
        "north_reviewer",
        "sunderland_lead",
    ],
)
@pytest.mark.parametrize("through", WAYS)
def test_the_list_and_the_one_hub_question_agree(request, persona, through):
    user = request.getfixturevalue(persona)
    followed = set(hubs_followed(user, through=through))
    for hub in Hub.objects.all():
        assert follows_hub(user, hub, through=through) == (hub in followed), hub


def test_who_follows_what(nec_hub_officer, north_reviewer, sunderland_lead, national_admin):
    nec = Hub.objects.get(slug="north-east-and-cumbria")
    assert list(hubs_followed(nec_hub_officer)) == [nec]
    assert list(hubs_followed(nec_hub_officer, through=("region",))) == []
    assert list(hubs_followed(sunderland_lead)) == [nec]  # through their CCG
    assert list(hubs_followed(sunderland_lead, through=("region", "hub"))) == []
    north = set(hubs_followed(north_reviewer, through=("region",)))
    assert nec in north
    assert all(h.region_id == nec.region_id for h in north)
    assert hubs_followed(national_admin).count() == Hub.objects.count()
