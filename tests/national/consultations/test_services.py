"""Consultations' rules (issue 17, "What to build" 3, and "Bad input"): a closing date in the
past, a response after closing, a second response for a group or CCG, a stale version, the
wrong person, a CCG that is not a member (or not open that day), oversized text: each refused
beside its field with nothing changed; every change audited and kept in history."""

import datetime

import pytest

from commissioning.concurrency import ConflictError
from commissioning.errors import NotAllowed, RuleError, StateConflict
from commissioning.limits import LONG_TEXT
from commissioning.models import AuditEvent
from hubs.models import CCG
from national import consultations, events, services
from national.models import Consultation

from .conftest import CLOSES, TODAY, group_answer, open_consultation, snapshot

pytestmark = pytest.mark.django_db


def test_the_national_team_opens_a_consultation_on_a_draft(draft, national_admin):
    consultation = open_consultation(national_admin, draft)
    assert consultation.crg == draft.document.crg
    assert consultation.state_on(TODAY) == Consultation.State.OPEN
    assert consultation.history.count() == 1
    assert consultation.history.first().history_user == national_admin
    event = AuditEvent.objects.get(verb=events.CONSULTATION_OPENED)
    assert event.data["closes_on"] == CLOSES.isoformat()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_on": TODAY - datetime.timedelta(days=1)}, "closes_on"),
        ({"opens_on": TODAY - datetime.timedelta(days=1)}, "opens_on"),
        ({"opens_on": CLOSES + datetime.timedelta(days=1)}, "closes_on"),
        ({"closes_on": datetime.date(2030, 1, 1)}, "closes_on"),
        ({"title": "   "}, "title"),
        ({"questions": ""}, "questions"),
        ({"summary": "x" * (LONG_TEXT + 1)}, "summary"),
    ],
)
def test_bad_dates_and_text_are_refused_beside_their_field(draft, national_admin, changes, field):
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        open_consultation(national_admin, draft, **changes)
    assert refused.value.field == field
    assert snapshot() == before


def test_a_closing_date_in_the_past_says_so(draft, national_admin):
    with pytest.raises(RuleError, match="in the past"):
        open_consultation(national_admin, draft, closes_on=datetime.date(2016, 3, 9))


def test_an_archived_crg_opens_none(draft, crg, national_admin):
    services.crg_update(by=national_admin, crg=crg, version=crg.version, archived=True)
    draft.document.crg.refresh_from_db()
    with pytest.raises(StateConflict):
        open_consultation(national_admin, draft)


def test_hostile_text_is_kept_as_typed(draft, national_admin):
    hostile = '<script>alert("x")</script> =HYPERLINK("http://evil")'
    consultation = open_consultation(national_admin, draft, summary=hostile)
    assert Consultation.objects.get(pk=consultation.pk).summary == hostile


def test_a_stale_version_changes_nothing(consultation, national_admin):
    consultations.consultation_update(
        by=national_admin, consultation=consultation, version=1, title="Second title"
    )
    before = snapshot()
    with pytest.raises(ConflictError) as stale:
        consultations.consultation_update(
            by=national_admin, consultation=consultation, version=1, title="Third title"
        )
    assert "Second title" in stale.value.message
    with pytest.raises(ConflictError):
        consultations.consultation_close(by=national_admin, consultation=consultation, version=1)
    assert snapshot() == before


def test_close_early_makes_responses_read_only(
    consultation, national_admin, nec_group, nec_hub_officer
):
    response = group_answer(consultation, nec_group, nec_hub_officer)
    closed = consultations.consultation_close(
        by=national_admin, consultation=consultation, version=consultation.version
    )
    assert closed.state_on(TODAY) == Consultation.State.CLOSED
    assert closed.closed_early_on == TODAY
    before = snapshot()
    with pytest.raises(StateConflict, match="read-only"):
        consultations.response_update(
            by=nec_hub_officer, response=response, version=response.version, body="Later"
        )
    with pytest.raises(StateConflict):
        consultations.consultation_close(
            by=national_admin, consultation=closed, version=closed.version
        )
    assert snapshot() == before


def test_a_response_after_the_closing_date_is_refused(
    consultation, nec_group, nec_hub_officer, clock
):
    clock.move_to(datetime.datetime(2016, 4, 1, 9, tzinfo=datetime.UTC), tick=False)
    before = snapshot()
    with pytest.raises(StateConflict, match="closed on 31 March 2016"):
        group_answer(consultation, nec_group, nec_hub_officer)
    assert snapshot() == before


def test_a_consultation_not_yet_open_takes_no_response(
    draft, national_admin, nec_group, nec_hub_officer
):
    later = open_consultation(national_admin, draft, opens_on=datetime.date(2016, 3, 20))
    assert later.state_on(TODAY) == Consultation.State.SCHEDULED
    with pytest.raises(StateConflict, match="opens on"):
        group_answer(later, nec_group, nec_hub_officer)
    with pytest.raises(StateConflict, match="before it opens"):
        consultations.consultation_close(by=national_admin, consultation=later, version=1)


def test_extend_moves_the_date_later_and_reopens(consultation, national_admin):
    with pytest.raises(RuleError) as earlier:
        consultations.consultation_extend(
            by=national_admin, consultation=consultation, version=1, closes_on=CLOSES
        )
    assert earlier.value.field == "closes_on"
    with pytest.raises(RuleError, match="in the past"):
        consultations.consultation_extend(
            by=national_admin,
            consultation=consultation,
            version=1,
            closes_on=datetime.date(2016, 3, 1),
        )
    closed = consultations.consultation_close(
        by=national_admin, consultation=consultation, version=1
    )
    reopened = consultations.consultation_extend(
        by=national_admin,
        consultation=closed,
        version=closed.version,
        closes_on=datetime.date(2016, 3, 20),
    )
    assert reopened.is_open_on(TODAY)
    assert reopened.closed_early_on is None
    assert reopened.closes_on == datetime.date(2016, 3, 20)
    assert reopened.history.count() == 3
    assert AuditEvent.objects.filter(verb=events.CONSULTATION_EXTENDED).count() == 1


def test_archived_is_kept_and_changes_no_more(consultation, national_admin):
    archived = consultations.consultation_archive(
        by=national_admin, consultation=consultation, version=1
    )
    assert Consultation.objects.filter(pk=consultation.pk, archived=True).exists()
    with pytest.raises(StateConflict, match="archived"):
        consultations.consultation_update(
            by=national_admin, consultation=archived, version=archived.version, title="X"
        )


def test_one_response_per_group_by_its_hub_staff(
    consultation, nec_group, nec_hub_officer, london_hub_officer
):
    before = snapshot()
    with pytest.raises(NotAllowed):
        group_answer(consultation, nec_group, london_hub_officer)
    assert snapshot() == before
    response = group_answer(consultation, nec_group, nec_hub_officer)
    assert response.submitted_by == nec_hub_officer
    assert response.is_group_response
    before = snapshot()
    with pytest.raises(StateConflict, match="responded already"):
        group_answer(consultation, nec_group, nec_hub_officer, position="support")
    assert snapshot() == before
    event = AuditEvent.objects.get(verb=events.CONSULTATION_RESPONDED)
    assert event.data["group"] == nec_group.pk


def test_a_response_is_changed_with_its_version_until_closing(
    consultation, nec_group, nec_hub_officer
):
    response = group_answer(consultation, nec_group, nec_hub_officer)
    changed = consultations.response_update(
        by=nec_hub_officer, response=response, version=1, position="support", body="Agreed."
    )
    assert (changed.version, changed.position, changed.updated_by) == (
        2,
        "support",
        nec_hub_officer,
    )
    assert changed.history.count() == 2
    before = snapshot()
    with pytest.raises(ConflictError):
        consultations.response_update(by=nec_hub_officer, response=response, version=1, body="x")
    with pytest.raises(RuleError) as empty:
        consultations.response_update(by=nec_hub_officer, response=response, version=2, body=" ")
    assert empty.value.field == "body"
    with pytest.raises(RuleError) as long:
        consultations.response_update(
            by=nec_hub_officer, response=response, version=2, body="x" * (LONG_TEXT + 1)
        )
    assert long.value.field == "body"
    assert snapshot() == before


def test_a_member_ccg_answers_as_itself_once(
    consultation, nec_group, sunderland_member, sunderland_lead
):
    sunderland = CCG.objects.get(ods_code="00P")
    response = consultations.response_submit(
        by=sunderland_lead,
        consultation=consultation,
        group=nec_group,
        ccg=sunderland,
        position="comments",
        body="Our patients travel far.",
    )
    assert response.respondent == f"NHS Sunderland CCG (member of {nec_group.name})"
    with pytest.raises(StateConflict):
        consultations.response_submit(
            by=sunderland_lead,
            consultation=consultation,
            group=nec_group,
            ccg=sunderland,
            position="support",
            body="Again",
        )


def test_a_ccg_lead_of_a_non_member_ccg_is_refused(
    consultation, nec_group, sunderland_member, northumberland_lead, sunderland_lead
):
    before = snapshot()
    with pytest.raises(RuleError) as refused:
        consultations.response_submit(
            by=northumberland_lead,
            consultation=consultation,
            group=nec_group,
            ccg=CCG.objects.get(ods_code="00L"),
            position="support",
            body="Yes",
        )
    assert refused.value.field == "ccg"
    assert "not a member" in str(refused.value)
    with pytest.raises(NotAllowed):  # answering as another CCG
        consultations.response_submit(
            by=northumberland_lead,
            consultation=consultation,
            group=nec_group,
            ccg=CCG.objects.get(ods_code="00P"),
            position="support",
            body="Yes",
        )
    with pytest.raises(NotAllowed):  # a CCG lead does not answer for the group
        group_answer(consultation, nec_group, sunderland_lead)
    assert snapshot() == before


def test_a_ccg_answers_only_while_it_is_open(
    draft, national_admin, nec_group, sunderland_member, sunderland_lead, clock
):
    """Every date in its own time: Sunderland CCG closed on 30 June 2022."""
    clock.move_to(datetime.datetime(2023, 1, 10, 9, tzinfo=datetime.UTC), tick=False)
    later = open_consultation(
        national_admin,
        draft,
        opens_on=datetime.date(2023, 1, 10),
        closes_on=datetime.date(2023, 2, 1),
    )
    with pytest.raises(RuleError, match="not open on 10 January 2023") as refused:
        consultations.response_submit(
            by=sunderland_lead,
            consultation=later,
            group=nec_group,
            ccg=CCG.objects.get(ods_code="00P"),
            position="support",
            body="Yes",
        )
    assert refused.value.field == "ccg"


def test_a_closed_group_answers_nothing(consultation, nec_group, nec_hub_officer):
    from oversight import services as group_services

    group_services.group_update(
        by=nec_hub_officer,
        group=nec_group,
        version=nec_group.version,
        status="closed",
        closed_on=datetime.date(2016, 3, 5),
    )
    nec_group.refresh_from_db()
    with pytest.raises(RuleError, match="not open") as refused:
        group_answer(consultation, nec_group, nec_hub_officer)
    assert refused.value.field == "group"
