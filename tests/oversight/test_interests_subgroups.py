"""Register of interests (with conflict flags in meetings) and delivery sub-groups."""

import datetime

import pytest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from hubs.models import Hub
from meetings import services as meetings
from meetings.conflicts import conflicts_by_item
from oversight import services
from oversight.models import GroupMember, Interest, SubGroup
from oversight.services import GroupError

pytestmark = pytest.mark.django_db

START = datetime.date(2015, 4, 1)
WHEN = datetime.datetime(2015, 4, 21, 14, tzinfo=datetime.UTC)


@pytest.fixture
def group(nec_hub_officer):
    return services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC Group",
        kind="oversight_group",
        start_date=START,
    )


@pytest.fixture
def ruth(group, nec_hub_officer):
    return services.member_add(
        by=nec_hub_officer,
        group=group,
        full_name="Ruth Adams",
        email="",
        organisation="NHS Sunderland CCG",
        sector="nhs_england",
        ccg=None,
        role="vice_chair",
        voting=True,
        start_date=START,
        end_date=None,
    )


def interest(by, member, organisation="Newcastle upon Tyne Hospitals", **extra):
    fields = {
        "kind": "indirect",
        "organisation": organisation,
        "description": "Spouse is a consultant there",
        "valid_from": START,
        "valid_to": None,
        **extra,
    }
    return services.interest_declare(by=by, member=member, **fields)


def test_items_naming_an_interest_flag_the_member(group, ruth, nec_hub_officer):
    interest(nec_hub_officer, ruth)
    meeting = meetings.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="April",
        starts_at=WHEN,
        location="Durham",
        online=False,
    )
    vascular = meetings.item_add(
        by=nec_hub_officer,
        meeting=meeting,
        title="Vascular centres",
        purpose="decision",
        concerns="Newcastle upon Tyne Hospitals, South Tees",
    )
    other = meetings.item_add(
        by=nec_hub_officer, meeting=meeting, title="Welcome", purpose="information"
    )
    items = list(meeting.items.prefetch_related("declarations"))
    flags = conflicts_by_item(meeting, items)
    assert [c.interest.member for c in flags[vascular.pk]] == [ruth]
    assert not flags[vascular.pk][0].declared
    assert other.pk not in flags
    meetings.declaration_add(
        by=nec_hub_officer,
        item=vascular,
        member=ruth,
        interest="Spouse",
        managed_by="Left the room",
    )
    items = list(meeting.items.prefetch_related("declarations"))
    assert conflicts_by_item(meeting, items)[vascular.pk][0].declared


def test_ended_interests_do_not_flag_later_meetings(group, ruth, nec_hub_officer):
    entry = interest(nec_hub_officer, ruth)
    services.interest_update(
        by=nec_hub_officer,
        interest=entry,
        version=entry.version,
        kind="indirect",
        organisation=entry.organisation,
        description=entry.description,
        valid_from=START,
        valid_to=datetime.date(2015, 4, 10),
    )
    meeting = meetings.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="April",
        starts_at=WHEN,
        location="Durham",
        online=False,
    )
    meetings.item_add(
        by=nec_hub_officer,
        meeting=meeting,
        title="Newcastle upon Tyne Hospitals",
        purpose="decision",
    )
    assert conflicts_by_item(meeting, list(meeting.items.prefetch_related("declarations"))) == {}
    assert Interest.objects.count() == 1  # ended, not deleted
    assert entry.history.count() == 2


def test_bad_interests_are_refused(group, ruth, nec_hub_officer):
    with pytest.raises(GroupError, match="on or after the start date") as raised:
        interest(nec_hub_officer, ruth, valid_to=datetime.date(2015, 1, 1))
    assert raised.value.field == "valid_to"
    entry = interest(nec_hub_officer, ruth)
    stale = entry.version
    services.interest_update(
        by=nec_hub_officer,
        interest=entry,
        version=stale,
        kind="financial",
        organisation=entry.organisation,
        description="Shares",
        valid_from=START,
        valid_to=None,
    )
    with pytest.raises(ConflictError):
        services.interest_update(
            by=nec_hub_officer,
            interest=entry,
            version=stale,
            kind="personal",
            organisation=entry.organisation,
            description="Other",
            valid_from=START,
            valid_to=None,
        )


def test_subgroups(group, ruth, nec_hub_officer, london_hub_officer):
    cardio = services.subgroup_create(
        by=nec_hub_officer,
        group=group,
        name="Cardiology",
        focus_kind="pathway",
        focus="Cardiac surgery and PCI",
        lead=ruth,
        members=[ruth],
        terms="Deliver priority 1",
    )
    assert list(cardio.members.all()) == [ruth]
    with pytest.raises(GroupError, match="already has an active sub-group") as raised:
        services.subgroup_create(
            by=nec_hub_officer,
            group=group,
            name="cardiology",
            focus_kind="pathway",
            focus="x",
            lead=None,
            terms="",
        )
    assert raised.value.field == "name"
    london = services.group_create(
        by=london_hub_officer,
        hub=Hub.objects.get(slug="london"),
        name="London",
        kind="oversight_group",
        start_date=START,
    )
    stranger = GroupMember.objects.create(
        group=london, full_name="S", organisation="O", sector="nhs_england", start_date=START
    )
    with pytest.raises(GroupError, match="Choose a lead from the group's members"):
        services.subgroup_create(
            by=nec_hub_officer,
            group=group,
            name="Tees",
            focus_kind="geography",
            focus="Tees Valley",
            lead=stranger,
            terms="",
        )
    closed = services.subgroup_update(
        by=nec_hub_officer,
        subgroup=cardio,
        version=cardio.version,
        name="Cardiology",
        focus_kind="pathway",
        focus="Cardiac",
        lead=ruth,
        terms="",
        status="closed",
        members=[],
    )
    assert closed.status == SubGroup.Status.CLOSED
    assert SubGroup.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("london_hub_officer", 404, 404),
        ("north_reviewer", 200, 403),
        ("nec_hub_officer", 200, 200),
    ],
)
def test_access_ladder(client, request, group, ruth, nec_hub_officer, persona, read, write):
    entry = interest(nec_hub_officer, ruth)
    sub = services.subgroup_create(
        by=nec_hub_officer,
        group=group,
        name="Cardiology",
        focus_kind="pathway",
        focus="Cardiac",
        lead=None,
        terms="",
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("oversight:interest-register", args=[group.pk])).status_code == read
    for url in (
        reverse("oversight:interest-create", args=[group.pk]),
        reverse("oversight:interest-edit", args=[entry.pk]),
        reverse("oversight:subgroup-create", args=[group.pk]),
        reverse("oversight:subgroup-edit", args=[sub.pk]),
    ):
        assert client.get(url).status_code == write, url
    posted = client.post(
        reverse("oversight:subgroup-create", args=[group.pk]),
        {"name": "Renal", "focus_kind": "pathway", "focus": "Dialysis"},
    )
    assert posted.status_code == (302 if write == 200 else write)
    assert SubGroup.objects.filter(name="Renal").exists() == (write == 200)


def test_forms_show_errors_by_the_field(client, group, ruth, nec_hub_officer):
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("oversight:interest-create", args=[group.pk]),
        {
            "member": ruth.pk,
            "kind": "financial",
            "organisation": "X",
            "description": "Y",
            "valid_from": "2015-04-01",
            "valid_to": "2015-03-01",
        },
    )
    assert 'id="id_valid_to_error"' in response.content.decode()
    assert not Interest.objects.exists()


def test_pages_stay_bounded(client, group, ruth, nec_hub_officer, django_assert_max_num_queries):
    people = GroupMember.objects.bulk_create(
        GroupMember(
            group=group, full_name=f"P{i}", organisation="O", sector="nhs_england", start_date=START
        )
        for i in range(30)
    )
    Interest.objects.bulk_create(
        Interest(
            member=p, kind="financial", organisation=f"Trust {i}", description="d", valid_from=START
        )
        for i, p in enumerate(people)
    )
    for n in range(10):
        sub = SubGroup.objects.create(
            group=group, name=f"S{n}", focus_kind="pathway", focus="f", lead=people[n]
        )
        sub.members.set(people[:10])
    meeting = meetings.meeting_schedule(
        by=nec_hub_officer, group=group, title="M", starts_at=WHEN, location="X", online=False
    )
    for i in range(15):
        meetings.item_add(
            by=nec_hub_officer, meeting=meeting, title=f"Trust {i} services", purpose="discussion"
        )
    client.force_login(nec_hub_officer)
    # 16: one more than before issue 13, for the hand-overs box (one query whatever its size);
    # 17 since issue 16, for the hub's integrated care systems (where a board may succeed it);
    # 18 since issue 20, for the page cache to find the group's hub (its scope) when it renders.
    with django_assert_max_num_queries(18):
        client.get(group.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(reverse("oversight:interest-register", args=[group.pk]))
    with django_assert_max_num_queries(17):
        page = client.get(meeting.get_absolute_url())
    assert b"Possible conflict of interest" in page.content


def test_interests_and_subgroups_api(
    api_client, group, ruth, nec_hub_officer, north_reviewer, london_hub_officer
):
    body = {
        "member": ruth.pk,
        "kind": "financial",
        "organisation": "South Tees Hospitals",
        "description": "Shares",
        "valid_from": "2015-04-01",
    }
    assert api_client.get("/api/v1/interests/").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.post("/api/v1/interests/", body, format="json").status_code == 400
    api_client.force_authenticate(north_reviewer)
    assert api_client.post("/api/v1/interests/", body, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    made = api_client.post("/api/v1/interests/", body, format="json").json()
    url = f"/api/v1/interests/{made['id']}/"
    bad = api_client.patch(
        url, {"version": made["version"], "valid_to": "2014-01-01"}, format="json"
    )
    assert bad.status_code == 400
    assert "valid_to" in bad.json()
    ended = api_client.patch(
        url, {"version": made["version"], "valid_to": "2016-03-31"}, format="json"
    )
    assert ended.json()["valid_to"] == "2016-03-31"
    stale = api_client.patch(url, {"version": made["version"], "description": "x"}, format="json")
    assert stale.status_code == 409
    services.subgroup_create(
        by=nec_hub_officer,
        group=group,
        name="Cardiology",
        focus_kind="pathway",
        focus="Cardiac",
        lead=ruth,
        members=[ruth],
        terms="",
    )
    listed = api_client.get("/api/v1/subgroups/").json()["results"]
    assert [(s["name"], s["members"]) for s in listed] == [("Cardiology", [ruth.pk])]
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get("/api/v1/subgroups/").json()["count"] == 0
    assert api_client.get(url).status_code == 404
