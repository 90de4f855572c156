"""Meetings: agenda, attendance and quorum, declarations, actions, recommendations, access."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commissioning.concurrency import ConflictError
from exports.models import Export
from hubs.models import CCG
from meetings import services
from meetings.models import Action, Attendance, Meeting, Recommendation
from meetings.quorum import QuorumRule, quorum_for
from meetings.services import MeetingError
from oversight import services as group_services
from oversight.models import GroupMember
from tests.factories import make_group
from tests.pdf_checks import assert_accessible_pdf, keep_pdf, pdf_text

pytestmark = pytest.mark.django_db

START = datetime.date(2015, 4, 1)
WHEN = datetime.datetime(2015, 4, 21, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def group(nec_hub_officer):
    return make_group(by=nec_hub_officer)


def add_member(group, by, name, role="member", sector="nhs_england", ods=None, voting=True):
    return group_services.member_add(
        by=by,
        group=group,
        full_name=name,
        email="",
        organisation="Org",
        sector=sector,
        ccg=CCG.objects.get(ods_code=ods) if ods else None,
        role=role,
        voting=voting,
        start_date=START,
        end_date=None,
    )


@pytest.fixture
def roster(group, nec_hub_officer):
    return {
        "chair": add_member(group, nec_hub_officer, "Asha Rao", role="chair"),
        "ccg1": add_member(group, nec_hub_officer, "Ruth Adams", sector="ccg", ods="00P"),
        "ccg2": add_member(group, nec_hub_officer, "Tom Lee", sector="ccg", ods="00L"),
        "ccg3": add_member(group, nec_hub_officer, "Kim Wu", sector="ccg", ods="00N", voting=False),
        "phe": add_member(group, nec_hub_officer, "Liz Turner", sector="phe"),
    }


@pytest.fixture
def meeting(group, nec_hub_officer):
    return services.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="April meeting",
        starts_at=WHEN,
        location="Durham",
        online=True,
    )


def held(meeting, by):
    return services.meeting_update(
        by=by, meeting=meeting, version=meeting.version, status=Meeting.Status.HELD
    )


# --- quorum ---------------------------------------------------------------------------------


def _attend(meeting, roster, by, **statuses):
    return services.attendance_record(
        by=by, meeting=meeting, statuses={roster[k].pk: v for k, v in statuses.items()}
    )


def test_quorum_needs_the_chair_and_enough_voting_ccg_members(meeting, roster, nec_hub_officer):
    rule = QuorumRule(chair_or_vice_required=True, min_ccg_members=2)
    rows = _attend(
        meeting,
        roster,
        nec_hub_officer,
        chair="present",
        ccg1="present",
        ccg2="present",
        ccg3="present",
        phe="apologies",
    )
    quorum = quorum_for(rows, rule)
    assert quorum.met
    assert quorum.ccg_members_present == 2  # Kim Wu is non-voting
    rows = _attend(
        meeting,
        roster,
        nec_hub_officer,
        chair="apologies",
        ccg1="present",
        ccg2="absent",
        ccg3="present",
        phe="present",
    )
    quorum = quorum_for(rows, rule)
    assert not quorum.met
    assert quorum.shortfall == [
        "Neither the chair nor a vice chair is present.",
        "1 voting CCG member(s) present; 2 needed.",
    ]
    assert Attendance.objects.filter(meeting=meeting).count() == 5


def test_without_agreed_terms_quorum_cannot_be_confirmed(meeting, roster, nec_hub_officer):
    rows = _attend(
        meeting,
        roster,
        nec_hub_officer,
        chair="present",
        ccg1="present",
        ccg2="present",
        ccg3="present",
        phe="present",
    )
    quorum = quorum_for(rows, None)
    assert not quorum.known
    assert not quorum.met
    assert "no agreed terms of reference" in quorum.shortfall[0]


def test_attendance_only_for_the_groups_members(
    meeting, roster, nec_hub_officer, london_hub_officer
):
    other = make_group(by=london_hub_officer, hub="london", name="London")
    stranger = add_member(other, london_hub_officer, "Sam Stranger")
    with pytest.raises(MeetingError, match="members on the meeting's date"):
        services.attendance_record(
            by=nec_hub_officer, meeting=meeting, statuses={stranger.pk: "present"}
        )
    assert not Attendance.objects.exists()


# --- the meeting and its record ---------------------------------------------------------------


def test_meeting_rules(group, nec_hub_officer):
    with pytest.raises(MeetingError, match="before the group started") as raised:
        services.meeting_schedule(
            by=nec_hub_officer,
            group=group,
            title="Too early",
            starts_at=datetime.datetime(2015, 1, 5, 10, tzinfo=datetime.UTC),
            location="X",
            online=False,
        )
    assert raised.value.field == "starts_at"
    with pytest.raises(MeetingError, match="tick “Online”") as raised:
        services.meeting_schedule(
            by=nec_hub_officer,
            group=group,
            title="Nowhere",
            starts_at=WHEN,
            location=" ",
            online=False,
        )
    assert raised.value.field == "location"
    future = services.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="Later",
        starts_at=timezone.now() + datetime.timedelta(days=30),
        location="",
        online=True,
    )
    with pytest.raises(MeetingError, match="before it starts"):
        services.meeting_update(
            by=nec_hub_officer, meeting=future, version=future.version, status="held"
        )
    assert Meeting.objects.count() == 1


def test_agenda_items_are_numbered_in_turn(meeting, nec_hub_officer):
    first = services.item_add(
        by=nec_hub_officer, meeting=meeting, title="Welcome", purpose="information"
    )
    second = services.item_add(
        by=nec_hub_officer, meeting=meeting, title="Priorities", purpose="decision"
    )
    assert (first.number, second.number) == (1, 2)
    services.item_update(
        by=nec_hub_officer, item=second, version=second.version, decision="Agreed three priorities."
    )
    with pytest.raises(ConflictError):
        services.item_update(
            by=nec_hub_officer, item=second, version=second.version, decision="Something else"
        )
    second.refresh_from_db()
    assert second.decision == "Agreed three priorities."


def test_declarations_and_actions(meeting, roster, nec_hub_officer):
    item = services.item_add(
        by=nec_hub_officer, meeting=meeting, title="Cardiology", purpose="decision"
    )
    declaration = services.declaration_add(
        by=nec_hub_officer,
        item=item,
        member=roster["ccg1"],
        interest="Spouse works at the provider",
        managed_by="Left the room for the item",
    )
    assert declaration.item == item
    action = services.action_add(
        by=nec_hub_officer,
        meeting=meeting,
        description="Draft the plan",
        owner="Helen",
        due_date=datetime.date(2015, 5, 1),
        item=item,
    )
    assert action.is_overdue
    services.action_update(
        by=nec_hub_officer, action=action, version=action.version, status=Action.Status.DONE
    )
    action.refresh_from_db()
    assert not action.is_overdue
    assert action.history.count() == 2


# --- recommendations --------------------------------------------------------------------------


def test_recommendation_goes_to_the_region_and_back(meeting, nec_hub_officer, north_reviewer):
    with pytest.raises(MeetingError, match="has been held"):
        services.recommendation_make(by=nec_hub_officer, meeting=meeting, title="T", detail="D")
    meeting = held(meeting, nec_hub_officer)
    recommendation = services.recommendation_make(
        by=nec_hub_officer,
        meeting=meeting,
        title="Reconfigure vascular surgery",
        detail="Two arterial centres for the North East.",
    )
    assert recommendation.is_open
    assert recommendation.made_on == datetime.date(2015, 4, 21)
    with pytest.raises(MeetingError, match="rationale") as raised:
        services.recommendation_respond(
            by=north_reviewer,
            recommendation=recommendation,
            version=recommendation.version,
            status="accepted",
            rationale=" ",
        )
    assert raised.value.field == "rationale"
    services.recommendation_respond(
        by=north_reviewer,
        recommendation=recommendation,
        version=recommendation.version,
        status="accepted_with_changes",
        rationale="Agreed, subject to public consultation.",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ACCEPTED_WITH_CHANGES
    assert recommendation.responded_by == north_reviewer
    assert recommendation.history.first().history_user == north_reviewer


def _recommendation(meeting, by):
    meeting = held(meeting, by)
    return services.recommendation_make(by=by, meeting=meeting, title="R", detail="D")


@pytest.mark.parametrize(
    ("persona", "read", "respond"),
    [
        ("roleless_user", 404, 404),
        ("london_hub_officer", 404, 404),
        ("nec_hub_officer", 200, 403),
        ("national_admin", 200, 403),
        ("north_reviewer", 200, 302),
    ],
)
def test_only_the_region_responds(
    client, request, meeting, nec_hub_officer, persona, read, respond
):
    recommendation = _recommendation(meeting, nec_hub_officer)
    client.force_login(request.getfixturevalue(persona))
    url = recommendation.get_absolute_url()
    assert client.get(url).status_code == read
    posted = client.post(
        url,
        {
            "version": recommendation.version,
            "status": "not_accepted",
            "rationale": "Not affordable this year.",
        },
    )
    assert posted.status_code == respond
    recommendation.refresh_from_db()
    assert recommendation.is_open == (respond != 302)


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("roleless_user", 404, 404),
        ("london_hub_officer", 404, 404),
        ("north_reviewer", 200, 403),
        ("national_admin", 200, 403),
        ("nec_hub_officer", 200, 200),
    ],
)
def test_meeting_access_ladder(client, request, meeting, persona, read, write):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(meeting.get_absolute_url()).status_code == read
    assert client.get(reverse("meetings:meeting-list", args=[meeting.group_id])).status_code == read
    for name in ("meeting-edit", "attendance-edit", "item-create", "action-create"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == write
    posted = client.post(
        reverse("meetings:item-create", args=[meeting.pk]),
        {"title": "Sneaky", "purpose": "decision"},
    )
    assert posted.status_code == (302 if write == 200 else write)
    assert meeting.items.count() == (1 if write == 200 else 0)


def test_hub_staff_record_a_meeting_through_the_pages(
    client, group, roster, nec_hub_officer, monkeypatch
):
    monkeypatch.setattr(
        "meetings.views.rule_for_meeting",
        lambda meeting: QuorumRule(chair_or_vice_required=True, min_ccg_members=2),
    )
    client.force_login(nec_hub_officer)
    bad = client.post(
        reverse("meetings:meeting-create", args=[group.pk]),
        {"title": "April", "starts_at": "2015-04-21T14:00", "location": ""},
    )
    assert 'id="id_location_error"' in bad.content.decode()
    created = client.post(
        reverse("meetings:meeting-create", args=[group.pk]),
        {"title": "April", "starts_at": "2015-04-21T14:00", "location": "Durham"},
    )
    meeting = Meeting.objects.get()
    assert created["Location"] == meeting.get_absolute_url()
    missing = client.post(
        reverse("meetings:attendance-edit", args=[meeting.pk]),
        {f"member-{roster['chair'].pk}": "present"},
    )
    assert b"Choose present, apologies or absent for Ruth Adams" in missing.content
    assert not Attendance.objects.exists()
    answers = {f"member-{m.pk}": "present" for m in roster.values()}
    client.post(reverse("meetings:attendance-edit", args=[meeting.pk]), answers)
    page = client.get(meeting.get_absolute_url())
    assert page.context["quorum"].met
    assert b"Quorate" in page.content


def test_group_page_shows_open_recommendations_and_their_age(
    client, meeting, nec_hub_officer, north_reviewer
):
    # Made on 21 April 2015 and still open today: a wait of years reads as its date (issue 13
    # §8), on every page that shows it, never "4245 days".
    recommendation = _recommendation(meeting, nec_hub_officer)
    client.force_login(north_reviewer)
    page = client.get(meeting.group.get_absolute_url()).content.decode()
    assert "awaiting the region's response since 21 April 2015" in page
    home = client.get(reverse("workspace:my-work")).content.decode()
    assert "1 recommendation</strong> from your hubs" in home
    assert "awaits your response" in home
    assert "waiting since 21 April 2015" in home
    detail = client.get(recommendation.get_absolute_url()).content.decode()
    assert "(waiting since 21 April 2015)" in detail
    listing = client.get(reverse("meetings:recommendation-list")).content.decode()
    assert "Made </span>21 April 2015 (still waiting)" in listing
    for html in (page, home, detail, listing):
        assert f"{recommendation.age_days} day" not in html


def test_a_recent_wait_is_counted_in_days(client, meeting, nec_hub_officer, north_reviewer):
    _recommendation(meeting, nec_hub_officer)
    client.force_login(north_reviewer)
    with time_machine.travel(datetime.datetime(2015, 4, 24, 12, tzinfo=datetime.UTC)):
        page = client.get(meeting.group.get_absolute_url()).content.decode()
    assert "awaiting the region's response for 3 days" in page
    with time_machine.travel(datetime.datetime(2015, 4, 24, 12, tzinfo=datetime.UTC)):
        listing = client.get(reverse("meetings:recommendation-list")).content.decode()
    assert "Made </span>21 April 2015 (waiting for 3 days)" in listing
    with time_machine.travel(datetime.datetime(2015, 6, 20, 12, tzinfo=datetime.UTC)):
        page = client.get(meeting.group.get_absolute_url()).content.decode()
    assert "awaiting the region's response for 60 days" in page


def test_meeting_pack_pdf(
    client, meeting, roster, nec_hub_officer, django_capture_on_commit_callbacks
):
    services.item_add(by=nec_hub_officer, meeting=meeting, title="Priorities", purpose="decision")
    client.force_login(nec_hub_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:meeting-pack", args=[meeting.pk]))
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert export.status == Export.Status.READY, export.error
    data = export.file.open("rb").read()
    keep_pdf(data, "meeting-pack")
    # Tagged PDF/UA-1 with its title, real headings and table headers (issue 18, finding 11).
    reader = assert_accessible_pdf(data, title=meeting.title)
    text = pdf_text(reader)
    assert meeting.title in text
    assert reader.pages[0].extract_text().count("Quorum")  # the title block leaves room


def test_meeting_page_queries_are_bounded(
    client, group, nec_hub_officer, django_assert_max_num_queries
):
    members = GroupMember.objects.bulk_create(
        GroupMember(
            group=group, full_name=f"P{i}", organisation="O", sector="nhs_england", start_date=START
        )
        for i in range(30)
    )
    meetings = []
    for n in range(20):
        m = Meeting.objects.create(
            group=group,
            title=f"M{n}",
            starts_at=WHEN + datetime.timedelta(days=30 * n),
            location="X",
        )
        meetings.append(m)
    target = meetings[-1]
    Attendance.objects.bulk_create(
        Attendance(meeting=target, member=p, status="present") for p in members
    )
    for i in range(15):
        item = services.item_add(
            by=nec_hub_officer, meeting=target, title=f"I{i}", purpose="discussion"
        )
        services.declaration_add(
            by=nec_hub_officer, item=item, member=members[i], interest="x", managed_by="y"
        )
        services.action_add(
            by=nec_hub_officer,
            meeting=target,
            description=f"A{i}",
            owner="o",
            due_date=START,
            item=item,
        )
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(16):
        client.get(target.get_absolute_url())
    with django_assert_max_num_queries(10):
        client.get(reverse("meetings:meeting-list", args=[group.pk]))
    with django_assert_max_num_queries(16):
        client.get(group.get_absolute_url())


# --- API --------------------------------------------------------------------------------------


def test_meetings_api_ladder(
    api_client, meeting, nec_hub_officer, london_hub_officer, north_reviewer
):
    assert api_client.get("/api/v1/meetings/").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get("/api/v1/meetings/").json()["count"] == 0
    assert api_client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    body = {
        "group": meeting.group_id,
        "title": "May",
        "starts_at": "2015-05-19T14:00:00Z",
        "location": "Durham",
    }
    hidden = api_client.post("/api/v1/meetings/", body, format="json")
    assert hidden.status_code == 400
    assert hidden.json() == {"group": ["No such oversight group."]}
    api_client.force_authenticate(north_reviewer)
    detail = api_client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["quorum"]["known"] is False
    assert api_client.post("/api/v1/meetings/", body, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    made = api_client.post("/api/v1/meetings/", body, format="json")
    assert made.status_code == 201
    bad = api_client.post("/api/v1/meetings/", {**body, "location": ""}, format="json")
    assert bad.status_code == 400
    assert "location" in bad.json()
    assert Meeting.objects.count() == 2


def test_recommendation_api_response(api_client, meeting, nec_hub_officer, north_reviewer):
    recommendation = _recommendation(meeting, nec_hub_officer)
    url = f"/api/v1/recommendations/{recommendation.pk}/respond/"
    answer = {"status": "accepted", "rationale": "Agreed.", "version": recommendation.version}
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.post(url, answer, format="json").status_code == 403
    api_client.force_authenticate(north_reviewer)
    assert api_client.post(url, answer, format="json").status_code == 200
    stale = api_client.post(url, {**answer, "status": "not_accepted"}, format="json")
    assert stale.status_code == 409
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ACCEPTED


# --- papers -----------------------------------------------------------------------------------


def test_papers_are_checked_and_served_only_to_readers(
    client, meeting, nec_hub_officer, london_hub_officer, north_reviewer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import Paper

    item = services.item_add(
        by=nec_hub_officer, meeting=meeting, title="Vascular", purpose="decision"
    )
    client.force_login(nec_hub_officer)
    url = reverse("meetings:paper-create", args=[item.pk])
    refused = client.post(
        url, {"title": "Options", "file": SimpleUploadedFile("options.pdf", b"MZ\x90\x00" * 20)}
    )
    assert 'id="id_file_error"' in refused.content.decode()
    assert not Paper.objects.exists()
    pdf = b"%PDF-1.4\n%%EOF\n"
    client.post(
        url, {"title": "Options appraisal", "file": SimpleUploadedFile("../options.pdf", pdf)}
    )
    paper = Paper.objects.get()
    assert ".." not in paper.file.name
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Options appraisal" in page
    download = reverse("meetings:paper-download", args=[paper.pk])
    client.force_login(north_reviewer)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url).status_code == 403
    client.force_login(london_hub_officer)
    assert client.get(download).status_code == 404


def test_history_shows_every_change_to_the_records(
    client, meeting, roster, nec_hub_officer, london_hub_officer, django_assert_max_num_queries
):
    item = services.item_add(
        by=nec_hub_officer, meeting=meeting, title="Vascular", purpose="decision"
    )
    services.declaration_add(
        by=nec_hub_officer,
        item=item,
        member=roster["ccg1"],
        interest="Spouse",
        managed_by="Left the room",
    )
    meeting = held(meeting, nec_hub_officer)
    services.recommendation_make(by=nec_hub_officer, meeting=meeting, title="R", detail="D")
    client.force_login(nec_hub_officer)
    url = reverse("meetings:meeting-history", args=[meeting.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    labels = [e.label for e in page.context["page"].object_list]
    assert labels[:4] == [
        "Recommendation made",
        "Meeting changed",
        "Interest declared",
        "Agenda item added",
    ]
    group_page = client.get(reverse("workspace:group-history", args=[meeting.group_id]))
    group_labels = {e.label for e in group_page.context["page"].object_list}
    assert {"Meeting scheduled", "Member added", "Group set up"} <= group_labels
    client.force_login(london_hub_officer)
    assert client.get(url).status_code == 404
