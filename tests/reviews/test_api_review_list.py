"""The peer review list's shape: 20 reviews a page unless asked for more, and each panel place
exactly as DRF's declared fields would write it (the serializer reads the row directly)."""

import datetime

import pytest
from rest_framework import serializers

from hubs.models import Hub
from reviews import selectors, services
from reviews.api.serializers import PanelPlaceSerializer
from reviews.models import PeerReview, ReviewCycle, Reviewer

from .api_helpers import PANEL, REVIEWS, _as
from .conftest import accept

pytestmark = pytest.mark.django_db


def _generic(place: Reviewer) -> dict:
    """The place as DRF's generic path writes it from the declared fields."""
    return dict(serializers.ModelSerializer.to_representation(PanelPlaceSerializer(), place))


def test_panel_place_output_is_the_declared_fields(panel, wessex_officer):
    lead, member = panel
    accept(lead, wessex_officer)  # one answered (responded_at set), one still invited
    for place in Reviewer.objects.filter(pk__in=[lead.pk, member.pk]):
        expected = _generic(place)
        assert list(expected) == PanelPlaceSerializer.Meta.fields
        assert PanelPlaceSerializer(place).data == expected
        read_for_the_list = selectors.panel_rows().get(pk=place.pk)
        assert PanelPlaceSerializer(read_for_the_list).data == expected
    assert any(_generic(p)["responded_at"] for p in Reviewer.objects.filter(pk=lead.pk))


def test_review_list_panel_matches_the_panel_endpoint(api_client, panel, north_reviewer):
    review = panel[0].review
    client = _as(api_client, north_reviewer)
    listed = client.get(REVIEWS).json()["results"]
    (row,) = [r for r in listed if r["id"] == review.pk]
    places = client.get(PANEL, {"review": review.pk}).json()["results"]
    assert sorted(row["panel"], key=lambda p: p["id"]) == sorted(places, key=lambda p: p["id"])


def test_review_list_pages_by_20_unless_asked(api_client, national_admin):
    for year in (2015, 2016, 2017):
        cycle = services.cycle_create(
            by=national_admin,
            year=year,
            kind=ReviewCycle.Kind.FIRST,
            opens_on=datetime.date(year, 4, 1),
            closes_on=datetime.date(year, 5, 31),
        )
        for hub in Hub.objects.order_by("name")[:8]:
            PeerReview.objects.create(cycle=cycle, hub=hub, readiness={})
    client = _as(api_client, national_admin)
    first = client.get(REVIEWS).json()
    assert (first["count"], len(first["results"])) == (24, 20)
    assert "offset=20" in first["next"]
    assert len(client.get(first["next"]).json()["results"]) == 4
    assert len(client.get(REVIEWS, {"limit": 50}).json()["results"]) == 24
