"""Committees that meet (issue 15, "What to build" 5; seed 002, "Model 2: Joint commissioning",
"Model 3: Delegated arrangements"): NHS England's Commissioning Committee and the primary care
joint committees, their terms (quorum), members, meetings, attendance, declarations, quorum
without the excluded, and the register of interests flagging an agenda item. Each refusal
changes nothing."""

import contextlib
import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role
from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from hubs.models import CCG, Region
from meetings import services
from meetings.conflicts import conflicts_by_item
from meetings.models import Action, AgendaItem, Attendance, Declaration, Meeting, Recommendation
from meetings.quorum import quorum_for, rule_for_meeting
from meetings.services import MeetingError
from oversight import committees
from oversight import services as oversight
from oversight.models import Committee, GroupMember, Interest
from oversight.services import GroupError
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db

START = datetime.date(2014, 10, 1)
WHEN = datetime.datetime(2015, 2, 10, 14, tzinfo=datetime.UTC)


# --- builders ---------------------------------------------------------------------------------


@pytest.fixture
def committee_member(register):
    """Cara, a member of NHS England's Commissioning Committee (as in tests/cocommissioning)."""
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


@pytest.fixture
def national(committee_member):
    """NHS England's Commissioning Committee (chair or vice chair, and 3 voting members)."""
    return committees.commissioning_committee_ensure(by=committee_member, start_date=START)


@pytest.fixture
def northumberland():
    """NHS Northumberland CCG (00L), another CCG of the North East and Cumbria hub."""
    return CCG.objects.get(ods_code="00L")


@pytest.fixture
def joint(north_reviewer, sunderland, northumberland):
    """A North primary care joint committee of Sunderland and Northumberland CCGs."""
    return committees.joint_committee_create(
        by=north_reviewer,
        region=Region.objects.get(slug="north"),
        ccgs=[sunderland, northumberland],
        start_date=START,
    )


@pytest.fixture
def sunderland():
    return CCG.objects.get(ods_code="00P")


def add(body, by, name, *, role="member", sector="nhs_england", ccg=None, voting=True, **extra):
    return oversight.member_add(
        by=by,
        group=body,
        full_name=name,
        email="",
        organisation=extra.get("organisation", "NHS England"),
        sector=sector,
        ccg=ccg,
        role=role,
        voting=voting,
        start_date=extra.get("start_date", START),
        end_date=None,
    )


def schedule(body, by, starts_at=WHEN):
    return services.meeting_schedule(
        by=by, group=body, title="Committee meeting", starts_at=starts_at, location="", online=True
    )


def snapshot():
    """Every committee and meeting row, and their versions (to show a refusal wrote nothing)."""
    rows = [
        Committee,
        GroupMember,
        Meeting,
        AgendaItem,
        Attendance,
        Declaration,
        Action,
        Recommendation,
        Interest,
        AuditEvent,
    ]
    return (
        {m.__name__: m.objects.count() for m in rows},
        list(Committee.objects.order_by("pk").values()),
        list(Meeting.objects.order_by("pk").values_list("pk", "version", "status")),
    )


@contextlib.contextmanager
def refused(error=GroupError, *, field=None, match=None):
    """The block is refused with `error` (beside `field`) and changes nothing."""
    before = snapshot()
    with pytest.raises(error, match=match) as caught:
        yield caught
    if field is not None:
        assert caught.value.field == field
    assert snapshot() == before


def audited(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- the committees ---------------------------------------------------------------------------


def test_there_is_one_open_commissioning_committee(committee_member, national):
    again = committees.commissioning_committee_ensure(
        by=committee_member, start_date=datetime.date(2015, 1, 1)
    )
    assert again == national
    assert Committee.objects.filter(kind=Committee.Kind.COMMISSIONING_COMMITTEE).count() == 1
    assert national.is_national
    assert national.region is None
    assert national.start_date == START  # the first call's, not the second's
    assert audited("committee.created") == 1
    # The database holds the rule too: a second open one is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(
            kind=Committee.Kind.COMMISSIONING_COMMITTEE, name="Another", start_date=START
        )
    # Once closed, the next one is made afresh.
    Committee.objects.filter(pk=national.pk).update(
        status=Committee.Status.CLOSED, closed_on=datetime.date(2016, 3, 31)
    )
    successor = committees.commissioning_committee_ensure(
        by=committee_member, start_date=datetime.date(2016, 4, 1)
    )
    assert successor != national
    assert successor.start_date == datetime.date(2016, 4, 1)


def test_a_joint_committee_needs_ccgs(north_reviewer, sunderland, northumberland):
    north = Region.objects.get(slug="north")
    with refused(field="ccgs", match="at least one CCG"):
        committees.joint_committee_create(
            by=north_reviewer, region=north, ccgs=[], start_date=START
        )
    made = committees.joint_committee_create(
        by=north_reviewer, region=north, ccgs=[sunderland, northumberland], start_date=START
    )
    assert made.kind == Committee.Kind.JOINT_COMMITTEE
    assert not made.is_national
    assert made.region == north
    assert set(made.ccgs.all()) == {sunderland, northumberland}
    assert made.name == (
        "Primary care joint committee: NHS Northumberland CCG and NHS Sunderland CCG and "
        "NHS England"
    )
    assert (made.quorum_min_voting_members, made.quorum_min_ccg_members) == (2, 1)
    assert audited("committee.created") == 1


def test_committee_terms_are_checked_and_versioned(committee_member, national):
    version = national.version
    with refused(field="quorum_min_voting_members", match="At least one voting member"):
        committees.committee_update(
            by=committee_member, committee=national, version=version, quorum_min_voting_members=0
        )
    with refused(field="quorum_min_ccg_members", match="cannot be more than the voting"):
        committees.committee_update(
            by=committee_member,
            committee=national,
            version=version,
            quorum_min_voting_members=2,
            quorum_min_ccg_members=3,
        )
    with refused(field="name"):
        committees.committee_update(
            by=committee_member, committee=national, version=version, name="  "
        )
    changed = committees.committee_update(
        by=committee_member,
        committee=national,
        version=version,
        quorum_min_voting_members=4,
        quorum_chair_or_vice_required=False,
    )
    assert changed.version == version + 1
    assert (changed.quorum_min_voting_members, changed.quorum_chair_or_vice_required) == (4, False)
    event = AuditEvent.objects.get(verb="committee.updated")
    assert set(event.data["fields"]) == {
        "quorum_min_voting_members",
        "quorum_chair_or_vice_required",
    }
    with refused(ConflictError):  # opened before the change
        committees.committee_update(
            by=committee_member, committee=national, version=version, name="Renamed"
        )
    national.refresh_from_db()
    assert national.name == "NHS England Commissioning Committee"


# --- members ----------------------------------------------------------------------------------


def test_a_joint_committees_ccg_member_speaks_for_one_of_its_ccgs(
    north_reviewer, joint, sunderland
):
    outsider = CCG.objects.get(ods_code="00N")  # of the hub, but not of the committee
    with refused(field="ccg", match="one of the joint committee's CCGs"):
        add(joint, north_reviewer, "Nora Outside", sector="ccg", ccg=outsider)
    member = add(joint, north_reviewer, "Ruth Adams", sector="ccg", ccg=sunderland)
    assert (member.committee, member.group, member.body) == (joint, None, joint)
    assert member.ccg == sunderland
    # The same person twice on the committee is refused, as on a group.
    with refused():
        add(joint, north_reviewer, "ruth adams", sector="ccg", ccg=sunderland)


def test_a_closed_committee_takes_no_members_and_holds_no_meetings(committee_member, national):
    Committee.objects.filter(pk=national.pk).update(
        status=Committee.Status.CLOSED, closed_on=datetime.date(2016, 3, 31)
    )
    national.refresh_from_db()
    with refused(match="A closed committee cannot take new members"):
        add(national, committee_member, "Late Comer")
    with refused(MeetingError, match="A closed committee cannot hold meetings"):
        schedule(national, committee_member)


# --- meetings ---------------------------------------------------------------------------------


def test_a_committee_meeting_falls_within_its_life(committee_member, national):
    with refused(MeetingError, field="starts_at", match="before the committee started"):
        schedule(
            national, committee_member, datetime.datetime(2014, 9, 30, 10, tzinfo=datetime.UTC)
        )
    meeting = schedule(national, committee_member)
    assert (meeting.committee, meeting.group, meeting.body) == (national, None, national)
    assert meeting.is_committee
    assert list(national.meetings.all()) == [meeting]
    assert audited("meeting.scheduled") == 1


def test_attendance_only_for_the_committees_members(committee_member, national, nec_hub_officer):
    chair = add(national, committee_member, "Cara Chair", role="chair")
    group = make_group(by=nec_hub_officer)
    stranger = oversight.member_add(
        by=nec_hub_officer,
        group=group,
        full_name="Greta Group",
        email="",
        organisation="NHS England",
        sector="nhs_england",
        ccg=None,
        role="member",
        voting=True,
        start_date=datetime.date(2015, 4, 1),
        end_date=None,
    )
    meeting = schedule(
        national, committee_member, datetime.datetime(2015, 5, 5, tzinfo=datetime.UTC)
    )
    with refused(MeetingError, match="members on the meeting's date"):
        services.attendance_record(
            by=committee_member,
            meeting=meeting,
            statuses={chair.pk: "present", stranger.pk: "present"},
        )
    rows = services.attendance_record(
        by=committee_member, meeting=meeting, statuses={chair.pk: "present"}
    )
    assert [(a.member, a.status) for a in rows] == [(chair, "present")]


def test_declarations_are_for_the_committees_members_and_may_exclude(
    committee_member, national, joint, north_reviewer, sunderland
):
    member = add(national, committee_member, "Cara Chair", role="chair")
    joint_member = add(joint, north_reviewer, "Ruth Adams", sector="ccg", ccg=sunderland)
    meeting = schedule(national, committee_member)
    item = services.item_add(
        by=committee_member, meeting=meeting, title="Delegation: Sunderland", purpose="decision"
    )
    with refused(MeetingError, field="member", match="Choose a member of this committee"):
        services.declaration_add(
            by=committee_member,
            item=item,
            member=joint_member,
            interest="Governing body member",
            managed_by="Left the room",
            excluded=True,
        )
    declaration = services.declaration_add(
        by=committee_member,
        item=item,
        member=member,
        interest="Partner at a Sunderland practice",
        managed_by="Left the room and took no part",
        excluded=True,
    )
    assert declaration.excluded
    assert not services.declaration_add(
        by=committee_member, item=item, member=member, interest="Friend", managed_by="Stayed"
    ).excluded  # not excluded unless said
    assert audited("interest.declared") == 2


def test_a_group_member_cannot_declare_at_a_committee_meeting(
    committee_member, national, nec_hub_officer
):
    group = make_group(by=nec_hub_officer)
    outsider = oversight.member_add(
        by=nec_hub_officer,
        group=group,
        full_name="Greta Group",
        email="",
        organisation="NHS England",
        sector="nhs_england",
        ccg=None,
        role="member",
        voting=True,
        start_date=datetime.date(2015, 4, 1),
        end_date=None,
    )
    meeting = schedule(national, committee_member)
    item = services.item_add(by=committee_member, meeting=meeting, title="X", purpose="decision")
    with refused(MeetingError, field="member"):
        services.declaration_add(
            by=committee_member, item=item, member=outsider, interest="x", managed_by="y"
        )


def test_a_committee_meeting_keeps_no_actions_or_recommendations(committee_member, national):
    meeting = schedule(national, committee_member)
    meeting = services.meeting_update(
        by=committee_member, meeting=meeting, version=meeting.version, status="held"
    )
    item = services.item_add(by=committee_member, meeting=meeting, title="X", purpose="decision")
    with refused(MeetingError, match="Action logs are kept for oversight groups"):
        services.action_add(
            by=committee_member,
            meeting=meeting,
            description="Write to the CCG",
            owner="Cara",
            due_date=datetime.date(2015, 3, 1),
            item=item,
        )
    with refused(MeetingError, match="only an oversight group makes recommendations"):
        services.recommendation_make(by=committee_member, meeting=meeting, title="T", detail="D")


# --- quorum -----------------------------------------------------------------------------------


def test_committee_quorum_counts_voting_members_and_not_the_excluded(committee_member, national):
    chair = add(national, committee_member, "Cara Chair", role="chair")
    second = add(national, committee_member, "Sam Second")
    third = add(national, committee_member, "Tess Third")
    observer = add(national, committee_member, "Olly Observer", role="observer", voting=False)
    meeting = schedule(national, committee_member)
    rule = rule_for_meeting(meeting)
    assert (rule.chair_or_vice_required, rule.min_voting_members, rule.min_ccg_members) == (
        True,
        3,
        0,
    )
    assert str(rule) == "The chair or vice chair present, plus at least 3 voting member(s) present"
    rows = services.attendance_record(
        by=committee_member,
        meeting=meeting,
        statuses={
            chair.pk: "present",
            second.pk: "present",
            third.pk: "present",
            observer.pk: "present",
        },
    )
    quorum = quorum_for(rows, rule)
    assert quorum.met
    assert quorum.voting_members_present == 3  # the observer does not vote
    excluded = quorum_for(rows, rule, excluded=frozenset({third.pk}))
    assert not excluded.met
    assert excluded.shortfall == ["2 voting member(s) present; 3 needed."]
    without_chair = quorum_for(rows, rule, excluded=frozenset({chair.pk}))
    assert without_chair.shortfall == [
        "Neither the chair nor a vice chair is present.",
        "2 voting member(s) present; 3 needed.",
    ]
    rows = services.attendance_record(
        by=committee_member,
        meeting=meeting,
        statuses={
            chair.pk: "apologies",
            second.pk: "present",
            third.pk: "present",
            observer.pk: "present",
        },
    )
    assert quorum_for(rows, rule).shortfall[0] == "Neither the chair nor a vice chair is present."


def test_a_joint_committees_quorum_needs_its_ccg_members(
    north_reviewer, joint, sunderland, northumberland
):
    chair = add(joint, north_reviewer, "Nina England", role="chair")
    ccg = add(joint, north_reviewer, "Ruth Adams", sector="ccg", ccg=sunderland)
    other = add(joint, north_reviewer, "Tom Lee", sector="ccg", ccg=northumberland, voting=False)
    meeting = schedule(joint, north_reviewer)
    rule = rule_for_meeting(meeting)
    assert (rule.min_voting_members, rule.min_ccg_members) == (2, 1)
    rows = services.attendance_record(
        by=north_reviewer,
        meeting=meeting,
        statuses={chair.pk: "present", ccg.pk: "present", other.pk: "present"},
    )
    assert quorum_for(rows, rule).met
    short = quorum_for(rows, rule, excluded=frozenset({ccg.pk}))
    assert short.shortfall == [
        "1 voting member(s) present; 2 needed.",
        "0 voting CCG member(s) present; 1 needed.",
    ]


# --- the register of interests ----------------------------------------------------------------


def test_a_committee_members_registered_interest_flags_the_item_naming_it(
    committee_member, national, nec_hub_officer
):
    member = add(national, committee_member, "Cara Chair", role="chair")
    interest = oversight.interest_declare(
        by=committee_member,
        member=member,
        kind=Interest.Kind.FINANCIAL,
        organisation="NHS Sunderland CCG",
        description="Spouse is its accountable officer",
        valid_from=datetime.date(2014, 4, 1),
        valid_to=None,
    )
    # A group member's interest in the same organisation is the group's, not the committee's.
    group = make_group(by=nec_hub_officer)
    outsider = oversight.member_add(
        by=nec_hub_officer,
        group=group,
        full_name="Greta Group",
        email="",
        organisation="NHS England",
        sector="nhs_england",
        ccg=None,
        role="member",
        voting=True,
        start_date=datetime.date(2015, 4, 1),
        end_date=None,
    )
    oversight.interest_declare(
        by=nec_hub_officer,
        member=outsider,
        kind=Interest.Kind.FINANCIAL,
        organisation="NHS Sunderland CCG",
        description="Governing body",
        valid_from=datetime.date(2014, 4, 1),
        valid_to=None,
    )
    meeting = schedule(national, committee_member)
    named = services.item_add(
        by=committee_member,
        meeting=meeting,
        title="Delegated commissioning",
        purpose="decision",
        concerns="NHS Sunderland CCG",
    )
    other = services.item_add(
        by=committee_member,
        meeting=meeting,
        title="Minutes of the last meeting",
        purpose="decision",
    )
    found = conflicts_by_item(meeting, [named, other])
    assert list(found) == [named.pk]
    assert [(c.interest, c.declared) for c in found[named.pk]] == [(interest, False)]
    services.declaration_add(
        by=committee_member,
        item=named,
        member=member,
        interest="Spouse is its accountable officer",
        managed_by="Took no part",
        excluded=True,
    )
    named = AgendaItem.objects.prefetch_related("declarations").get(pk=named.pk)
    assert [c.declared for c in conflicts_by_item(meeting, [named])[named.pk]] == [True]
