"""The Commissioning Committee decides a recommended delegated application at a meeting (issue
15, "What to build" 5; seed 002, "Model 3: Delegated arrangements", "Sign-off and approvals"):
on a scheduled meeting's agenda, decided once the meeting is held and quorate without the
members excluded for a declared interest, recording who took part and who was excluded; the
application's page. The API is in test_committee_decisions_api.py. Each refusal changes
nothing."""

import datetime

import pytest
from django.urls import reverse

from cocommissioning import services
from cocommissioning.actions import available_actions
from cocommissioning.models import AgendaEntry
from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from meetings import services as meetings
from oversight import committees
from tests.factories import make_group

from .api_states import (  # noqa: F401 (fixtures)
    _december_2014,
    delegated_under_review,
    joint_under_review,
    people_fixture,
)
from .committee_states import (
    Outcome,
    decide,
    entry_of,
    exclude,
    hold,
    placed,
    recommended,
    unchanged,
)
from .conftest import commissioning_committee_meeting
from .rules import Status, audited, fresh

pytestmark = pytest.mark.django_db


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
    assert 'Signed off <span class="nhsuk-body-s">(recorded on 15 December 2014 by' in page
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


def test_a_cancelled_meeting_leaves_the_application_to_be_deferred_to_another(people):
    """A meeting cancelled with the application on its agenda: only "deferred" may be recorded
    (no quorum asked), and then the application goes on another meeting's agenda."""
    application = recommended(people)
    member = people["committee"]
    first = placed(people, application)
    assert available_actions(member, application) == set()  # until the meeting is held
    first = fresh(first)
    meetings.meeting_update(by=member, meeting=first, version=first.version, status="cancelled")
    assert available_actions(member, application) == {"decide"}
    with unchanged(field="outcome", match="cancelled: record the application as"):
        decide(people, application)
    decide(people, application, outcome="deferred")
    assert fresh(application).status == Status.RECOMMENDED
    assert available_actions(member, fresh(application)) == {"agenda"}
    second = commissioning_committee_meeting(member, held=False)
    entry = services.agenda_place(
        by=member, application=application, version=fresh(application).version, meeting=second
    )
    assert entry.item.meeting == second


def test_the_decision_is_dated_by_its_meeting_not_by_when_it_was_recorded(people):
    """Every date in its own time: signed off at a meeting an hour ago (recorded now), the
    application's decision is dated by the meeting; the entry keeps when it was recorded."""
    application = recommended(people)
    meeting = placed(people, application)
    hold(people, meeting)
    decide(people, application)
    application, entry = fresh(application), AgendaEntry.objects.get(application=application)
    assert application.decided_at == fresh(meeting).starts_at
    assert entry.decided_at > fresh(meeting).starts_at
