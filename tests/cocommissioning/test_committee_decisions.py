"""The Commissioning Committee decides a recommended delegated application at a meeting (issue
15, "What to build" 5; seed 002, "Model 3: Delegated arrangements", "Sign-off and approvals"):
on a scheduled meeting's agenda, decided once the meeting is held and quorate without the
members excluded for a declared interest, recording who took part and who was excluded; the
application's page and the API; a joint application approved by the region gets its joint
committee ("Model 2: Joint commissioning"). Each refusal changes nothing."""

import contextlib
import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import AgendaEntry, Application
from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from hubs.models import CCG
from meetings import services as meetings
from meetings.models import AgendaItem, Meeting
from oversight import committees
from oversight.models import Committee, GroupMember
from oversight.permissions import committees_visible_to
from tests.factories import make_group, make_user

from .api_states import (  # noqa: F401 (fixtures)
    APPS,
    _december_2014,
    as_,
    delegated_recommended,
    delegated_under_review,
    joint_under_review,
    people_fixture,
)
from .conftest import commissioning_committee_meeting, ready_delegated, sign_off_at_meeting
from .rules import (
    Status,
    assure,
    audited,
    fresh,
    joint_draft,
    partner_ccg,
    refused,
    under_review,
)

pytestmark = pytest.mark.django_db
Outcome = AgendaEntry.Outcome
MEETINGS = "/api/v1/meetings/"


# --- states -----------------------------------------------------------------------------------


def recommended(p) -> Application:
    """Sunderland's delegated application, recommended by the North (in December 2014)."""
    return delegated_recommended(p)


def entry_of(application) -> AgendaEntry:
    return AgendaEntry.objects.select_related("item__meeting").get(
        application=application, outcome=Outcome.PENDING
    )


def placed(p, application, *, members=3):
    """On the agenda of a Commissioning Committee meeting of `members` (all present) held an
    hour ago but not yet marked held. Returns the meeting."""
    meeting = commissioning_committee_meeting(p["committee"], members=members, held=False)
    services.agenda_place(
        by=p["committee"], application=application, version=application.version, meeting=meeting
    )
    return meeting


def member_named(name) -> GroupMember:
    return GroupMember.objects.get(full_name=name, committee__isnull=False)


def exclude(p, application, name="Committee Member 2", interest="Partner at a Sunderland GP"):
    entry = entry_of(application)
    return meetings.declaration_add(
        by=p["committee"],
        item=entry.item,
        member=member_named(name),
        interest=interest,
        managed_by="Left the room for the item",
        excluded=True,
    )


def hold(p, meeting) -> Meeting:
    meeting = fresh(meeting)
    return meetings.meeting_update(
        by=p["committee"], meeting=meeting, version=meeting.version, status="held"
    )


def decide(p, application, outcome="signed_off", reasons="", version=None):
    return services.application_decide(
        by=p["committee"],
        application=application,
        version=fresh(application).version if version is None else version,
        outcome=outcome,
        reasons=reasons,
    )


def _agenda_state():
    return (
        list(AgendaEntry.objects.order_by("pk").values_list("pk", "version", "outcome")),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "version", "decision")),
    )


@contextlib.contextmanager
def unchanged(error=services.RuleError, field=None, match=None):
    """Refused with `error` (beside `field`): no application, agenda entry or item changed."""
    before = _agenda_state()
    with refused(error, field=field, match=match) as caught:
        yield caught
    assert _agenda_state() == before


# --- on the agenda ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [joint_under_review, lambda p: delegated_under_review(p, True)], ids=["joint", "review"]
)
def test_only_a_recommended_delegated_application_goes_on_the_agenda(people, make):
    application = make(people)
    meeting = commissioning_committee_meeting(people["committee"], held=False)
    with unchanged(services.StateConflict, match="Only a recommended delegated"):
        services.agenda_place(
            by=people["committee"],
            application=application,
            version=application.version,
            meeting=meeting,
        )
    assert not meeting.items.exists()


def test_only_a_scheduled_commissioning_committee_meeting_takes_it(people, nec_hub_officer):
    application = recommended(people)
    held = commissioning_committee_meeting(people["committee"], held=True)
    joint = committees.joint_committee_create(
        by=people["north"],
        region=people["ccg"].hub.region,
        ccgs=[people["ccg"]],
        start_date=datetime.date(2014, 10, 1),
    )
    joint_meeting = meetings.meeting_schedule(
        by=people["north"],
        group=joint,
        title="Joint committee",
        starts_at=datetime.datetime(2015, 1, 20, 14, tzinfo=datetime.UTC),
        location="",
        online=True,
    )
    group = make_group(by=nec_hub_officer, start_date=datetime.date(2014, 4, 1))
    group_meeting = meetings.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="Oversight group",
        starts_at=datetime.datetime(2015, 1, 20, 14, tzinfo=datetime.UTC),
        location="",
        online=True,
    )
    for meeting in (held, joint_meeting, group_meeting):
        with unchanged(field="meeting", match="scheduled meeting of the Commissioning Committee"):
            services.agenda_place(
                by=people["committee"],
                application=application,
                version=application.version,
                meeting=meeting,
            )


def test_on_the_agenda_as_an_item_for_decision(people):
    application = recommended(people)
    meeting = placed(people, application)
    entry = entry_of(application)
    assert entry.is_pending
    assert entry.item.meeting == meeting
    assert entry.item.purpose == "decision"
    assert "NHS Sunderland CCG" in entry.item.title
    assert entry.item.concerns == "NHS Sunderland CCG"
    assert application.get_absolute_url() in entry.item.summary
    assert fresh(application).status == Status.RECOMMENDED
    event = AuditEvent.objects.get(verb="cocommissioning.application.on_agenda")
    assert (event.actor, event.data) == (
        people["committee"],
        {"meeting": meeting.pk, "item": entry.item.pk},
    )
    # Awaiting its decision there, it goes on no second agenda.
    later = commissioning_committee_meeting(
        people["committee"],
        starts_at=datetime.datetime(2015, 1, 20, 14, tzinfo=datetime.UTC),
        held=False,
    )
    with unchanged(field="meeting", match="already on a meeting's agenda"):
        services.agenda_place(
            by=people["committee"],
            application=application,
            version=fresh(application).version,
            meeting=later,
        )
    assert not later.items.exists()


# --- the decision -----------------------------------------------------------------------------


def test_the_decision_waits_for_the_meeting_to_be_held(people):
    application = recommended(people)
    with unchanged(match="on a committee meeting's agenda first"):
        decide(people, application)
    placed(people, application)
    with unchanged(field="outcome", match="once the meeting is marked as held"):
        decide(people, application)
    assert fresh(application).status == Status.RECOMMENDED


def test_not_quorate_without_the_excluded_member_is_refused(people):
    application = recommended(people)
    meeting = placed(people, application, members=3)
    exclude(people, application)
    hold(people, meeting)
    with unchanged(
        field="outcome",
        match=r"not quorate for this item: 2 voting member\(s\) present; 3 needed\.",
    ):
        decide(people, application)
    entry = entry_of(application)
    assert (entry.outcome, entry.took_part, entry.decided_at) == (Outcome.PENDING, [], None)
    assert fresh(application).status == Status.RECOMMENDED


def test_signed_off_records_who_took_part_and_who_was_excluded(people):
    application = recommended(people)
    meeting = placed(people, application, members=4)
    exclude(people, application)
    hold(people, meeting)
    entry = decide(people, application, reasons="Subject to the usual conditions.")
    entry.refresh_from_db()
    assert entry.outcome == Outcome.SIGNED_OFF
    assert [p["name"] for p in entry.took_part] == [
        "Committee Member 1",
        "Committee Member 3",
        "Committee Member 4",
    ]
    assert entry.took_part[0] == {
        "name": "Committee Member 1",
        "organisation": "NHS England",
        "role": "Chair",
        "voting": True,
    }
    assert entry.excluded == [
        {
            "name": "Committee Member 2",
            "organisation": "NHS England",
            "interest": "Partner at a Sunderland GP",
            "managed_by": "Left the room for the item",
        }
    ]
    assert entry.quorum.startswith("Quorate: The chair or vice chair present, plus at least 3")
    assert (entry.decided_by, entry.version) == (people["committee"], 2)
    application = fresh(application)
    assert (application.status, application.decided_by) == (
        Status.IMPLEMENTING,
        people["committee"],
    )
    assert application.decision_note == "Subject to the usual conditions."
    item = fresh(entry.item)
    assert item.decision == (
        "Signed off. Subject to the usual conditions.\n"
        "Took part: Committee Member 1; Committee Member 3; Committee Member 4.\n"
        "Excluded for a declared interest: Committee Member 2 (Partner at a Sunderland GP)."
    )
    event = AuditEvent.objects.get(verb="cocommissioning.application.signed_off")
    assert event.data == {"meeting": meeting.pk, "item": item.pk}
    assert not audited("application.not_approved")
    # Decided: nothing more to decide.
    with unchanged(services.StateConflict):
        decide(people, application, outcome="not_approved", reasons="Changed our minds.")


def test_not_approved_needs_reasons(people):
    application = recommended(people)
    hold(people, placed(people, application))
    with unchanged(field="reasons", match="Give the reasons"):
        decide(people, application, outcome="not_approved", reasons="  ")
    with unchanged(field="outcome", match="Choose the committee's decision"):
        decide(people, application, outcome="pending")
    decide(people, application, outcome="not_approved", reasons="Conflicts not managed.")
    application = fresh(application)
    assert (application.status, application.decision_note) == (
        Status.NOT_APPROVED,
        "Conflicts not managed.",
    )
    entry = AgendaEntry.objects.get(application=application)
    assert (entry.outcome, entry.reasons) == (Outcome.NOT_APPROVED, "Conflicts not managed.")
    assert entry.item.decision.startswith("Not approved. Conflicts not managed.\nTook part: ")
    event = AuditEvent.objects.get(verb="cocommissioning.application.not_approved")
    assert event.data["reason"] == "Conflicts not managed."


def test_deferred_stays_recommended_for_another_meeting(people):
    application = recommended(people)
    first = placed(people, application, members=3)
    exclude(people, application)  # not quorate: a deferral needs no quorum
    hold(people, first)
    before = fresh(application)
    decide(people, application, outcome="deferred", reasons="Awaiting the LMC's view.")
    application = fresh(application)
    assert (application.status, application.version, application.decided_at) == (
        Status.RECOMMENDED,
        before.version,
        before.decided_at,
    )
    deferred = AgendaEntry.objects.get(application=application)
    assert deferred.outcome == Outcome.DEFERRED
    assert audited("application.deferred")
    second = commissioning_committee_meeting(
        people["committee"],
        starts_at=datetime.datetime(2014, 12, 15, 9, 30, tzinfo=datetime.UTC),
        held=False,
    )
    services.agenda_place(
        by=people["committee"], application=application, version=application.version, meeting=second
    )
    hold(people, second)
    decide(people, application)
    assert fresh(application).status == Status.IMPLEMENTING
    assert list(
        AgendaEntry.objects.filter(application=application).values_list("outcome", flat=True)
    ) == [Outcome.DEFERRED, Outcome.SIGNED_OFF]


def test_a_stale_version_is_a_conflict(people):
    application = recommended(people)
    hold(people, placed(people, application))
    stale = application.version - 1
    with unchanged(ConflictError):
        decide(people, application, version=stale)
    later = commissioning_committee_meeting(
        people["committee"],
        starts_at=datetime.datetime(2015, 1, 20, 14, tzinfo=datetime.UTC),
        held=False,
    )
    with unchanged(ConflictError):
        services.agenda_place(
            by=people["committee"], application=application, version=stale, meeting=later
        )


def test_the_conftest_helper_signs_off_at_a_meeting(people):
    application = sign_off_at_meeting(people["committee"], recommended(people))
    assert application.status == Status.IMPLEMENTING
    assert AgendaEntry.objects.get(application=application).outcome == Outcome.SIGNED_OFF


# --- the application's page -------------------------------------------------------------------


def _act(client, application, action, **data):
    posted = {f"{action}-version": fresh(application).version}
    posted.update({f"{action}-{k}": v for k, v in data.items()})
    url = reverse("cocommissioning:application-act", args=[application.pk, action])
    return client.post(url, posted)


def _offers(client, user, application) -> set[str]:
    client.force_login(user)
    page = client.get(application.get_absolute_url()).content.decode()
    return {
        name
        for name in ("agenda", "decide", "refuse")
        if reverse("cocommissioning:application-act", args=[application.pk, name]) in page
    }


def test_the_page_offers_agenda_and_decision_to_the_committee_at_the_right_time(client, people):
    application = recommended(people)
    committee, north, lead = people["committee"], people["north"], people["lead"]
    assert _offers(client, committee, application) == {"agenda"}
    assert _offers(client, north, application) == set()
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Not yet on a meeting's agenda." in page
    meeting = commissioning_committee_meeting(committee, held=False)
    client.force_login(committee)
    assert _act(client, application, "agenda", meeting=meeting.pk).status_code == 302
    assert entry_of(application).item.meeting == meeting
    # On the agenda, the meeting not yet marked held: nothing to do but wait.
    assert _offers(client, committee, application) == set()
    page = client.get(application.get_absolute_url()).content.decode()
    assert "The decision is recorded here once the meeting is marked as held." in page
    hold(people, meeting)
    assert _offers(client, committee, application) == {"decide"}
    assert _offers(client, north, application) == set()
    assert _offers(client, lead, application) == set()
    # The region's team may not decide: 403, and nothing changes.
    client.force_login(north)
    assert _act(client, application, "decide", outcome="signed_off").status_code == 403
    assert fresh(application).status == Status.RECOMMENDED
    assert entry_of(application).is_pending
    # Bad input is shown beside the field.
    client.force_login(committee)
    bad = _act(client, application, "decide", outcome="not_approved", reasons=" ")
    assert bad.status_code == 200
    assert 'id="id_decide-reasons_error"' in bad.content.decode()
    assert fresh(application).status == Status.RECOMMENDED
    done = _act(client, application, "decide", outcome="signed_off")
    assert done.status_code == 302
    assert fresh(application).status == Status.IMPLEMENTING


def test_the_page_shows_who_took_part_and_who_was_excluded(client, people):
    application = recommended(people)
    meeting = placed(people, application, members=4)
    exclude(people, application)
    hold(people, meeting)
    decide(people, application)
    client.force_login(people["lead"])  # the applicant reads the record of the decision
    page = client.get(application.get_absolute_url()).content.decode()
    entry = AgendaEntry.objects.get(application=application)
    assert f"{meeting.get_absolute_url()}#item-{entry.item.number}" in page
    assert "Signed off on 15 December 2014" in page
    assert (
        "<strong>Took part:</strong> Committee Member 1 (Chair, NHS England); "
        "Committee Member 3 (Member, NHS England); Committee Member 4 (Member, NHS England)."
    ) in page
    assert (
        "<strong>Excluded for a declared interest:</strong> Committee Member 2 "
        "(Partner at a Sunderland GP; Left the room for the item)."
    ) in page
    assert "Signed off by the Commissioning Committee" in page  # the history
    assert "Put on a Commissioning Committee meeting" in page


def test_an_agenda_form_with_no_meeting_is_refused_beside_the_field(client, people):
    application = recommended(people)
    client.force_login(people["committee"])
    page = client.get(application.get_absolute_url()).content.decode()
    assert "No Commissioning Committee meeting is scheduled." in page
    held = commissioning_committee_meeting(people["committee"], held=True)
    response = _act(client, application, "agenda", meeting=held.pk)  # not offered: held
    assert response.status_code == 200
    assert 'id="id_agenda-meeting_error"' in response.content.decode()
    assert not AgendaEntry.objects.exists()


# --- the API ----------------------------------------------------------------------------------


def test_api_agenda_and_decision(api_client, people):
    application = recommended(people)
    meeting = commissioning_committee_meeting(people["committee"], members=4, held=False)
    url = f"{APPS}{application.pk}/"
    body = {"version": application.version, "meeting": meeting.pk}
    for persona in ("north", "lead"):
        answer = as_(api_client, people[persona]).post(f"{url}agenda/", body, format="json")
        assert answer.status_code == 403
    assert as_(api_client, people["other_lead"]).post(f"{url}agenda/", body).status_code == 404
    committee = as_(api_client, people["committee"])
    no_meeting = committee.post(f"{url}agenda/", {**body, "meeting": 0}, format="json")
    assert (no_meeting.status_code, list(no_meeting.json())) == (400, ["meeting"])
    no_version = committee.post(f"{url}agenda/", {"meeting": meeting.pk}, format="json")
    assert (no_version.status_code, list(no_version.json())) == (400, ["version"])
    assert not AgendaEntry.objects.exists()
    placed_answer = committee.post(f"{url}agenda/", body, format="json")
    assert placed_answer.status_code == 200
    entries = placed_answer.json()["agenda_entries"]
    assert [(e["meeting"], e["outcome"], e["took_part"]) for e in entries] == [
        (meeting.pk, "pending", [])
    ]
    exclude(people, application)
    decision = {"version": fresh(application).version, "outcome": "signed_off", "reasons": ""}
    not_held = committee.post(f"{url}decide/", decision, format="json")
    assert (not_held.status_code, list(not_held.json())) == (400, ["outcome"])
    hold(people, meeting)
    for persona in ("north", "lead"):
        answer = as_(api_client, people[persona]).post(f"{url}decide/", decision, format="json")
        assert answer.status_code == 403
    committee = as_(api_client, people["committee"])
    bad = committee.post(f"{url}decide/", {**decision, "outcome": "pending"}, format="json")
    assert (bad.status_code, list(bad.json())) == (400, ["outcome"])
    reasonless = committee.post(
        f"{url}decide/", {**decision, "outcome": "not_approved"}, format="json"
    )
    assert (reasonless.status_code, list(reasonless.json())) == (400, ["reasons"])
    stale = committee.post(
        f"{url}decide/", {**decision, "version": decision["version"] - 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == decision["version"]
    assert fresh(application).status == Status.RECOMMENDED
    assert entry_of(application).is_pending
    done = committee.post(f"{url}decide/", decision, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "implementing"
    detail = as_(api_client, people["lead"]).get(url).json()
    [entry] = detail["agenda_entries"]
    assert entry["outcome"] == "signed_off"
    assert [p["name"] for p in entry["took_part"]] == [
        "Committee Member 1",
        "Committee Member 3",
        "Committee Member 4",
    ]
    assert [e["name"] for e in entry["excluded"]] == ["Committee Member 2"]
    assert entry["quorum"].startswith("Quorate")
    again = as_(api_client, people["committee"]).post(
        f"{url}decide/", {**decision, "version": detail["version"]}, format="json"
    )
    assert again.status_code == 409  # decided: no longer recommended


def test_api_not_quorate_is_refused_with_the_shortfall(api_client, people):
    application = recommended(people)
    meeting = placed(people, application, members=3)
    exclude(people, application)
    hold(people, meeting)
    answer = as_(api_client, people["committee"]).post(
        f"{APPS}{application.pk}/decide/",
        {"version": fresh(application).version, "outcome": "signed_off"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["outcome"] == [
        "The committee was not quorate for this item: 2 voting member(s) present; 3 needed."
    ]
    assert fresh(application).status == Status.RECOMMENDED


def test_meetings_api_schedules_a_committees_meeting(api_client, people, nec_hub_officer):
    national = committees.commissioning_committee_ensure(
        by=people["committee"], start_date=datetime.date(2014, 10, 1)
    )
    group = make_group(by=nec_hub_officer, start_date=datetime.date(2014, 4, 1))
    body = {
        "committee": national.pk,
        "title": "January",
        "starts_at": "2015-01-20T14:00:00Z",
        "location": "Skipton House",
    }
    north = as_(api_client, people["north"])
    assert north.post(MEETINGS, body, format="json").status_code == 403
    both = north.post(MEETINGS, {**body, "group": group.pk}, format="json")
    assert (both.status_code, list(both.json())) == (400, ["group"])
    neither = {k: v for k, v in body.items() if k != "committee"}
    assert north.post(MEETINGS, neither, format="json").status_code == 400
    hub = as_(api_client, nec_hub_officer).post(MEETINGS, body, format="json")
    assert (hub.status_code, hub.json()) == (400, {"committee": ["No such committee."]})
    assert not Meeting.objects.exists()
    made = as_(api_client, people["committee"]).post(MEETINGS, body, format="json")
    assert made.status_code == 201
    assert (made.json()["committee"], made.json()["group"]) == (national.pk, None)
    meeting = Meeting.objects.get()
    assert meeting.committee == national
    as_(api_client, nec_hub_officer).post(
        MEETINGS, {**neither, "group": group.pk, "title": "Group"}, format="json"
    )
    listed = as_(api_client, people["national"]).get(f"{MEETINGS}?committee={national.pk}").json()
    assert [row["id"] for row in listed["results"]] == [meeting.pk]
    everything = as_(api_client, people["national"]).get(MEETINGS).json()
    assert everything["count"] == 2
    detail = as_(api_client, people["north"]).get(f"{MEETINGS}{meeting.pk}/").json()
    assert detail["committee"] == national.pk
    assert as_(api_client, nec_hub_officer).get(f"{MEETINGS}{meeting.pk}/").status_code == 404


# --- a joint committee for an approved joint application --------------------------------------


@time_machine.travel(datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_an_approved_joint_application_gets_its_joint_committee(
    client, windows, sunderland, sunderland_lead, north_reviewer
):
    partner = partner_ccg(sunderland)
    partner_lead = make_user("pat@example.nhs.uk", "Pat Partner", (Role.CCG_LEAD, partner))
    application = joint_draft(sunderland_lead, sunderland, partner)
    services.party_confirm(by=partner_lead, application=application, ccg=partner)
    application = under_review(sunderland_lead, north_reviewer, application)
    assert not Committee.objects.exists()
    services.application_approve(
        by=north_reviewer, application=application, version=application.version
    )
    committee = Committee.objects.get()
    assert committee.kind == Committee.Kind.JOINT_COMMITTEE
    assert committee.region == sunderland.hub.region
    assert set(committee.ccgs.all()) == {sunderland, partner}
    assert committee.start_date == datetime.date(2014, 12, 15)
    event = AuditEvent.objects.get(verb="cocommissioning.application.approved")
    assert event.data == {"committee": committee.pk}
    assert AuditEvent.objects.filter(verb="committee.created").count() == 1
    for lead in (sunderland_lead, partner_lead):
        assert committee in committees_visible_to(lead)
        client.force_login(lead)
        listing = client.get(reverse("meetings:committee-list")).content.decode()
        assert committee.get_absolute_url() in listing
        page = client.get(committee.get_absolute_url()).content.decode()
        assert reverse("meetings:committee-member-add", args=[committee.pk]) in page
    other = (
        CCG.objects.filter(hub=sunderland.hub, kind=CCG.Kind.CCG)
        .exclude(pk__in=[sunderland.pk, partner.pk])
        .first()
    )
    outsider = make_user("olu@example.nhs.uk", "Olu Other", (Role.CCG_LEAD, other))
    assert committee not in committees_visible_to(outsider)
    client.force_login(outsider)
    assert client.get(committee.get_absolute_url()).status_code == 404


@time_machine.travel(datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_a_delegated_application_goes_the_whole_way(
    windows, sunderland, sunderland_lead, north_reviewer
):
    cara = make_user("cara2@example.nhs.uk", "Cara Two", (Role.COMMISSIONING_COMMITTEE, None))
    application = under_review(
        sunderland_lead, north_reviewer, ready_delegated(sunderland_lead, sunderland)
    )
    application = assure(north_reviewer, application)
    application = services.application_recommend(
        by=north_reviewer, application=application, version=application.version
    )
    application = sign_off_at_meeting(cara, application)
    assert application.status == Status.IMPLEMENTING
    assert services.applications_go_live(day=datetime.date(2015, 4, 1)) == 1
