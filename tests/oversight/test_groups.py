"""Oversight groups: set-up, CCG invitations and representation, members, locking, access."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from hubs.models import CCG, Hub
from oversight import services
from oversight.models import CCGMembership, GroupMember, OversightGroup
from oversight.services import Answer, GroupError
from tests.scale import populate_country

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"
START = datetime.date(2015, 4, 1)


@pytest.fixture
def group(nec_hub_officer):
    return services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC Oversight Group",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=START,
    )


def ccg(ods: str) -> CCG:
    return CCG.objects.get(ods_code=ods)


def place(group, ods: str) -> CCGMembership:
    return CCGMembership.objects.get(group=group, ccg__ods_code=ods)


def invite(group, by, *codes) -> None:
    services.ccgs_invite(by=by, group=group, ccgs=[ccg(c) for c in codes])


def answer(group, by, ods, how, rep=None):
    membership = place(group, ods)
    return services.membership_respond(
        by=by,
        membership=membership,
        version=membership.version,
        answer=how,
        represented_by=ccg(rep) if rep else None,
    )


# --- the group -----------------------------------------------------------------------------


def test_one_open_group_per_hub(group, nec_hub_officer):
    with pytest.raises(GroupError, match="already has an oversight group"):
        services.group_create(
            by=nec_hub_officer,
            hub=group.hub,
            name="Second",
            kind="oversight_group",
            start_date=START,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightGroup.objects.create(hub=group.hub, name="Sneaky", start_date=START)


def test_a_closed_group_makes_room_for_a_new_one(group, nec_hub_officer):
    services.group_update(
        by=nec_hub_officer,
        group=group,
        version=group.version,
        status=OversightGroup.Status.CLOSED,
        closed_on=datetime.date(2018, 3, 31),
    )
    second = services.group_create(
        by=nec_hub_officer,
        hub=group.hub,
        name="NEC oversight group (refreshed)",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=datetime.date(2018, 4, 1),
    )
    assert second.kind == OversightGroup.Kind.OVERSIGHT_GROUP
    assert OversightGroup.objects.filter(hub=group.hub).count() == 2


def test_a_strategy_board_is_not_set_up_as_a_new_group(group, nec_hub_officer):
    """Issue 16: a board succeeds an oversight group; it is never set up from nothing."""
    with pytest.raises(services.GroupError) as refused:
        services.group_create(
            by=nec_hub_officer,
            hub=group.hub,
            name="NEC Strategy Board",
            kind=OversightGroup.Kind.STRATEGY_BOARD,
            start_date=datetime.date(2018, 4, 1),
        )
    assert refused.value.field == "kind"
    assert OversightGroup.objects.filter(hub=group.hub).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "closed"}, "closed_on"),
        ({"closed_on": datetime.date(2016, 1, 1)}, "closed_on"),
        ({"status": "closed", "closed_on": datetime.date(2015, 1, 1)}, "closed_on"),
    ],
)
def test_bad_group_changes_are_refused(group, nec_hub_officer, changes, field):
    with pytest.raises(GroupError) as raised:
        services.group_update(by=nec_hub_officer, group=group, version=group.version, **changes)
    assert raised.value.field == field
    group.refresh_from_db()
    assert group.status == OversightGroup.Status.FORMING


def test_second_editor_is_refused_and_told_what_changed(group, nec_hub_officer):
    opened_by_both = group.version
    services.group_update(
        by=nec_hub_officer, group=group, version=opened_by_both, name="Renamed by Helen"
    )
    with pytest.raises(ConflictError) as raised:
        services.group_update(
            by=nec_hub_officer, group=group, version=opened_by_both, name="Renamed by Sam"
        )
    assert "Helen Carter saved this while you were editing" in raised.value.message
    assert "Name is now “Renamed by Helen” (was “NEC Oversight Group”)" in raised.value.message
    group.refresh_from_db()
    assert group.name == "Renamed by Helen"
    assert group.history.count() == 2


def test_edit_page_shows_the_conflict_and_keeps_the_record(client, group, nec_hub_officer):
    client.force_login(nec_hub_officer)
    stale = group.version
    services.group_update(by=nec_hub_officer, group=group, version=stale, purpose="Agreed")
    response = client.post(
        reverse("oversight:group-edit", args=[group.pk]),
        {
            "version": stale,
            "name": "Mine",
            "kind": "oversight_group",
            "status": "forming",
            "start_date": "2015-04-01",
            "purpose": "Mine",
        },
    )
    assert response.status_code == 200
    assert "saved this while you were editing" in response.content.decode()
    group.refresh_from_db()
    assert group.purpose == "Agreed"
    # Saving again from the refreshed form is a deliberate overwrite, and succeeds.
    retry = client.post(
        reverse("oversight:group-edit", args=[group.pk]),
        {
            "version": group.version,
            "name": "Mine",
            "kind": "oversight_group",
            "status": "forming",
            "start_date": "2015-04-01",
            "purpose": "Mine",
        },
    )
    assert retry.status_code == 302


# --- CCG invitations and representation ----------------------------------------------------


def test_inviting_all_emails_each_ccg_lead(
    group, nec_hub_officer, sunderland_lead, django_capture_on_commit_callbacks
):
    footprint = [c for c in group.hub.ccgs.all() if c.is_valid_on(group.footprint_day)]
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=footprint)
    assert len(invited) == 11
    assert [m.to for m in mail.outbox] == [["david@example.nhs.uk"]]
    assert "/groups/places/" in mail.outbox[0].body
    # Inviting again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=footprint) == []
    assert len(mail.outbox) == 1


def test_only_todays_footprint_may_be_invited(group, nec_hub_officer):
    with pytest.raises(GroupError, match="Not in North East and Cumbria's footprint"):
        invite(group, nec_hub_officer, "00F")  # Gateshead closed in 2015
    with pytest.raises(GroupError, match="NHS Central London"):
        invite(group, nec_hub_officer, "09A")
    assert not CCGMembership.objects.exists()


def test_representation_rules(group, nec_hub_officer, sunderland_lead):
    invite(group, nec_hub_officer, "00P", "00L", "00N", "00M")
    answer(group, sunderland_lead, "00P", Answer.ACCEPT)
    answer(group, sunderland_lead, "00L", Answer.REPRESENT, "00P")
    assert place(group, "00L").represented_by.ods_code == "00P"
    with pytest.raises(GroupError, match="cannot represent itself") as raised:
        answer(group, sunderland_lead, "00N", Answer.REPRESENT, "00N")
    assert raised.value.field == "represented_by"
    with pytest.raises(GroupError, match="not a member of this group"):
        answer(group, sunderland_lead, "00N", Answer.REPRESENT, "00M")  # only invited
    with pytest.raises(GroupError, match="not a member of this group"):
        answer(group, sunderland_lead, "00N", Answer.REPRESENT, "00L")  # represented: no chains
    with pytest.raises(GroupError, match="no chains"):
        answer(group, sunderland_lead, "00P", Answer.REPRESENT, "00L")
    with pytest.raises(GroupError, match="Withdraw instead"):
        answer(group, sunderland_lead, "00P", Answer.DECLINE)
    assert place(group, "00N").status == CCGMembership.Status.INVITED
    assert place(group, "00P").status == CCGMembership.Status.MEMBER


def test_withdrawing_a_representative_lists_and_uncovers_its_ccgs(
    group, nec_hub_officer, sunderland_lead
):
    invite(group, nec_hub_officer, "00P", "00L", "00N")
    answer(group, sunderland_lead, "00P", Answer.ACCEPT)
    answer(group, sunderland_lead, "00L", Answer.REPRESENT, "00P")
    answer(group, sunderland_lead, "00N", Answer.REPRESENT, "00P")
    member = place(group, "00P")
    assert {m.ccg.ods_code for m in services.representation_dependants(member)} == {"00L", "00N"}
    with pytest.raises(GroupError, match="Give a reason"):
        services.membership_withdraw(
            by=nec_hub_officer, membership=member, version=member.version, reason=" "
        )
    orphans = services.membership_withdraw(
        by=nec_hub_officer, membership=member, version=member.version, reason="Merging"
    )
    assert {o.ccg.ods_code for o in orphans} == {"00L", "00N"}
    for ods in ("00L", "00N"):
        orphan = place(group, ods)
        assert orphan.status == CCGMembership.Status.INVITED
        assert orphan.represented_by is None
        assert "NHS Sunderland CCG withdrew" in orphan.note
    assert place(group, "00P").status == CCGMembership.Status.WITHDRAWN
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"ccg.withdrawn", "ccg.representation_lost"} <= verbs


def test_coverage_counts_members_and_represented(group, nec_hub_officer, sunderland_lead):
    invite(group, nec_hub_officer, "00P", "00L", "00N")
    answer(group, sunderland_lead, "00P", Answer.ACCEPT)
    answer(group, sunderland_lead, "00L", Answer.REPRESENT, "00P")
    answer(group, sunderland_lead, "00N", Answer.DECLINE)
    requested = place(group, "00L")
    services.representation_confirm(
        by=sunderland_lead, membership=requested, version=requested.version
    )
    coverage = services.group_coverage(
        group, list(group.ccgs.select_related("ccg")), group.footprint_day
    )
    assert len(coverage.footprint) == 11
    assert coverage.covered_count == 2
    assert coverage.percent == 18
    assert "NHS South Tyneside CCG" in {c.name for c in coverage.not_covered}
    assert "NHS Sunderland CCG" not in {c.name for c in coverage.not_covered}


def test_answer_is_refused_if_the_place_changed_meanwhile(group, nec_hub_officer, sunderland_lead):
    invite(group, nec_hub_officer, "00P")
    stale = place(group, "00P")
    answer(group, sunderland_lead, "00P", Answer.ACCEPT)
    with pytest.raises(ConflictError):
        services.membership_respond(
            by=sunderland_lead, membership=stale, version=stale.version, answer=Answer.DECLINE
        )
    assert place(group, "00P").status == CCGMembership.Status.MEMBER


# --- members -------------------------------------------------------------------------------


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


def test_members_keep_their_history(group, nec_hub_officer):
    chair = services.member_add(by=nec_hub_officer, group=group, **_member())
    services.member_update(
        by=nec_hub_officer,
        member=chair,
        version=chair.version,
        **_member(end_date=datetime.date(2016, 3, 31)),
    )
    services.member_add(
        by=nec_hub_officer, group=group, **_member(start_date=datetime.date(2016, 6, 1))
    )
    assert GroupMember.objects.filter(group=group, full_name="Dr Asha Rao").count() == 2
    chair.refresh_from_db()
    assert chair.history.count() == 2
    assert not chair.is_current_on(datetime.date(2016, 4, 1))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": datetime.date(2015, 1, 1)}, "end_date", "on or after the start date"),
        ({"sector": "ccg"}, "ccg", "Choose the CCG"),
        ({}, "full_name", "already a member for those dates"),
    ],
)
def test_bad_members_are_refused(group, nec_hub_officer, overrides, field, message):
    services.member_add(by=nec_hub_officer, group=group, **_member())
    with pytest.raises(GroupError, match=message) as raised:
        services.member_add(by=nec_hub_officer, group=group, **_member(**overrides))
    assert raised.value.field == field
    assert GroupMember.objects.count() == 1


def test_member_form_shows_errors_by_the_field(client, group, nec_hub_officer):
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("oversight:member-add", args=[group.pk]),
        {
            "full_name": "X",
            "organisation": "Council",
            "sector": "local_authority",
            "role": "member",
            "voting": "no",
            "start_date": "2015-05-01",
            "end_date": "2015-04-01",
        },
    )
    html = response.content.decode()
    assert 'id="id_end_date_error"' in html
    assert "on or after the start date" in html
    assert not GroupMember.objects.exists()


# --- pages and access ----------------------------------------------------------------------


def test_hub_staff_run_the_group_through_the_pages(client, nec_hub_officer):
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("oversight:group-create", args=[NEC]),
        {"name": "NEC Group", "kind": "oversight_group", "start_date": "2015-04-01"},
    )
    group = OversightGroup.objects.get()
    assert response["Location"] == group.get_absolute_url()
    client.post(reverse("oversight:group-invite", args=[group.pk]), {"all": "1"})
    assert group.ccgs.count() == 11
    page = client.get(group.get_absolute_url())
    assert page.context["coverage"].covered_count == 0
    assert b"CCG coverage: 0 of 11" in page.content
    assert client.get(reverse("workspace:group-history", args=[group.pk])).status_code == 200


def test_ccg_lead_answers_through_the_pages(client, group, nec_hub_officer, sunderland_lead):
    invite(group, nec_hub_officer, "00P", "00L")
    client.force_login(sunderland_lead)
    home = client.get(reverse("workspace:my-work")).content.decode()
    assert "Answer the invitation" in home
    url = reverse("oversight:membership-respond", args=[place(group, "00P").pk])
    bad = client.post(url, {"version": 1, "answer": "represent"})
    assert 'id="id_represented_by_error"' in bad.content.decode()
    client.post(url, {"version": 1, "answer": "accept"})
    assert place(group, "00P").status == CCGMembership.Status.MEMBER
    other = reverse("oversight:membership-respond", args=[place(group, "00L").pk])
    assert client.post(other, {"version": 1, "answer": "decline"}).status_code == 403
    assert place(group, "00L").status == CCGMembership.Status.INVITED


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("roleless_user", 404, 404),
        ("london_hub_officer", 404, 404),
        ("sunderland_lead", 200, 403),
        ("north_reviewer", 200, 403),
        ("national_admin", 200, 403),
        ("nec_hub_officer", 200, 200),
    ],
)
def test_group_access_ladder(client, request, group, nec_hub_officer, persona, read, write):
    invite(group, nec_hub_officer, "00P")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(group.get_absolute_url()).status_code == read
    assert client.get(reverse("workspace:group-history", args=[group.pk])).status_code == read
    assert client.get(reverse("oversight:group-edit", args=[group.pk])).status_code == write
    assert client.get(reverse("oversight:member-add", args=[group.pk])).status_code == write
    posted = client.post(reverse("oversight:group-invite", args=[group.pk]), {"all": "1"})
    assert posted.status_code == (302 if write == 200 else write)
    expected_places = 11 if write == 200 else 1
    assert group.ccgs.count() == expected_places


def test_group_setup_is_for_the_hubs_own_staff(client, london_hub_officer, national_admin):
    for user in (london_hub_officer, national_admin):
        client.force_login(user)
        assert client.get(reverse("oversight:group-create", args=[NEC])).status_code == 403
    assert client.get(reverse("oversight:group-create", args=["atlantis"])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, group):
    for url in (group.get_absolute_url(), reverse("oversight:group-list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_group_list_shows_only_visible_groups(client, group, london_hub_officer, north_reviewer):
    client.force_login(london_hub_officer)
    page = client.get(reverse("oversight:group-list"))
    assert page.context["rows"] == []
    assert [h.slug for h in page.context["setup_hubs"]] == ["london"]
    client.force_login(north_reviewer)
    assert [r["group"] for r in client.get(reverse("oversight:group-list")).context["rows"]] == [
        group
    ]


def test_group_pages_run_bounded_queries(
    client, nec_hub_officer, national_admin, django_assert_max_num_queries
):
    group = populate_country(meetings=20)[NEC]
    client.force_login(nec_hub_officer)
    # 16 since issue 16: the hub's integrated care systems, for setting up a board.
    with django_assert_max_num_queries(16):
        page = client.get(group.get_absolute_url())
    coverage = page.context["coverage"]
    assert coverage.covered_count == len(coverage.footprint) >= 27
    client.force_login(national_admin)
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("oversight:group-list"))
    assert len(listing.context["rows"]) == 10
    with django_assert_max_num_queries(12):
        client.get(reverse("workspace:group-history", args=[group.pk]))
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(14):
        client.get(reverse("workspace:my-work"))
