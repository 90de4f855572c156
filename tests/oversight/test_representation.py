"""Representation is agreed by both sides (issue 13, part 4): a CCG that names another to
represent it is "representation requested" (not covered) until the representative's lead
confirms; a decline sends it back to "invited" with a note. Service, pages, API, access."""

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import scopes
from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from hubs.models import CCG
from national.consultation_permissions import member_groups_of, open_groups
from oversight import services
from oversight.models import CCGMembership
from oversight.selectors import ccg_places, memberships_awaiting, representation_for
from oversight.services import Answer, GroupError
from tests.conftest import cache_clear, make_user
from tests.oversight.group_api import GROUPS, PLACES, confirm, invite, place, respond

pytestmark = pytest.mark.django_db

REQUESTED = CCGMembership.Status.REPRESENTATION_REQUESTED


def ccg(ods: str) -> CCG:
    return CCG.objects.get(ods_code=ods)


def ask(group, by, ods: str, rep: str) -> CCGMembership:
    membership = place(group, ods)
    return services.membership_respond(
        by=by,
        membership=membership,
        version=membership.version,
        answer=Answer.REPRESENT,
        represented_by=ccg(rep),
        note="We are small; Sunderland speaks for us.",
    )


@pytest.fixture
def darlington_lead(register):
    """Fiona, lead for NHS Darlington CCG (00C): in the same group, but not the representative."""
    return make_user("fiona@example.nhs.uk", "Fiona Grey", (Role.CCG_LEAD, ccg("00C")))


@pytest.fixture
def london_ccg_lead(register):
    """Lena, lead for NHS Central London CCG (09A): her CCG has no place in the NEC group."""
    return make_user("lena@example.nhs.uk", "Lena Moss", (Role.CCG_LEAD, ccg("09A")))


@pytest.fixture
def requested(group, nec_hub_officer, sunderland_lead, tyne_lead):
    """Sunderland (00P) a member; Northumberland (00L) asks Sunderland to represent it;
    Darlington (00C) invited."""
    invite(group, nec_hub_officer, "00P", "00L", "00C")
    member = place(group, "00P")
    services.membership_respond(
        by=sunderland_lead, membership=member, version=member.version, answer=Answer.ACCEPT
    )
    return ask(group, tyne_lead, "00L", "00P")


def coverage_of(group):
    return services.group_coverage(
        group, list(group.ccgs.select_related("ccg")), group.footprint_day
    )


# --- the service ---------------------------------------------------------------------------


def test_asking_is_not_covered_and_emails_the_representatives_lead(
    group, nec_hub_officer, sunderland_lead, tyne_lead, django_capture_on_commit_callbacks
):
    invite(group, nec_hub_officer, "00P", "00L")
    member = place(group, "00P")
    services.membership_respond(
        by=sunderland_lead, membership=member, version=member.version, answer=Answer.ACCEPT
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(group, tyne_lead, "00L", "00P")
    assert asked.status == REQUESTED
    assert asked.represented_by.ods_code == "00P"
    assert not asked.is_covered
    coverage = coverage_of(group)
    assert coverage.covered_count == 1
    assert [m.ccg.ods_code for m in coverage.requested] == ["00L"]
    assert "NHS Northumberland CCG" in {c.name for c in coverage.not_covered}
    assert [m.to for m in mail.outbox] == [["david@example.nhs.uk"]]
    sent = mail.outbox[0]
    assert sent.subject == (
        "NHS Northumberland CCG asks NHS Sunderland CCG to represent it in the NEC Oversight Group"
    )
    assert "/#representation-requests-00p" in sent.body
    assert "We are small" in sent.body


def test_confirming_covers_the_ccg_and_is_audited(group, requested, sunderland_lead):
    confirmed = services.representation_confirm(
        by=sunderland_lead, membership=requested, version=requested.version
    )
    assert confirmed.status == CCGMembership.Status.REPRESENTED
    assert confirmed.version == requested.version + 1
    assert coverage_of(group).covered_count == 2
    event = AuditEvent.objects.get(verb="ccg.representation_confirmed")
    assert event.actor == sunderland_lead
    assert event.data == {"represented_by": "00P"}
    # Confirmed once is confirmed: asking the same CCG again keeps its consent.
    again = ask(group, sunderland_lead, "00L", "00P")
    assert again.status == CCGMembership.Status.REPRESENTED


def test_declining_sends_the_ccg_back_to_invited_with_a_note(group, requested, sunderland_lead):
    declined = services.representation_decline(
        by=sunderland_lead,
        membership=requested,
        version=requested.version,
        reason="  We cannot take on another population this year.  ",
    )
    assert declined.status == CCGMembership.Status.INVITED
    assert declined.represented_by is None
    assert declined.note == (
        "NHS Sunderland CCG declined to represent it: We cannot take on another population "
        "this year."
    )
    assert coverage_of(group).covered_count == 1
    event = AuditEvent.objects.get(verb="ccg.representation_declined")
    assert event.data["represented_by"] == "00P"
    with pytest.raises(GroupError, match="not waiting for representation"):
        services.representation_confirm(
            by=sunderland_lead, membership=declined, version=declined.version
        )


def test_a_stale_answer_is_refused(group, requested, sunderland_lead, tyne_lead):
    services.membership_respond(
        by=tyne_lead, membership=requested, version=requested.version, answer=Answer.ACCEPT
    )
    with pytest.raises(ConflictError):
        services.representation_confirm(
            by=sunderland_lead, membership=requested, version=requested.version
        )
    assert place(group, "00L").status == CCGMembership.Status.MEMBER


def test_a_request_counts_for_the_no_chains_and_withdrawal_rules(
    group, requested, nec_hub_officer, sunderland_lead
):
    member = place(group, "00P")
    with pytest.raises(GroupError, match="no chains"):
        services.membership_respond(
            by=sunderland_lead,
            membership=member,
            version=member.version,
            answer=Answer.REPRESENT,
            represented_by=ccg("00C"),
        )
    with pytest.raises(GroupError, match="Withdraw instead"):
        services.membership_respond(
            by=sunderland_lead, membership=member, version=member.version, answer=Answer.DECLINE
        )
    assert [m.ccg.ods_code for m in services.representation_dependants(member)] == ["00L"]
    orphans = services.membership_withdraw(
        by=nec_hub_officer, membership=member, version=member.version, reason="Merging"
    )
    assert [o.ccg.ods_code for o in orphans] == ["00L"]
    orphan = place(group, "00L")
    assert (orphan.status, orphan.represented_by) == (CCGMembership.Status.INVITED, None)
    assert orphan.note == "Request for representation ended: NHS Sunderland CCG withdrew."


def test_a_ccg_may_withdraw_while_it_waits(group, requested, tyne_lead):
    assert requested.may_withdraw
    services.membership_withdraw(
        by=tyne_lead, membership=requested, version=requested.version, reason="Changed our mind"
    )
    withdrawn = place(group, "00L")
    assert (withdrawn.status, withdrawn.represented_by) == (CCGMembership.Status.WITHDRAWN, None)


def test_the_database_insists_a_request_names_its_representative(group, requested):
    with pytest.raises(IntegrityError), transaction.atomic():
        CCGMembership.objects.filter(pk=requested.pk).update(represented_by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        CCGMembership.objects.filter(ccg__ods_code="00C").update(status=REQUESTED)


# --- My work and the group page ------------------------------------------------------------


def test_my_work_lists_requests_and_whom_it_represents(client, group, requested, sunderland_lead):
    client.force_login(sunderland_lead)
    home = client.get(reverse("workspace:my-work")).content.decode()
    assert 'id="representation-requests-00p"' in home
    assert "<strong>NHS Northumberland CCG</strong> asks NHS Sunderland CCG to represent" in home
    assert reverse("oversight:representation-confirm", args=[requested.pk]) in home
    assert reverse("oversight:representation-decline", args=[requested.pk]) in home
    assert "Whom NHS Sunderland CCG represents" not in home

    response = client.post(
        reverse("oversight:representation-confirm", args=[requested.pk]),
        {"version": requested.version},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:my-work")
    assert place(group, "00L").status == CCGMembership.Status.REPRESENTED
    home = client.get(reverse("workspace:my-work")).content.decode()
    assert "NHS Sunderland CCG now represents NHS Northumberland CCG" in home
    assert "Requests to represent other CCGs" not in home
    assert "Whom NHS Sunderland CCG represents" in home
    assert "<li>NHS Northumberland CCG, in the" in home


def test_declining_through_the_page_and_a_stale_button(client, group, requested, sunderland_lead):
    client.force_login(sunderland_lead)
    url = reverse("oversight:representation-decline", args=[requested.pk])
    assert client.get(url).status_code == 405
    stale = client.post(
        reverse("oversight:representation-confirm", args=[requested.pk]),
        {"version": requested.version + 5},
        follow=True,
    )
    assert "saved this while you were editing" in stale.content.decode()
    assert place(group, "00L").status == REQUESTED
    client.post(url, {"version": requested.version, "reason": "No capacity"})
    declined = place(group, "00L")
    assert declined.status == CCGMembership.Status.INVITED
    assert declined.note == "NHS Sunderland CCG declined to represent it: No capacity"


def test_the_group_page_shows_a_request_as_not_covered(client, group, requested, nec_hub_officer):
    client.force_login(nec_hub_officer)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "CCG coverage: 1 of 11 (9%)" in page
    assert "Representation requested from NHS Sunderland CCG" in page
    assert "Not covered until NHS Sunderland CCG confirms." in page
    assert "<li>NHS Northumberland CCG (representation requested)</li>" in page
    assert "1 with representation requested" in page


# --- who may answer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("darlington_lead", 403),  # sees the group (its CCG has a place), may not answer
        ("tyne_lead", 403),  # the requester cannot confirm its own request
        ("nec_hub_officer", 403),  # hub staff do not answer for a CCG (as with invitations)
        ("london_ccg_lead", 404),  # not its group: its existence is not revealed
        ("london_hub_officer", 404),
    ],
)
def test_only_the_representatives_leads_answer(client, request, group, requested, persona, code):
    client.force_login(request.getfixturevalue(persona))
    for name in ("oversight:representation-confirm", "oversight:representation-decline"):
        response = client.post(reverse(name, args=[requested.pk]), {"version": requested.version})
        assert response.status_code == code, name
        assert "Northumberland" not in response.content.decode()
    assert place(group, "00L").status == REQUESTED
    assert not AuditEvent.objects.filter(verb__startswith="ccg.representation_").exists()


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("darlington_lead", 403),
        ("tyne_lead", 403),
        ("nec_hub_officer", 403),
        ("london_ccg_lead", 404),
        ("london_hub_officer", 404),
    ],
)
def test_only_the_representatives_leads_answer_through_the_api(
    api_client, request, group, requested, persona, code
):
    api_client.force_authenticate(request.getfixturevalue(persona))
    for action in ("confirm-representation", "decline-representation"):
        response = api_client.post(
            f"{PLACES}{requested.pk}/{action}/", {"version": requested.version}, format="json"
        )
        assert response.status_code == code, action
        assert "ccg_name" not in response.json()
        assert "Northumberland" not in response.content.decode()
    assert place(group, "00L").status == REQUESTED


# --- the API -------------------------------------------------------------------------------


def test_the_api_asks_confirms_and_declines(
    api_client, group, nec_hub_officer, sunderland_lead, tyne_lead
):
    invite(group, nec_hub_officer, "00P", "00L", "00N")
    api_client.force_authenticate(sunderland_lead)
    respond(api_client, group, "00P", Answer.ACCEPT)
    api_client.force_authenticate(tyne_lead)
    asked = respond(api_client, group, "00L", Answer.REPRESENT, "00P")
    assert asked.status_code == 200
    assert asked.json()["status"] == "representation_requested"
    assert asked.json()["represented_by"] == "00P"
    assert asked.json()["is_covered"] is False
    respond(api_client, group, "00N", Answer.REPRESENT, "00P")

    api_client.force_authenticate(sunderland_lead)
    waiting = api_client.get(f"{PLACES}?represented_by=00P&status=representation_requested")
    assert [p["ccg"] for p in waiting.json()["results"]] == ["00L", "00N"]
    assert confirm(api_client, group, "00L", version=99).status_code == 409
    confirmed = confirm(api_client, group, "00L")
    assert confirmed.status_code == 200
    assert (confirmed.json()["status"], confirmed.json()["is_covered"]) == ("represented", True)
    again = confirm(api_client, group, "00L")
    assert again.status_code == 400
    assert "not waiting for representation" in str(again.json())

    south_tyneside = place(group, "00N")
    bad = api_client.post(f"{PLACES}{south_tyneside.pk}/decline-representation/", {}, format="json")
    assert bad.status_code == 400
    assert "version" in bad.json()
    declined = api_client.post(
        f"{PLACES}{south_tyneside.pk}/decline-representation/",
        {"version": south_tyneside.version, "reason": "No capacity"},
        format="json",
    )
    assert declined.status_code == 200
    assert declined.json()["status"] == "invited"
    assert declined.json()["represented_by"] is None
    assert declined.json()["note"] == "NHS Sunderland CCG declined to represent it: No capacity"
    coverage = api_client.get(f"{GROUPS}{group.pk}/").json()["coverage"]
    assert (coverage["covered_count"], coverage["representation_requested"]) == (2, [])


# --- bounded queries -----------------------------------------------------------------------


def _queries(client, url) -> int:
    cache_clear()  # pages and the header's unread count are cached: count every query
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_work_and_the_group_page_queries_do_not_grow_with_requests(
    client, group, requested, nec_hub_officer, sunderland_lead
):
    pages = [reverse("workspace:my-work"), group.get_absolute_url()]
    client.force_login(sunderland_lead)
    small = [_queries(client, url) for url in pages]
    footprint = [c for c in group.hub.ccgs.all() if c.is_valid_on(group.footprint_day)]
    services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=footprint)
    for place_ in CCGMembership.objects.filter(group=group, status="invited"):
        services.membership_respond(
            by=nec_hub_officer,
            membership=place_,
            version=place_.version,
            answer=Answer.REPRESENT,
            represented_by=ccg("00P"),
        )
    for i, place_ in enumerate(CCGMembership.objects.filter(group=group, status=REQUESTED)):
        if i % 2:
            services.representation_confirm(
                by=sunderland_lead, membership=place_, version=place_.version
            )
    assert CCGMembership.objects.filter(status=REQUESTED).count() >= 4
    assert CCGMembership.objects.filter(status="represented").count() >= 4
    big = [_queries(client, url) for url in pages]
    assert big == small


def test_my_works_places_are_one_query_and_the_separate_reads(group, requested):
    """Issue 20: invitations, representation and places in open groups, read once for My
    work, are what the three separate reads give, each in its own order."""
    lead = make_user(
        "pat@example.nhs.uk",
        "Pat Doe",
        (Role.CCG_LEAD, ccg("00P")),
        (Role.CCG_LEAD, ccg("00C")),
    )
    day = group.start_date
    ids = scopes(lead).ccg_ids  # the roles: read once per request, before
    with CaptureQueriesContext(connection) as read:
        places = ccg_places(lead, day)
    assert len(read) == 1
    assert places.awaiting == list(memberships_awaiting(lead)) == [place(group, "00C")]
    assert places.representing == representation_for(lead) == [place(group, "00L")]
    members = member_groups_of(ids).filter(group_id__in=open_groups(day).values("pk"))
    assert places.members == list(members.order_by("ccg__name")) == [place(group, "00P")]
    assert ccg_places(make_user("nn@example.nhs.uk", "No Role"), day).members == []
