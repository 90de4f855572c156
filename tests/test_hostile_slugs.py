"""Hostile slugs and codes never make a 500 (issue 14 §4 and "What to build" §5).

The probe found `POST /exports/hub-footprint/` with `hub=a b` answered 500. Every page form and
API endpoint that takes a slug or an ODS code from the user is sent values that are not one: each
answers 4xx, or the page again (a form shows its error beside the field; a filter shows no rows).
"""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse

from hubs.models import Region
from reviews import services as review_services
from reviews.models import ReviewCycle
from tests.factories import make_group

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"
HOSTILE = [
    "a b",
    "../x",
    "%00",
    "\x00",
    "<script>alert(1)</script>",
    "x" * 300,
    "",
    "no-such-hub",
    "ZZZZZ",  # an ODS code's shape, but no such organisation
]
IDS = ["space", "dotdot", "pct00", "nul", "script", "300", "empty", "unknown", "odsshape"]


@pytest.fixture
def cycle(national_admin) -> ReviewCycle:
    return review_services.cycle_create(
        by=national_admin,
        year=2015,
        kind=ReviewCycle.Kind.FIRST,
        opens_on=datetime.date(2015, 4, 1),
        closes_on=datetime.date(2015, 5, 31),
    )


def _no_5xx(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"


def _form_refused(response, where: str) -> None:
    """A form given a bad slug says so: 4xx, or the form again with the error beside the field."""
    _no_5xx(response, where)
    if response.status_code == 200:
        assert b"nhsuk-error-message" in response.content, f"{where}: no error shown"
    else:
        assert 400 <= response.status_code < 500, f"{where}: {response.status_code}"


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_export_form_refuses_a_hostile_hub(client, nec_hub_officer, value):
    client.force_login(nec_hub_officer)
    response = client.post(reverse("exports:hub-footprint"), {"hub": value, "on": ""})
    assert response.status_code == 400
    if "\x00" in value:  # refused at the door (commissioning.middleware), before any form
        assert b"may not contain NUL" in response.content
    else:
        assert b'id="id_hub_error"' in response.content
        assert b"Choose a hub" in response.content


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_page_forms_refuse_hostile_slugs_and_codes(client, national_admin, cycle, value):
    group = make_group(by=national_admin)
    region = Region.objects.order_by("slug").first().slug
    client.force_login(national_admin)
    segment = quote(value, safe="")
    # Slugs and codes in the address: the register, the timeline, group set-up, readiness.
    for url in [
        f"/register/regions/{segment}/",
        f"/register/hubs/{segment}/",
        f"/register/ccgs/{segment}/",
        f"/timeline/hubs/{segment}/",
        f"/timeline/hubs/{segment}/engagement/",
        f"/groups/new/{segment}/",
        f"/reviews/cycles/{cycle.pk}/hubs/{segment}/",
    ]:
        _no_5xx(client.get(url), url)
    # The register's date and search filters, and the learning library's Programme of Care.
    for url, params in [
        (reverse("hubs:overview"), {"on": value}),
        (reverse("hubs:region-detail", args=[region]), {"on": value}),
        (reverse("workspace:hub-detail", args=[NEC]), {"on": value}),
        (reverse("hubs:ccg-list"), {"q": value, "on": value}),
        (reverse("timeline:hub", args=[NEC]), {"year": value}),
        (reverse("reviews:learning"), {"programme_of_care": value, "q": value}),
        (reverse("reviews:readiness", args=[cycle.pk, NEC]), {"on": value}),
    ]:
        _no_5xx(client.get(url, params), f"{url}?{params}")
    # Forms that post a slug or an ODS code.
    for url, data in [
        (reverse("exports:hub-footprint"), {"hub": value, "on": ""}),
        (
            reverse("accounts:role-grant"),
            {
                "email": "someone@example.nhs.uk",
                "full_name": "Someone",
                "role": "ccg_lead",
                "region": value,
                "hub": value,
                "ccg": value,
            },
        ),
        (reverse("oversight:group-invite", args=[group.pk]), {"ccg": value}),
        (
            reverse("oversight:member-add", args=[group.pk]),
            {
                "full_name": "A Member",
                "organisation": "NHS Somewhere",
                "sector": "ccg",
                "ccg": value,
                "role": "member",
                "voting": "yes",
                "start_date": "2015-04-01",
            },
        ),
    ]:
        _form_refused(client.post(url, data), url)


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_api_refuses_hostile_slugs_and_codes(api_client, national_admin, cycle, value):
    api_client.force_authenticate(national_admin)
    segment = quote(value, safe="")
    for url in [
        f"/api/v1/regions/{segment}/",
        f"/api/v1/hubs/{segment}/",
        f"/api/v1/ccgs/{segment}/",
        f"/api/v1/programmes-of-care/{segment}/",
        f"/api/v1/hub-timelines/{segment}/",
    ]:
        _no_5xx(api_client.get(url), url)
    for url, params in [
        ("/api/v1/hubs/", {"region": value, "on": value}),
        ("/api/v1/regions/", {"on": value}),
        ("/api/v1/ccgs/", {"hub": value, "region": value, "q": value, "on": value}),
        ("/api/v1/peer-reviews/", {"hub": value}),
        ("/api/v1/peer-reviews/readiness/", {"cycle": cycle.pk, "hub": value}),
        ("/api/v1/review-findings/learning/", {"programme_of_care": value, "q": value}),
        (f"/api/v1/hub-timelines/{NEC}/", {"year": value}),
    ]:
        _no_5xx(api_client.get(url, params), f"{url}?{params}")
    for url, data in [
        ("/api/v1/exports/", {"hub": value}),
        (
            "/api/v1/role-assignments/",
            {
                "email": "someone@example.nhs.uk",
                "role": "ccg_lead",
                "region": value,
                "hub": value,
                "ccg": value,
            },
        ),
        (
            "/api/v1/proposals/",
            {
                "plan": 1,
                "ccg": value,
                "programme_of_care": value,
                "title": "A proposal",
                "problem": "A problem",
            },
        ),
    ]:
        response = api_client.post(url, data, format="json")
        assert 400 <= response.status_code < 500, f"{url} {data}: {response.status_code}"
