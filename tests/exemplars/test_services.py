"""The exemplar project's rules (issue 16 item 4; seed 003, "Cardiology pathway as an
'exemplar' project" and "Next steps"), tested on the services: each refusal names its field and
changes nothing; every change is versioned, in history and audited."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError, StateConflict
from commissioning.models import AuditEvent
from exemplars import services
from exemplars.models import Exemplar, Recommendation
from hubs.models import IntegratedCareSystem
from oversight.models import OversightGroup

from .conftest import LSC_DAY, START, ccg, fresh, pdf, programme, snapshot

pytestmark = pytest.mark.django_db


def refused(call, field, message_part, **kwargs):
    """`call(**kwargs)` is refused beside `field`, with `message_part` in its message, and
    nothing changes."""
    before = snapshot()
    with pytest.raises(RuleError) as refusal:
        call(**kwargs)
    assert refusal.value.field == field
    assert message_part in str(refusal.value)
    assert snapshot() == before
    return refusal.value


# --- the project -------------------------------------------------------------------------------


def test_a_project_starts_in_scoping_audited_and_in_history(cardiology, nec_hub_officer, board):
    assert cardiology.status == Exemplar.Status.SCOPING
    assert cardiology.version == 1
    assert cardiology.history.get().history_user == nec_hub_officer
    event = AuditEvent.objects.get(verb="exemplar.created")
    assert event.actor == nec_hub_officer
    assert event.target_id == str(cardiology.pk)

    changed = services.exemplar_update(
        by=nec_hub_officer, exemplar=cardiology, version=1, board=board, title="Cardiology"
    )
    assert changed.version == 2
    assert changed.board == board
    assert changed.title == "Cardiology"
    assert AuditEvent.objects.get(verb="exemplar.updated").data["fields"] == ["title", "board"]


def test_the_system_must_be_open_on_the_start_date(nenc, nec_hub_officer):
    refused(
        services.exemplar_create,
        "start_date",
        "was not open on 1 January 2017",
        by=nec_hub_officer,
        system=nenc,
        title="Cardiology",
        pathway="Cardiology",
        start_date=datetime.date(2017, 1, 1),
    )


def test_the_board_must_be_a_strategy_board_of_the_same_system(nenc, nec_hub_officer, board):
    other = IntegratedCareSystem.objects.create(
        name="Elsewhere ICS", hub=nenc.hub, valid_from=datetime.date(2018, 4, 1)
    )
    board.system = other
    board.save()
    refused(
        services.exemplar_create,
        "board",
        "Choose a specialised commissioning strategy board of North East",
        by=nec_hub_officer,
        system=nenc,
        title="Cardiology",
        pathway="Cardiology",
        start_date=START,
        board=board,
    )


def test_an_oversight_group_cannot_oversee_a_project(nenc, nec_hub_officer):
    group = OversightGroup.objects.create(
        hub=nenc.hub, name="NEC oversight group", start_date=datetime.date(2016, 4, 1)
    )
    refused(
        services.exemplar_create,
        "board",
        "strategy board",
        by=nec_hub_officer,
        system=nenc,
        title="Cardiology",
        pathway="Cardiology",
        start_date=START,
        board=group,
    )


def test_a_stale_version_is_a_conflict_and_changes_nothing(cardiology, nec_hub_officer):
    services.exemplar_update(by=nec_hub_officer, exemplar=cardiology, version=1, title="One")
    before = snapshot()
    with pytest.raises(ConflictError) as conflict:
        services.exemplar_update(by=nec_hub_officer, exemplar=cardiology, version=1, title="Two")
    assert "Title is now “One”" in conflict.value.message
    assert snapshot() == before


def test_the_start_cannot_move_after_what_is_recorded(full, nec_hub_officer):
    refused(
        services.exemplar_update,
        "start_date",
        "dated 26 September 2018",
        by=nec_hub_officer,
        exemplar=full,
        version=full.version,
        start_date=datetime.date(2018, 10, 1),
    )


def test_scoping_completes_only_with_a_report(cardiology, nec_hub_officer):
    refused(
        services.exemplar_mark_scoped,
        None,
        "Add the scoping report",
        by=nec_hub_officer,
        exemplar=cardiology,
        version=1,
    )
    services.report_version_add(
        by=nec_hub_officer, exemplar=cardiology, text="Draft", change_summary="First version"
    )
    scoped = services.exemplar_mark_scoped(by=nec_hub_officer, exemplar=cardiology, version=1)
    assert scoped.status == Exemplar.Status.SCOPED


def test_a_closed_project_is_kept_and_refuses_changes(full, nec_hub_officer):
    refused(
        services.exemplar_close,
        "closed_on",
        "cannot be before the project started",
        by=nec_hub_officer,
        exemplar=full,
        version=full.version,
        closed_on=datetime.date(2018, 1, 1),
        reason="Done",
    )
    closed = services.exemplar_close(
        by=nec_hub_officer,
        exemplar=full,
        version=full.version,
        closed_on=datetime.date(2019, 6, 30),
        reason="Moved into the pooled budget arrangement",
    )
    assert closed.status == "closed"
    assert Exemplar.objects.filter(pk=full.pk).exists()
    before = snapshot()
    with pytest.raises(StateConflict):
        services.milestone_add(by=nec_hub_officer, exemplar=full, title="X", due_on=START)
    with pytest.raises(StateConflict):
        services.exemplar_update(
            by=nec_hub_officer, exemplar=full, version=closed.version, title="X"
        )
    assert snapshot() == before


# --- services on the pathway -------------------------------------------------------------------


def test_a_specialised_service_names_its_programme_of_care(cardiology, nec_hub_officer):
    refused(
        services.service_add,
        "programme",
        "Choose the Programme of Care",
        by=nec_hub_officer,
        exemplar=cardiology,
        name="Adult congenital heart disease",
        specialised=True,
    )
    refused(
        services.service_add,
        "programme",
        "Only a specialised service",
        by=nec_hub_officer,
        exemplar=cardiology,
        name="Community heart failure service",
        specialised=False,
        programme=programme("Internal Medicine"),
    )
    service = services.service_add(
        by=nec_hub_officer,
        exemplar=cardiology,
        name="Adult congenital heart disease",
        specialised=True,
        programme=programme("Women and Children"),
    )
    assert service.programme.name == "Women and Children"
    refused(
        services.service_add,
        "name",
        "on the pathway already",
        by=nec_hub_officer,
        exemplar=cardiology,
        name="adult congenital heart disease",
        specialised=True,
        programme=programme("Women and Children"),
    )


def test_a_service_is_removed_never_deleted(full, nec_hub_officer):
    service = full.services.get(specialised=False)
    removed = services.service_update(by=nec_hub_officer, service=service, version=1, removed=True)
    assert removed.removed
    assert removed.version == 2
    assert AuditEvent.objects.filter(verb="exemplar.service_updated").count() == 1
    # Back on the pathway under the same name: allowed, as the removed one is kept.
    services.service_add(by=nec_hub_officer, exemplar=full, name=service.name, specialised=False)


# --- participants ------------------------------------------------------------------------------


def test_a_commissioner_representative_speaks_for_a_ccg_in_the_system_that_day(
    cardiology, nec_hub_officer
):
    common = {"by": nec_hub_officer, "exemplar": cardiology, "name": "Ann", "role": "Rep"}
    # NHS County Durham CCG (84H) joined NENC on 1 April 2020; the ICB (QHM) on 1 July 2022.
    refused(
        services.participant_add,
        "commissioner",
        "NHS County Durham CCG was not in North East and North Cumbria ICS on 26 September 2018",
        commissioner=ccg("84H"),
        joined_on=LSC_DAY,
        **common,
    )
    refused(
        services.participant_add,
        "commissioner",
        "was not in North East and North Cumbria ICS on 26 September 2018",
        commissioner=ccg("QHM"),
        joined_on=LSC_DAY,
        **common,
    )
    # A CCG of another system altogether (London's Camden).
    refused(
        services.participant_add,
        "commissioner",
        "was not in",
        commissioner=ccg("07R"),
        joined_on=LSC_DAY,
        **common,
    )
    later = services.participant_add(
        commissioner=ccg("QHM"), joined_on=datetime.date(2022, 7, 1), **common
    )
    assert later.organisation == "NHS North East and North Cumbria Integrated Care Board"
    sunderland = services.participant_add(commissioner=ccg("00P"), joined_on=LSC_DAY, **common)
    assert sunderland.organisation == "NHS Sunderland CCG"


def test_a_participant_joins_after_the_start_and_leaves_after_joining(cardiology, nec_hub_officer):
    common = {"by": nec_hub_officer, "exemplar": cardiology, "name": "Ann", "role": "Clinician"}
    refused(
        services.participant_add,
        "joined_on",
        "cannot be before the project started (1 July 2018)",
        organisation="Newcastle Hospitals",
        joined_on=datetime.date(2018, 6, 1),
        **common,
    )
    refused(
        services.participant_add,
        "organisation",
        "Enter the organisation",
        joined_on=LSC_DAY,
        **common,
    )
    person = services.participant_add(
        organisation="Newcastle Hospitals", joined_on=LSC_DAY, **common
    )
    refused(
        services.participant_update,
        "left_on",
        "on or after the joining date",
        by=nec_hub_officer,
        participant=person,
        version=1,
        left_on=datetime.date(2018, 9, 1),
    )


def test_a_participant_change_rechecks_the_commissioner_on_the_new_day(full, nec_hub_officer):
    person = full.participants.get()
    refused(
        services.participant_update,
        "commissioner",
        "was not in North East and North Cumbria ICS on 1 July 2022",
        by=nec_hub_officer,
        participant=person,
        version=1,
        joined_on=datetime.date(2022, 7, 1),
    )


# --- milestones --------------------------------------------------------------------------------


def test_a_milestone_is_not_done_or_due_before_the_project_started(cardiology, nec_hub_officer):
    common = {"by": nec_hub_officer, "exemplar": cardiology, "title": "Scoping"}
    refused(
        services.milestone_add,
        "done_on",
        "The date it was done cannot be before the project started",
        due_on=LSC_DAY,
        done_on=datetime.date(2018, 6, 30),
        **common,
    )
    refused(
        services.milestone_add,
        "due_on",
        "The due date cannot be before",
        due_on=datetime.date(2018, 6, 30),
        **common,
    )
    milestone = services.milestone_add(due_on=LSC_DAY, **common)
    assert milestone.is_overdue  # 2018 is long past and it is not done
    done = services.milestone_update(
        by=nec_hub_officer, milestone=milestone, version=1, done_on=datetime.date(2018, 9, 27)
    )
    assert not done.is_overdue
    assert done.version == 2
    with pytest.raises(ConflictError):
        services.milestone_update(by=nec_hub_officer, milestone=milestone, version=1, title="X")


# --- the scoping report ------------------------------------------------------------------------


def test_report_versions_are_numbered_and_kept(cardiology, nec_hub_officer):
    one = services.report_version_add(
        by=nec_hub_officer, exemplar=cardiology, file=pdf(), change_summary="First version"
    )
    two = services.report_version_add(
        by=nec_hub_officer,
        exemplar=cardiology,
        text="Options: a pooled budget.",
        change_summary="Options added",
    )
    assert (one.number, two.number) == (1, 2)
    assert one.content_type == "application/pdf"
    assert one.file.name.endswith(".pdf")
    assert fresh(one).file.read().startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="exemplar.report_version_added").count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("empty.pdf", b""), "The file is empty"),
        (SimpleUploadedFile("report.pdf", b"MZ\x90\x00" * 20), "must be a PDF or a Word"),
        (SimpleUploadedFile("report.txt", b"plain text"), "must be a PDF or a Word"),
    ],
)
def test_an_empty_or_wrong_upload_is_refused(cardiology, nec_hub_officer, upload, message):
    refused(
        services.report_version_add,
        "file",
        message,
        by=nec_hub_officer,
        exemplar=cardiology,
        file=upload,
        change_summary="First version",
    )


def test_a_version_needs_a_file_or_text_and_a_summary(cardiology, nec_hub_officer):
    refused(
        services.report_version_add,
        "file",
        "Upload the report",
        by=nec_hub_officer,
        exemplar=cardiology,
        change_summary="First version",
    )
    refused(
        services.report_version_add,
        "change_summary",
        "Say what this version changes",
        by=nec_hub_officer,
        exemplar=cardiology,
        text="Draft",
        change_summary="  ",
    )


# --- recommendation and decision ---------------------------------------------------------------


def test_a_recommendation_comes_from_the_report(cardiology, nec_hub_officer):
    refused(
        services.recommendation_make,
        None,
        "Add the scoping report first",
        by=nec_hub_officer,
        exemplar=cardiology,
        to="joint_ccg_committee",
        text="Pool",
        made_on=datetime.date(2019, 1, 15),
    )


def test_one_recommendation_awaits_a_decision_at_a_time(full, nec_hub_officer):
    assert full.status == Exemplar.Status.RECOMMENDED
    refused(
        services.recommendation_make,
        None,
        "still to be decided",
        by=nec_hub_officer,
        exemplar=full,
        to="rlg",
        text="Pool",
        made_on=datetime.date(2019, 2, 1),
    )


def test_a_decision_is_recorded_deferred_then_agreed(full, nec_hub_officer):
    recommendation = full.recommendations.get()
    common = {"by": nec_hub_officer, "recommendation": recommendation}
    refused(
        services.decision_record,
        "decided_on",
        "cannot be before the recommendation (15 January 2019)",
        version=1,
        decision="agreed",
        decided_on=datetime.date(2019, 1, 1),
        **common,
    )
    refused(
        services.decision_record,
        "note",
        "Say why",
        version=1,
        decision="deferred",
        decided_on=datetime.date(2019, 1, 20),
        **common,
    )
    deferred = services.decision_record(
        version=1,
        decision="deferred",
        decided_on=datetime.date(2019, 1, 20),
        note="Back in March with the finance workstream's view.",
        **common,
    )
    assert fresh(full).status == Exemplar.Status.RECOMMENDED
    agreed = services.decision_record(
        version=deferred.version,
        decision="agreed",
        decided_on=datetime.date(2019, 3, 20),
        **common,
    )
    assert agreed.decision == Recommendation.Decision.AGREED
    assert fresh(full).status == Exemplar.Status.DECIDED
    assert agreed.history.count() == 3
    before = snapshot()
    with pytest.raises(StateConflict):
        services.decision_record(
            version=agreed.version,
            decision="not_agreed",
            decided_on=datetime.date(2019, 4, 1),
            note="Changed our minds",
            **common,
        )
    assert snapshot() == before
    # Decided: the project may recommend again (to the RLG this time).
    services.recommendation_make(
        by=nec_hub_officer,
        exemplar=full,
        to="rlg",
        text="Agree the pooled budget.",
        made_on=datetime.date(2019, 4, 10),
    )
    assert fresh(full).status == Exemplar.Status.RECOMMENDED
