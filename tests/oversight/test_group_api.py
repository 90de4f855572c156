"""Oversight groups through the REST API: access ladders, representation rules, locking, queries."""

import datetime

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from accounts.models import Role
from hubs.models import CCG, Hub
from oversight import services
from oversight.models import CCGMembership, GroupMember, OversightGroup
from oversight.services import Answer
from tests.conftest import make_user
from tests.scale import populate_country

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"
START = datetime.date(2015, 4, 1)
GROUPS = "/api/v1/groups/"
PLACES = "/api/v1/ccg-memberships/"
MEMBERS = "/api/v1/group-members/"


@pytest.fixture
def group(nec_hub_officer):
    return services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC Oversight Group",
        kind="oversight_group",
        start_date=START,
    )


@pytest.fixture
def tyne_lead(register):
    """Tom, CCG lead for both NHS Northumberland CCG (00L) and NHS South Tyneside CCG (00N)."""
    return make_user(
        "tom@example.nhs.uk",
        "Tom Reed",
        (Role.CCG_LEAD, CCG.objects.get(ods_code="00L")),
        (Role.CCG_LEAD, CCG.objects.get(ods_code="00N")),
    )


@pytest.fixture
def chair(group, nec_hub_officer):
    return services.member_add(by=nec_hub_officer, group=group, **_member())


def _member(**overrides) -> dict:
    fields = {
        "full_name": "Dr Asha Rao",
        "email": "",
        "organisation": "NHS England",
        "sector": "nhs_england",
        "ccg": None,
        "role": "chair",
        "voting": True,
        "start_date": START,
        "end_date": None,
    }
    return {**fields, **overrides}


def place(group, ods: str) -> CCGMembership:
    return CCGMembership.objects.get(group=group, ccg__ods_code=ods)


def invite(group, by, *codes) -> None:
    services.ccgs_invite(by=by, group=group, ccgs=list(CCG.objects.filter(ods_code__in=codes)))


def respond(api_client, group, ods: str, answer: str, rep: str | None = None, version=None):
    membership = place(group, ods)
    body = {"answer": answer, "represented_by": rep, "version": version or membership.version}
    return api_client.post(f"{PLACES}{membership.pk}/respond/", body, format="json")


def _writes(group, chair, membership) -> list[tuple[str, str, dict]]:
    """Every write a hub officer may make to the group, with a body that would succeed."""
    return [
        ("patch", f"{GROUPS}{group.pk}/", {"version": group.version, "purpose": "Changed"}),
        ("post", f"{GROUPS}{group.pk}/invite/", {"ccgs": ["00L"]}),
        (
            "post",
            MEMBERS,
            {
                "group": group.pk,
                "full_name": "Cllr Jo Bell",
                "organisation": "Sunderland City Council",
                "sector": "local_authority",
                "start_date": "2015-04-01",
            },
        ),
        ("patch", f"{MEMBERS}{chair.pk}/", {"version": chair.version, "voting": False}),
        (
            "post",
            f"{PLACES}{membership.pk}/withdraw/",
            {"reason": "Merging", "version": membership.version},
        ),
    ]


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


# --- invitations, answers, representation --------------------------------------------------


def test_inviting_all_emails_each_ccg_lead(
    api_client, group, nec_hub_officer, sunderland_lead, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(nec_hub_officer)
    url = f"{GROUPS}{group.pk}/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(url, {"all": True}, format="json")
    assert response.status_code == 200
    invited = response.json()["invited"]
    assert len(invited) == 11
    assert {p["status"] for p in invited} == {"invited"}
    assert [m.to for m in mail.outbox] == [["david@example.nhs.uk"]]
    with django_capture_on_commit_callbacks(execute=True):
        again = api_client.post(url, {"ccgs": ["00p", "00P"]}, format="json")
    assert again.json() == {"invited": []}
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ({"ccgs": ["00F"]}, "ccgs", "Not in North East and Cumbria's footprint today"),
        ({"ccgs": ["09A"]}, "ccgs", "NHS Central London"),
        ({"ccgs": ["ZZZ"]}, "ccgs", "No CCG with ODS code ZZZ"),
        ({}, "non_field_errors", "Give either"),
        ({"ccgs": ["00P"], "all": True}, "non_field_errors", "Give either"),
    ],
)
def test_bad_invitations_are_refused(api_client, group, nec_hub_officer, body, key, message):
    api_client.force_authenticate(nec_hub_officer)
    response = api_client.post(f"{GROUPS}{group.pk}/invite/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()[key][0]
    assert not CCGMembership.objects.exists()


def test_representation_rules_through_the_api(
    api_client, group, nec_hub_officer, sunderland_lead, tyne_lead
):
    invite(group, nec_hub_officer, "00P", "00L", "00N", "00M")
    api_client.force_authenticate(sunderland_lead)
    accepted = respond(api_client, group, "00P", Answer.ACCEPT)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "member"
    assert accepted.json()["is_covered"] is True

    api_client.force_authenticate(tyne_lead)
    represented = respond(api_client, group, "00L", Answer.REPRESENT, "00P")
    assert represented.status_code == 200
    assert represented.json()["represented_by"] == "00P"
    refusals = [
        (("00N", Answer.REPRESENT, "00N"), "represented_by", "cannot represent itself"),
        (("00N", Answer.REPRESENT, "00M"), "represented_by", "not a member of this group"),
        (("00N", Answer.REPRESENT, "00L"), "represented_by", "not a member of this group"),
        (("00N", Answer.REPRESENT, None), "represented_by", "Choose the CCG"),
        (("00N", Answer.REPRESENT, "ZZZ"), "represented_by", "does not exist"),
        (("00N", "maybe"), "answer", "not a valid choice"),
    ]
    for args, key, message in refusals:
        response = respond(api_client, group, *args)
        assert response.status_code == 400, args
        assert message in response.json()[key][0], args

    api_client.force_authenticate(sunderland_lead)
    chain = respond(api_client, group, "00P", Answer.REPRESENT, "00L")
    assert chain.status_code == 400
    assert "no chains" in chain.json()["represented_by"][0]
    decline = respond(api_client, group, "00P", Answer.DECLINE)
    assert decline.status_code == 400
    assert "Withdraw instead" in decline.json()["answer"][0]
    assert place(group, "00P").status == CCGMembership.Status.MEMBER
    assert place(group, "00N").status == CCGMembership.Status.INVITED


def test_withdrawing_a_representative_uncovers_its_ccgs(
    api_client, group, nec_hub_officer, sunderland_lead, tyne_lead
):
    invite(group, nec_hub_officer, "00P", "00L")
    api_client.force_authenticate(sunderland_lead)
    respond(api_client, group, "00P", Answer.ACCEPT)
    api_client.force_authenticate(tyne_lead)
    respond(api_client, group, "00L", Answer.REPRESENT, "00P")
    membership = place(group, "00P")
    url = f"{PLACES}{membership.pk}/withdraw/"
    api_client.force_authenticate(sunderland_lead)
    blank = api_client.post(url, {"reason": " ", "version": membership.version}, format="json")
    assert blank.status_code == 400
    assert "reason" in blank.json()
    response = api_client.post(
        url, {"reason": "Merging", "version": membership.version}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["membership"]["status"] == "withdrawn"
    assert body["membership"]["note"] == "Merging"
    assert [(p["ccg"], p["status"]) for p in body["lost_representation"]] == [("00L", "invited")]
    assert place(group, "00L").represented_by is None


def test_coverage_counts_members_and_represented(
    api_client, group, nec_hub_officer, sunderland_lead, tyne_lead
):
    invite(group, nec_hub_officer, "00P", "00L", "00N")
    api_client.force_authenticate(sunderland_lead)
    respond(api_client, group, "00P", Answer.ACCEPT)
    api_client.force_authenticate(tyne_lead)
    respond(api_client, group, "00L", Answer.REPRESENT, "00P")
    respond(api_client, group, "00N", Answer.DECLINE)
    coverage = api_client.get(f"{GROUPS}{group.pk}/").json()["coverage"]
    assert coverage["covered_count"] == 2
    assert coverage["footprint_count"] == 11
    assert coverage["percent"] == 18
    assert "00N" in coverage["not_covered"]
    assert {"00P", "00L"}.isdisjoint(coverage["not_covered"])
    assert len(coverage["not_covered"]) == 9


def test_coverage_ignores_places_of_ccgs_that_have_closed(
    api_client, group, nec_hub_officer, sunderland_lead
):
    # Gateshead (00F) was a member before it merged into 13T in April 2015.
    CCGMembership.objects.create(
        group=group,
        ccg=CCG.objects.get(ods_code="00F"),
        status=CCGMembership.Status.MEMBER,
        invited_at=datetime.datetime(2014, 4, 1, tzinfo=datetime.UTC),
    )
    invite(group, nec_hub_officer, "00P")
    api_client.force_authenticate(sunderland_lead)
    respond(api_client, group, "00P", Answer.ACCEPT)
    coverage = api_client.get(f"{GROUPS}{group.pk}/").json()["coverage"]
    assert (coverage["covered_count"], coverage["footprint_count"]) == (1, 11)
    assert coverage["percent"] == 9


def test_places_filter_by_group_and_status(api_client, group, nec_hub_officer, sunderland_lead):
    invite(group, nec_hub_officer, "00P", "00L", "00N")
    api_client.force_authenticate(sunderland_lead)
    respond(api_client, group, "00P", Answer.ACCEPT)
    members = api_client.get(PLACES, {"group": group.pk, "status": "member"}).json()
    assert [p["ccg"] for p in members["results"]] == ["00P"]
    assert api_client.get(PLACES, {"group": group.pk + 1}).json()["count"] == 0
    assert api_client.get(PLACES, {"status": "nonsense"}).status_code == 400
    assert api_client.get(PLACES, {"group": "1.5"}).status_code == 400
    assert api_client.get(PLACES, {"group": str(10**30)}).status_code == 400
    assert api_client.get(MEMBERS, {"group": str(-(10**30))}).status_code == 400


# --- the group's details and members -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"status": "closed"}, "closed_on"),
        ({"closed_on": "2016-01-01"}, "closed_on"),
        ({"status": "closed", "closed_on": "2015-01-01"}, "closed_on"),
        ({"name": "No version"}, "version"),
        ({"kind": "committee"}, "kind"),
    ],
)
def test_bad_group_changes_are_refused(api_client, group, nec_hub_officer, body, key):
    api_client.force_authenticate(nec_hub_officer)
    body = {"version": group.version, **body} if key != "version" else body
    response = api_client.patch(f"{GROUPS}{group.pk}/", body, format="json")
    assert response.status_code == 400
    assert key in response.json()
    group.refresh_from_db()
    assert (group.status, group.version) == ("forming", 1)


def test_closing_and_reopening_the_group(api_client, group, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    url = f"{GROUPS}{group.pk}/"
    closed = api_client.patch(
        url, {"version": 1, "status": "closed", "closed_on": "2018-03-31"}, format="json"
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["version"]) == ("closed", 2)
    reopened = api_client.patch(
        url, {"version": 2, "status": "active", "closed_on": None}, format="json"
    )
    assert reopened.status_code == 200
    assert reopened.json()["closed_on"] is None


def test_the_put_method_is_not_offered(api_client, group, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    response = api_client.put(f"{GROUPS}{group.pk}/", {"version": 1}, format="json")
    assert response.status_code == 405


def test_second_editor_gets_409_and_nothing_changes(api_client, group, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    url = f"{GROUPS}{group.pk}/"
    first = api_client.patch(url, {"version": 1, "name": "Renamed by Helen"}, format="json")
    assert first.status_code == 200
    second = api_client.patch(url, {"version": 1, "name": "Renamed by Sam"}, format="json")
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == 2
    assert "Helen Carter changed this record" in body["detail"]
    assert "Name is now “Renamed by Helen”" in body["detail"]
    group.refresh_from_db()
    assert (group.name, group.version) == ("Renamed by Helen", 2)


def test_stale_answer_gets_409_and_nothing_changes(
    api_client, group, nec_hub_officer, sunderland_lead
):
    invite(group, nec_hub_officer, "00P")
    api_client.force_authenticate(sunderland_lead)
    assert respond(api_client, group, "00P", Answer.ACCEPT, version=1).status_code == 200
    stale = respond(api_client, group, "00P", Answer.DECLINE, version=1)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    membership = place(group, "00P")
    assert (membership.status, membership.version) == ("member", 2)
    stale_withdraw = api_client.post(
        f"{PLACES}{membership.pk}/withdraw/", {"reason": "Oops", "version": 1}, format="json"
    )
    assert stale_withdraw.status_code == 409
    assert place(group, "00P").status == CCGMembership.Status.MEMBER


def test_members_are_added_and_ended_with_history(api_client, group, chair, nec_hub_officer):
    api_client.force_authenticate(nec_hub_officer)
    added = api_client.post(
        MEMBERS,
        {
            "group": group.pk,
            "full_name": "Dr Sam Okafor",
            "organisation": "NHS Sunderland CCG",
            "sector": "ccg",
            "ccg": "00P",
            "role": "clinical_lead",
            "start_date": "2015-04-01",
        },
        format="json",
    )
    assert added.status_code == 201
    assert added.json()["ccg"] == "00P"
    assert added.json()["voting"] is True
    url = f"{MEMBERS}{chair.pk}/"
    ended = api_client.patch(url, {"version": 1, "end_date": "2016-03-31"}, format="json")
    assert ended.status_code == 200
    assert ended.json()["is_current"] is False
    assert ended.json()["role"] == "chair"
    assert ended.json()["full_name"] == "Dr Asha Rao"
    stale = api_client.patch(url, {"version": 1, "voting": False}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    chair.refresh_from_db()
    assert (chair.end_date, chair.voting, chair.history.count()) == (
        datetime.date(2016, 3, 31),
        True,
        2,
    )
    listed = api_client.get(MEMBERS, {"group": group.pk, "role": "chair"}).json()
    assert [m["id"] for m in listed["results"]] == [chair.pk]


@pytest.mark.parametrize(
    ("overrides", "key", "message"),
    [
        ({"end_date": "2015-01-01"}, "end_date", "on or after the start date"),
        ({"sector": "ccg"}, "ccg", "Choose the CCG"),
        ({"sector": "ccg", "ccg": "09A"}, "ccg", "No CCG with ODS code 09A in this group's hub"),
        ({}, "full_name", "already a member for those dates"),
        ({"group": None}, "group", "may not be null"),
    ],
)
def test_bad_members_are_refused(
    api_client, group, chair, nec_hub_officer, overrides, key, message
):
    api_client.force_authenticate(nec_hub_officer)
    body = {**_member(start_date="2015-04-01"), "group": group.pk, **overrides}
    response = api_client.post(MEMBERS, body, format="json")
    assert response.status_code == 400
    assert message in response.json()[key][0]
    assert GroupMember.objects.count() == 1


def test_adding_a_member_to_an_unseen_group_is_404(api_client, group, london_hub_officer):
    api_client.force_authenticate(london_hub_officer)
    body = {**_member(start_date="2015-04-01"), "group": group.pk}
    assert api_client.post(MEMBERS, body, format="json").status_code == 404
    assert api_client.post(MEMBERS, {**body, "group": 999999}, format="json").status_code == 404
    assert not GroupMember.objects.exists()


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
