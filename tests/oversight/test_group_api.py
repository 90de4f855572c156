"""Oversight groups through the REST API: access ladders, representation rules, locking, queries."""

import pytest
from rest_framework.authtoken.models import Token

from oversight.models import CCGMembership, GroupMember, OversightGroup
from oversight.services import Answer
from tests.oversight.group_api import (
    GROUPS,
    MEMBERS,
    NEC,
    PLACES,
    _writes,
    invite,
    place,
    respond,
)
from tests.scale import populate_country

pytestmark = pytest.mark.django_db


# --- the ladder ----------------------------------------------------------------------------


def test_anonymous_gets_401_everywhere(api_client, group, chair, nec_hub_officer):
    invite(group, nec_hub_officer, "00P")
    membership = place(group, "00P")
    reads = [
        GROUPS,
        f"{GROUPS}{group.pk}/",
        PLACES,
        f"{PLACES}{membership.pk}/",
        MEMBERS,
        f"{MEMBERS}{chair.pk}/",
    ]
    for url in reads:
        response = api_client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
    writes = [
        *_writes(group, chair, membership),
        ("post", GROUPS, {"hub": NEC, "name": "X", "start_date": "2015-04-01"}),
        ("post", f"{PLACES}{membership.pk}/respond/", {"answer": "accept", "version": 1}),
    ]
    for method, url, body in writes:
        assert getattr(api_client, method)(url, body, format="json").status_code == 401, url


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("roleless_user", False),
        ("london_hub_officer", False),
        ("sunderland_lead", True),
        ("north_reviewer", True),
        ("national_admin", True),
        ("nec_hub_officer", True),
    ],
)
def test_who_reads_the_group(api_client, request, group, chair, nec_hub_officer, persona, sees):
    invite(group, nec_hub_officer, "00P", "00L")
    membership = place(group, "00L")
    api_client.force_authenticate(request.getfixturevalue(persona))
    expected = 200 if sees else 404
    assert api_client.get(f"{GROUPS}{group.pk}/").status_code == expected
    assert api_client.get(f"{PLACES}{membership.pk}/").status_code == expected
    assert api_client.get(f"{MEMBERS}{chair.pk}/").status_code == expected
    assert api_client.get(GROUPS).json()["count"] == (1 if sees else 0)
    assert api_client.get(PLACES).json()["count"] == (2 if sees else 0)
    assert api_client.get(MEMBERS).json()["count"] == (1 if sees else 0)


def test_a_ccg_lead_reads_the_group_only_once_invited(
    api_client, group, nec_hub_officer, sunderland_lead
):
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get(f"{GROUPS}{group.pk}/").status_code == 404
    assert api_client.get(GROUPS).json()["results"] == []
    invite(group, nec_hub_officer, "00P")
    body = api_client.get(f"{GROUPS}{group.pk}/").json()
    assert body["name"] == "NEC Oversight Group"
    assert body["hub"] == NEC
    assert body["region"] == "north"


@pytest.mark.parametrize(
    ("persona", "refused"),
    [
        ("roleless_user", 404),
        ("london_hub_officer", 404),
        ("sunderland_lead", 403),
        ("north_reviewer", 403),
        ("national_admin", 403),
    ],
)
def test_only_the_hubs_staff_change_the_group(
    api_client, request, group, chair, nec_hub_officer, persona, refused
):
    invite(group, nec_hub_officer, "00P", "00N")
    # Sunderland's lead may withdraw 00P, so every persona is tried on South Tyneside's place.
    membership = place(group, "00N")
    api_client.force_authenticate(request.getfixturevalue(persona))
    for method, url, body in _writes(group, chair, membership):
        response = getattr(api_client, method)(url, body, format="json")
        assert response.status_code == refused, url
        assert set(response.json()) == {"detail"}
    group.refresh_from_db()
    chair.refresh_from_db()
    assert (group.version, group.purpose) == (1, "")
    assert (chair.version, chair.voting) == (1, True)
    assert GroupMember.objects.count() == 1
    assert sorted(group.ccgs.values_list("ccg__ods_code", "status")) == [
        ("00N", "invited"),
        ("00P", "invited"),
    ]


def test_the_hubs_staff_change_the_group(api_client, group, chair, nec_hub_officer):
    invite(group, nec_hub_officer, "00P", "00N")
    api_client.force_authenticate(nec_hub_officer)
    statuses = [
        getattr(api_client, method)(url, body, format="json").status_code
        for method, url, body in _writes(group, chair, place(group, "00N"))
    ]
    assert statuses == [200, 200, 201, 200, 200]
    group.refresh_from_db()
    chair.refresh_from_db()
    assert group.purpose == "Changed"
    assert chair.voting is False
    assert GroupMember.objects.filter(full_name="Cllr Jo Bell", group=group).exists()
    assert place(group, "00L").status == CCGMembership.Status.INVITED
    assert place(group, "00N").status == CCGMembership.Status.WITHDRAWN


@pytest.mark.parametrize(
    "persona",
    ["roleless_user", "london_hub_officer", "sunderland_lead", "north_reviewer", "national_admin"],
)
def test_only_the_hubs_staff_set_up_its_group(api_client, request, persona):
    api_client.force_authenticate(request.getfixturevalue(persona))
    body = {"hub": NEC, "name": "NEC Group", "start_date": "2015-04-01"}
    response = api_client.post(GROUPS, body, format="json")
    assert response.status_code == 403
    assert not OversightGroup.objects.exists()


def test_hub_staff_set_up_one_open_group(api_client, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    body = {"hub": NEC, "name": "NEC Group", "start_date": "2015-04-01"}
    created = api_client.post(GROUPS, body, format="json")
    assert created.status_code == 201
    assert created.json()["kind"] == "oversight_group"
    assert created.json()["status"] == "forming"
    assert created.json()["coverage"]["footprint_count"] == 11
    again = api_client.post(GROUPS, {**body, "name": "Second"}, format="json")
    assert again.status_code == 400
    assert "already has an oversight group" in again.json()["non_field_errors"][0]
    unknown = api_client.post(GROUPS, {**body, "hub": "atlantis"}, format="json")
    assert unknown.status_code == 400
    assert "hub" in unknown.json()
    assert OversightGroup.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("roleless_user", 404),
        ("london_hub_officer", 404),
        ("north_reviewer", 403),
        ("national_admin", 403),
        ("nec_hub_officer", 403),
        ("sunderland_lead", 200),
    ],
)
def test_only_the_ccgs_own_leads_answer(
    api_client, request, group, nec_hub_officer, persona, expected
):
    invite(group, nec_hub_officer, "00P", "00L")
    api_client.force_authenticate(request.getfixturevalue(persona))
    assert respond(api_client, group, "00P", Answer.ACCEPT).status_code == expected
    assert place(group, "00P").status == ("member" if expected == 200 else "invited")


def test_a_ccg_lead_cannot_answer_for_another_ccg(
    api_client, group, nec_hub_officer, sunderland_lead
):
    invite(group, nec_hub_officer, "00P", "00L")
    api_client.force_authenticate(sunderland_lead)
    response = respond(api_client, group, "00L", Answer.DECLINE)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the CCG's own leads answer its invitation."}
    withdraw = api_client.post(
        f"{PLACES}{place(group, '00L').pk}/withdraw/",
        {"reason": "Not ours", "version": 1},
        format="json",
    )
    assert withdraw.status_code == 403
    assert place(group, "00L").status == CCGMembership.Status.INVITED


# --- bounded queries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("national_admin", {}),
        ("north_reviewer", {"hub__region__slug": "north"}),
        ("sunderland_lead", {"hub__slug": NEC}),
    ],
)
def test_lists_run_bounded_queries(
    api_client, request, persona, sees, django_assert_max_num_queries
):
    group = populate_country()["north-east-and-cumbria"]
    visible = OversightGroup.objects.filter(**sees)
    groups = visible.count()
    places = min(200, CCGMembership.objects.filter(group__in=visible).count())
    members = min(200, GroupMember.objects.filter(group__in=visible).count())
    assert (places, members) >= (30, 20)
    # A real token, so each request pays for its own authentication and role lookup.
    token = Token.objects.create(user=request.getfixturevalue(persona))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_max_num_queries(6):
        listed = api_client.get(GROUPS).json()
    assert listed["count"] == groups
    # Every footprint CCG is a member (places of CCGs closed by mergers do not count).
    assert all(
        g["coverage"]["covered_count"] == g["coverage"]["footprint_count"] > 0
        for g in listed["results"]
    )
    with django_assert_max_num_queries(4):
        assert len(api_client.get(PLACES, {"limit": 200}).json()["results"]) == places
    with django_assert_max_num_queries(4):
        assert len(api_client.get(MEMBERS, {"limit": 200}).json()["results"]) == members
    with django_assert_max_num_queries(5):
        detail = api_client.get(f"{GROUPS}{group.pk}/").json()
    assert detail["coverage"]["not_covered"] == []
