"""The committee pages (issue 15, "What to build" 5): who sees and runs each committee (a
permission ladder per page: anonymous → outsider → reader → manager), bad input beside its
field with nothing changed, a stale version shown as a conflict, a committee meeting's page
(no action log or recommendations; who took no part), and bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from hubs.models import CCG, Region
from meetings import services
from meetings.models import Meeting
from oversight import committees
from oversight import services as oversight
from oversight.models import Committee, GroupMember
from tests.conftest import cache_clear
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db

START = datetime.date(2014, 10, 1)
WHEN = datetime.datetime(2015, 2, 10, 14, tzinfo=datetime.UTC)


# --- people and committees --------------------------------------------------------------------


@pytest.fixture
def committee_member(register):
    """Cara, a member of NHS England's Commissioning Committee (as in tests/cocommissioning)."""
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


@pytest.fixture
def other_lead(register):
    """Nell, lead of NHS South Tyneside CCG (00N): of the North, not of the joint committee."""
    return make_user(
        "nell@example.nhs.uk", "Nell Shaw", (Role.CCG_LEAD, CCG.objects.get(ods_code="00N"))
    )


@pytest.fixture
def london_regional(register):
    """Lena, on the London regional team: reads the national committee, not the North's."""
    return make_user(
        "lena@example.nhs.uk", "Lena Ortiz", (Role.REGIONAL_TEAM, Region.objects.get(slug="london"))
    )


@pytest.fixture
def national(committee_member):
    return committees.commissioning_committee_ensure(by=committee_member, start_date=START)


@pytest.fixture
def joint(north_reviewer):
    """The North's joint committee of Sunderland (00P) and Northumberland (00L) CCGs."""
    return committees.joint_committee_create(
        by=north_reviewer,
        region=Region.objects.get(slug="north"),
        ccgs=list(CCG.objects.filter(ods_code__in=["00P", "00L"])),
        start_date=START,
    )


@pytest.fixture
def london_joint(national_admin):
    ccg = CCG.objects.filter(hub__region__slug="london", kind=CCG.Kind.CCG).order_by("name")[0]
    return committees.joint_committee_create(
        by=national_admin, region=Region.objects.get(slug="london"), ccgs=[ccg], start_date=START
    )


@pytest.fixture
def bodies(national, joint):
    return {"national": national, "joint": joint}


@pytest.fixture
def who(request):
    def get(name):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


def add(body, by, name, **fields):
    return oversight.member_add(
        by=by,
        group=body,
        full_name=name,
        email="",
        organisation="NHS England",
        sector=fields.get("sector", "nhs_england"),
        ccg=fields.get("ccg"),
        role=fields.get("role", "member"),
        voting=fields.get("voting", True),
        start_date=START,
        end_date=None,
    )


def manager_of(body) -> str:
    return "committee_member" if body.is_national else "north_reviewer"


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- the permission ladder --------------------------------------------------------------------

# What each persona gets when it changes each committee: 404 (not theirs to see), 403 (they
# read it but do not run it) or 200 (they run it). Anonymous people are sent to sign in.
LADDER = {
    "roleless_user": {"national": 404, "joint": 404},
    "nec_hub_officer": {"national": 404, "joint": 404},
    "other_lead": {"national": 404, "joint": 404},
    "london_regional": {"national": 403, "joint": 404},
    "sunderland_lead": {"national": 404, "joint": 200},
    "north_reviewer": {"national": 403, "joint": 200},
    "committee_member": {"national": 200, "joint": 403},
    "national_admin": {"national": 403, "joint": 403},
}
CASES = [(persona, which) for persona in LADDER for which in ("national", "joint")]


def _posts(body) -> dict:
    """A valid submission of each of the committee's forms."""
    return {
        "committee-edit": {
            "version": body.version,
            "name": "Renamed committee",
            "purpose": "Decides.",
            "quorum_chair_or_vice_required": "on",
            "quorum_min_voting_members": "2",
            "quorum_min_ccg_members": "1",
        },
        "committee-meeting-create": {
            "title": "March meeting",
            "starts_at": "2015-03-10T14:00",
            "location": "Quarry House, Leeds",
        },
        "committee-member-add": {
            "full_name": "Ada Newcomer",
            "email": "",
            "organisation": "NHS England",
            "sector": "nhs_england",
            "ccg": "",
            "role": "member",
            "voting": "yes",
            "start_date": "2015-01-05",
            "end_date": "",
        },
    }


def _state(body) -> tuple:
    body = Committee.objects.get(pk=body.pk)
    return (body.name, body.version, body.meetings.count(), body.members.count())


@pytest.mark.parametrize(("persona", "which"), CASES)
def test_committee_pages_ladder(client, who, bodies, persona, which):
    body = bodies[which]
    member = add(body, who(manager_of(body)), "Mo Member")
    write = LADDER[persona][which]
    read = 404 if write == 404 else 200
    client.force_login(who(persona))
    detail = client.get(body.get_absolute_url())
    assert detail.status_code == read
    if read == 200:
        page = detail.content.decode()
        manages = write == 200
        assert ("Change the committee's name, purpose or quorum" in page) == manages
        assert ("Schedule a meeting" in page) == manages
        assert ("Add a member" in page) == manages
        member_link = reverse("meetings:committee-member-edit", args=[member.pk])
        assert (member_link in page) == manages
        assert "Mo Member" in page
    for name in ("committee-edit", "committee-meeting-create", "committee-member-add"):
        assert client.get(reverse(f"meetings:{name}", args=[body.pk])).status_code == write
    edit_member = reverse("meetings:committee-member-edit", args=[member.pk])
    assert client.get(edit_member).status_code == write
    for name, data in _posts(body).items():
        before = _state(body)
        posted = client.post(reverse(f"meetings:{name}", args=[body.pk]), data)
        if write == 200:
            assert posted.status_code == 302, posted.content.decode()[:2000]
            assert _state(body) != before
        else:
            assert posted.status_code == write
            assert _state(body) == before
    member_post = client.post(
        edit_member,
        {**_posts(body)["committee-member-add"], "full_name": "Mo Renamed", "version": 1},
    )
    assert member_post.status_code == (302 if write == 200 else write)
    assert fresh(member).full_name == ("Mo Renamed" if write == 200 else "Mo Member")


@pytest.mark.parametrize(("persona", "which"), CASES)
def test_committee_meeting_pages_ladder(client, who, bodies, persona, which):
    """A committee's meetings are read by whoever reads the committee, run by who runs it."""
    body = bodies[which]
    manager = who(manager_of(body))
    add(body, manager, "Mo Member", role="chair")
    meeting = services.meeting_schedule(
        by=manager, group=body, title="February", starts_at=WHEN, location="", online=True
    )
    write = LADDER[persona][which]
    client.force_login(who(persona))
    assert client.get(meeting.get_absolute_url()).status_code == (404 if write == 404 else 200)
    for name in ("meeting-edit", "attendance-edit", "item-create"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == write
    posted = client.post(
        reverse("meetings:item-create", args=[meeting.pk]),
        {"title": "Delegation", "purpose": "decision"},
    )
    assert posted.status_code == (302 if write == 200 else write)
    assert meeting.items.count() == (1 if write == 200 else 0)
    if write == 200:
        attendance = client.get(reverse("meetings:attendance-edit", args=[meeting.pk]))
        assert "Mo Member" in attendance.content.decode()


def test_anonymous_people_are_asked_to_sign_in(client, national):
    for url in (
        reverse("meetings:committee-list"),
        national.get_absolute_url(),
        reverse("meetings:committee-edit", args=[national.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.url
    assert (
        client.post(reverse("meetings:committee-edit", args=[national.pk]), {}).status_code == 302
    )
    assert fresh(national).version == 1


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("roleless_user", set()),
        ("nec_hub_officer", set()),
        ("other_lead", set()),
        ("sunderland_lead", {"joint"}),
        ("north_reviewer", {"national", "joint"}),
        ("london_regional", {"national", "london_joint"}),
        ("committee_member", {"national", "joint", "london_joint"}),
        ("national_admin", {"national", "joint", "london_joint"}),
    ],
)
def test_the_list_shows_only_the_committees_each_may_see(
    client, who, national, joint, london_joint, persona, sees
):
    names = {"national": national, "joint": joint, "london_joint": london_joint}
    client.force_login(who(persona))
    response = client.get(reverse("meetings:committee-list"))
    assert response.status_code == 200
    assert {c.pk for c in response.context["committees"]} == {names[n].pk for n in sees}
    page = response.content.decode()
    for name, committee in names.items():
        assert (committee.get_absolute_url() in page) == (name in sees)
    if not sees:
        assert "No committees you can see." in page


# --- bad input and stale versions -------------------------------------------------------------


def test_bad_terms_are_refused_beside_the_field(client, national, committee_member):
    client.force_login(committee_member)
    url = reverse("meetings:committee-edit", args=[national.pk])
    form = _posts(national)["committee-edit"]
    zero = client.post(url, {**form, "quorum_min_voting_members": "0"})
    assert zero.status_code == 200
    page = zero.content.decode()
    assert 'id="id_quorum_min_voting_members_error"' in page
    assert "At least one voting member must be present for a quorum" in page
    more = client.post(
        url, {**form, "quorum_min_voting_members": "2", "quorum_min_ccg_members": "3"}
    )
    page = more.content.decode()
    assert 'id="id_quorum_min_ccg_members_error"' in page
    assert "cannot be more than the voting members needed" in page
    blank = client.post(url, {**form, "name": ""})
    assert 'id="id_name_error"' in blank.content.decode()
    national = fresh(national)
    assert (national.version, national.name, national.quorum_min_voting_members) == (
        1,
        "NHS England Commissioning Committee",
        3,
    )


def test_a_stale_edit_shows_the_conflict_and_changes_nothing(client, national, committee_member):
    opened = national.version
    committees.committee_update(
        by=committee_member, committee=national, version=opened, purpose="Signs off delegation."
    )
    client.force_login(committee_member)
    form = {**_posts(national)["committee-edit"], "version": opened}
    response = client.post(reverse("meetings:committee-edit", args=[national.pk]), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved this while you were editing" in page
    assert f'value="{opened + 1}"' in page  # saving again is deliberate
    national = fresh(national)
    assert (national.name, national.purpose, national.version) == (
        "NHS England Commissioning Committee",
        "Signs off delegation.",
        opened + 1,
    )


def test_bad_meetings_and_members_are_refused_beside_the_field(client, joint, north_reviewer):
    client.force_login(north_reviewer)
    early = client.post(
        reverse("meetings:committee-meeting-create", args=[joint.pk]),
        {"title": "Too early", "starts_at": "2014-09-01T10:00", "location": "Leeds"},
    )
    page = early.content.decode()
    assert 'id="id_starts_at_error"' in page
    assert "before the committee started" in page
    member = _posts(joint)["committee-member-add"]
    outsider = client.post(
        reverse("meetings:committee-member-add", args=[joint.pk]),
        {**member, "sector": "ccg", "ccg": "00N"},  # of the hub, not of the committee
    )
    assert 'id="id_ccg_error"' in outsider.content.decode()
    missing = client.post(
        reverse("meetings:committee-member-add", args=[joint.pk]), {**member, "sector": "ccg"}
    )
    assert "Choose the CCG this member speaks for" in missing.content.decode()
    assert not joint.meetings.exists()
    assert not joint.members.exists()
    # The form offers only the committee's own CCGs.
    form = client.get(reverse("meetings:committee-member-add", args=[joint.pk]))
    offered = {c.ods_code for c in form.context["form"].fields["ccg"].queryset}
    assert offered == {"00P", "00L"}


# --- a committee meeting's page ---------------------------------------------------------------


def test_a_committee_meetings_page(
    client, national, committee_member, london_regional, nec_hub_officer
):
    chair = add(national, committee_member, "Cara Chair", role="chair")
    other = add(national, committee_member, "Sam Second")
    meeting = services.meeting_schedule(
        by=committee_member,
        group=national,
        title="February meeting",
        starts_at=WHEN,
        location="Skipton House",
        online=False,
    )
    item = services.item_add(
        by=committee_member, meeting=meeting, title="Delegation: Sunderland", purpose="decision"
    )
    services.declaration_add(
        by=committee_member,
        item=item,
        member=chair,
        interest="Partner at a Sunderland practice",
        managed_by="Left the room",
        excluded=True,
    )
    services.declaration_add(
        by=committee_member,
        item=item,
        member=other,
        interest="Knows the accountable officer",
        managed_by="Stayed; no conflict",
    )
    client.force_login(committee_member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Action log" not in page
    assert "Recommendations" not in page
    assert reverse("meetings:action-create", args=[meeting.pk]) not in page
    assert reverse("meetings:recommendation-create", args=[meeting.pk]) not in page
    assert page.count("Took no part in the decision.") == 1  # the chair's, not Sam's
    assert "Rule from the committee's terms of reference" in page
    assert "Attendance not taken yet" in page  # no attendance recorded (issue 18, finding 9)
    assert reverse("meetings:item-edit", args=[item.pk]) in page  # the committee runs it
    client.force_login(london_regional)  # a reader
    reader = client.get(meeting.get_absolute_url())
    assert reader.status_code == 200
    assert reverse("meetings:item-edit", args=[item.pk]) not in reader.content.decode()
    assert client.get(reverse("meetings:meeting-edit", args=[meeting.pk])).status_code == 403
    posted = client.post(
        reverse("meetings:item-create", args=[meeting.pk]),
        {"title": "Sneaky", "purpose": "decision"},
    )
    assert posted.status_code == 403
    assert meeting.items.count() == 1
    client.force_login(nec_hub_officer)  # hub staff see no committee
    assert client.get(meeting.get_absolute_url()).status_code == 404
    # An oversight group's meeting still has its action log.
    group = make_group(by=nec_hub_officer)
    group_meeting = services.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="April",
        starts_at=datetime.datetime(2015, 4, 21, 14, tzinfo=datetime.UTC),
        location="Durham",
        online=False,
    )
    assert "Action log" in client.get(group_meeting.get_absolute_url()).content.decode()


# --- bounded queries --------------------------------------------------------------------------


def _count(client, url) -> int:
    cache_clear()  # the page cache and the header's counts: every query, every time
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_committee_list_reads_in_bounded_queries(
    client, national, joint, committee_member, north_reviewer, django_assert_max_num_queries
):
    client.force_login(committee_member)
    url = reverse("meetings:committee-list")
    few = _count(client, url)
    north_ccgs = list(CCG.objects.filter(hub__region__slug="north", kind=CCG.Kind.CCG)[:12])
    for n in range(12):
        committees.joint_committee_create(
            by=north_reviewer,
            region=Region.objects.get(slug="north"),
            ccgs=north_ccgs[n : n + 3],
            start_date=START,
            name=f"Joint committee {n}",
        )
    cache_clear()
    with django_assert_max_num_queries(few):
        page = client.get(url)
    assert len(page.context["committees"]) == 14


def test_the_committee_page_reads_in_bounded_queries(
    client, joint, north_reviewer, django_assert_max_num_queries
):
    add(joint, north_reviewer, "Only Member", role="chair")
    Meeting.objects.create(committee=joint, title="First", starts_at=WHEN, location="Leeds")
    client.force_login(north_reviewer)
    url = joint.get_absolute_url()
    few = _count(client, url)
    ccg = CCG.objects.get(ods_code="00P")
    GroupMember.objects.bulk_create(
        GroupMember(
            committee=joint,
            full_name=f"Member {i}",
            organisation="NHS Sunderland CCG",
            sector="ccg",
            ccg=ccg,
            start_date=START,
        )
        for i in range(30)
    )
    Meeting.objects.bulk_create(
        Meeting(
            committee=joint,
            title=f"Meeting {n}",
            starts_at=WHEN + datetime.timedelta(days=7 * n),
            location="Leeds",
        )
        for n in range(1, 30)
    )
    cache_clear()
    with django_assert_max_num_queries(few):
        page = client.get(url)
    assert len(page.context["members"]) == 31
    assert page.context["page"].paginator.count == 30
    assert "Member 29" in page.content.decode()
