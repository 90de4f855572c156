"""Every rule of the region's review, the Commissioning Committee's sign-off, going live,
arrangements, windows and registers of interests (seed 002; issue 15): each refusal writes
nothing at all, each change writes its audit event."""

import datetime

import pytest
import time_machine

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import (
    Arrangement,
    ConflictsReview,
    Interest,
    Model,
)
from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from tests.factories import make_user

from .conftest import (
    APRIL_2015,
    commissioning_committee_meeting,
    ready_delegated,
    sign_off_at_meeting,
)
from .rules import (
    DEC_2014,
    Status,
    assure,
    audited,
    fresh,
    joint_draft,
    partner_ccg,
    refused,
    submitted,
    under_review,
)

pytestmark = pytest.mark.django_db


# --- the region and the committee ---------------------------------------------------------


@time_machine.travel(DEC_2014, tick=False)
def test_review_questions_answers_and_changes(windows, sunderland, sunderland_lead, north_reviewer):
    application = ready_delegated(sunderland_lead, sunderland)
    with refused(services.StateConflict):  # not submitted yet
        services.review_start(
            by=north_reviewer, application=application, version=application.version
        )
    application = under_review(sunderland_lead, north_reviewer, application)
    assert ConflictsReview.objects.filter(application=application).exists()
    assert audited("application.review_started")
    services.message_add(
        by=north_reviewer, application=application, kind="question", text="Which LES?"
    )
    services.message_add(by=sunderland_lead, application=application, kind="answer", text="All.")
    assert audited("application.question")
    assert audited("application.answer")
    with refused(field="text"):
        services.message_add(by=north_reviewer, application=application, kind="note", text=" ")
    with refused(field="kind"):
        services.message_add(by=north_reviewer, application=application, kind="changes", text="x")
    with refused(field="text"):
        services.changes_request(
            by=north_reviewer, application=application, version=application.version, text=""
        )
    application = services.changes_request(
        by=north_reviewer, application=application, version=application.version, text="Fix it."
    )
    assert application.status == Status.CHANGES_REQUESTED
    assert audited("application.changes_requested")
    assert submitted(sunderland_lead, application).status == Status.SUBMITTED  # resubmitted


@time_machine.travel(DEC_2014, tick=False)
def test_recommend_needs_an_assured_review(windows, sunderland, sunderland_lead, north_reviewer):
    application = under_review(
        sunderland_lead, north_reviewer, ready_delegated(sunderland_lead, sunderland)
    )
    with refused(field="conflicts_review"):
        services.application_recommend(
            by=north_reviewer, application=application, version=application.version
        )
    review = ConflictsReview.objects.get(application=application)
    with refused(field="register", match="Answer every check"):  # outcome before every check
        services.conflicts_review_save(
            by=north_reviewer, review=review, version=review.version, outcome="assured"
        )
    with refused(field="register"):
        services.conflicts_review_save(
            by=north_reviewer, review=review, version=review.version, register="maybe"
        )
    answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
    services.conflicts_review_save(
        by=north_reviewer, review=review, version=review.version, outcome="not_assured", **answers
    )
    assert audited("conflicts.reviewed")
    with refused(field="conflicts_review"):  # completed but not assured
        services.application_recommend(
            by=north_reviewer, application=application, version=fresh(application).version
        )
    with refused(ConflictError):
        services.conflicts_review_save(
            by=north_reviewer, review=review, version=review.version, outcome="assured", **answers
        )
    application = assure(north_reviewer, application)
    with refused(match="recommended to the Commissioning Committee"):  # only joint is approved
        services.application_approve(
            by=north_reviewer, application=application, version=application.version
        )
    application = services.application_recommend(
        by=north_reviewer, application=application, version=application.version
    )
    assert application.status == Status.RECOMMENDED
    assert audited("application.recommended")


@time_machine.travel(DEC_2014, tick=False)
def test_sign_off_only_of_recommended(
    windows, sunderland, sunderland_lead, north_reviewer, committee_member
):
    application = under_review(
        sunderland_lead, north_reviewer, ready_delegated(sunderland_lead, sunderland)
    )
    meeting = commissioning_committee_meeting(committee_member, held=False)
    with refused(services.StateConflict):
        services.agenda_place(
            by=committee_member,
            application=application,
            version=application.version,
            meeting=meeting,
        )
    application = assure(north_reviewer, application)
    application = services.application_recommend(
        by=north_reviewer, application=application, version=application.version
    )
    application = sign_off_at_meeting(committee_member, application, meeting=meeting)
    assert (application.status, application.decided_by) == (Status.IMPLEMENTING, committee_member)
    assert audited("application.signed_off")


@time_machine.travel(DEC_2014, tick=False)
def test_approve_only_joint(windows, sunderland, sunderland_lead, north_reviewer):
    partner = partner_ccg(sunderland)
    partner_lead = make_user("partner@example.nhs.uk", "Pat Lead", (Role.CCG_LEAD, partner))
    application = joint_draft(sunderland_lead, sunderland, partner)
    services.party_confirm(by=partner_lead, application=application, ccg=partner)
    application = under_review(sunderland_lead, north_reviewer, application)
    assert not ConflictsReview.objects.filter(application=application).exists()
    with refused(match="approved by the region"):
        services.application_recommend(
            by=north_reviewer, application=application, version=application.version
        )
    application = services.application_approve(
        by=north_reviewer, application=application, version=application.version, note="Assured."
    )
    assert application.status == Status.IMPLEMENTING
    assert audited("application.approved")
    # Both CCGs go live together.
    assert services.applications_go_live(day=APRIL_2015) == 1
    assert set(
        Arrangement.objects.filter(application=application).values_list("ccg", flat=True)
    ) == {sunderland.pk, partner.pk}


@time_machine.travel(DEC_2014, tick=False)
def test_approve_a_delegated_one_is_refused(windows, sunderland, sunderland_lead, north_reviewer):
    application = under_review(
        sunderland_lead, north_reviewer, ready_delegated(sunderland_lead, sunderland)
    )
    with refused(match="recommended to the Commissioning Committee"):
        services.application_approve(
            by=north_reviewer, application=application, version=application.version
        )


@time_machine.travel(DEC_2014, tick=False)
def test_refuse_needs_reasons(windows, sunderland, sunderland_lead, north_reviewer):
    application = ready_delegated(sunderland_lead, sunderland)
    with refused(services.StateConflict):  # a draft is not being decided
        services.application_refuse(
            by=north_reviewer, application=application, version=application.version, reason="No."
        )
    application = under_review(sunderland_lead, north_reviewer, application)
    with refused(field="reason"):
        services.application_refuse(
            by=north_reviewer, application=application, version=application.version, reason="  "
        )
    application = services.application_refuse(
        by=north_reviewer,
        application=application,
        version=application.version,
        reason="Conflicts not managed.",
    )
    assert (application.status, application.decision_note) == (
        Status.NOT_APPROVED,
        "Conflicts not managed.",
    )
    assert audited("application.not_approved")


@time_machine.travel(DEC_2014, tick=False)
def test_withdraw(windows, sunderland, sunderland_lead):
    application = ready_delegated(sunderland_lead, sunderland)
    with refused(field="reason"):
        services.application_withdraw(
            by=sunderland_lead, application=application, version=application.version, reason=""
        )
    with refused(ConflictError):
        services.application_withdraw(
            by=sunderland_lead, application=application, version=0, reason="Stale."
        )
    application = services.application_withdraw(
        by=sunderland_lead, application=application, version=application.version, reason="Later."
    )
    assert application.status == Status.WITHDRAWN
    assert audited("application.withdrawn")
    with refused(services.StateConflict):
        services.application_withdraw(
            by=sunderland_lead, application=application, version=application.version, reason="x"
        )
    with refused(services.StateConflict):  # a closed application takes no more messages
        services.message_add(by=sunderland_lead, application=application, kind="note", text="x")


# --- going live and arrangements ----------------------------------------------------------


def implementing(sunderland, sunderland_lead, north_reviewer, committee_member):
    with time_machine.travel(DEC_2014, tick=False):
        application = under_review(
            sunderland_lead, north_reviewer, ready_delegated(sunderland_lead, sunderland)
        )
        application = assure(north_reviewer, application)
        application = services.application_recommend(
            by=north_reviewer, application=application, version=application.version
        )
        return sign_off_at_meeting(committee_member, application)


def test_go_live_once_and_the_previous_arrangement_ends_the_day_before(
    windows, sunderland, sunderland_lead, north_reviewer, committee_member
):
    earlier = services.greater_involvement_record(
        by=sunderland_lead, ccg=sunderland, valid_from=datetime.date(2014, 10, 1)
    )
    application = implementing(sunderland, sunderland_lead, north_reviewer, committee_member)
    assert services.applications_go_live(day=datetime.date(2015, 3, 31)) == 0
    # Two runs (the second as if overlapping, reading the same due list) make it live once.
    assert services.applications_go_live(day=APRIL_2015) == 1
    assert services.applications_go_live(day=APRIL_2015) == 0
    assert fresh(application).status == Status.LIVE
    assert fresh(earlier).valid_to == datetime.date(2015, 3, 31)
    live = Arrangement.objects.get(ccg=sunderland, valid_to__isnull=True)
    assert (live.model, live.valid_from, live.application) == (
        Model.DELEGATED,
        APRIL_2015,
        application,
    )
    assert Arrangement.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(verb="cocommissioning.application.live").count() == 1


def test_greater_involvement_recorded_with_the_previous_arrangement_ended(
    windows, sunderland, sunderland_lead
):
    first = services.greater_involvement_record(
        by=sunderland_lead, ccg=sunderland, valid_from=datetime.date(2014, 10, 1)
    )
    assert audited("arrangement.recorded")
    with refused(field="valid_from"):  # not after the open one
        services.greater_involvement_record(
            by=sunderland_lead, ccg=sunderland, valid_from=datetime.date(2014, 10, 1)
        )
    with refused(field="valid_from", match="not open"):
        services.greater_involvement_record(
            by=sunderland_lead, ccg=sunderland, valid_from=datetime.date(2012, 1, 1)
        )
    second = services.greater_involvement_record(
        by=sunderland_lead, ccg=sunderland, valid_from=datetime.date(2016, 4, 1)
    )
    assert fresh(first).valid_to == datetime.date(2016, 3, 31)
    assert second.valid_to is None


# --- windows and interests ----------------------------------------------------------------


def test_windows_add_duplicates_and_order(windows, national_admin):
    window = services.window_add(
        by=national_admin,
        model=Model.DELEGATED,
        go_live_on=datetime.date(2017, 4, 1),
        submit_by=datetime.date(2016, 6, 1),
        sign_off_on=datetime.date(2016, 9, 1),
        source="Region's letter",
    )
    assert window.pk
    assert audited("window.added")
    with refused(field="go_live_on", match="already"):
        services.window_add(
            by=national_admin,
            model=Model.DELEGATED,
            go_live_on=datetime.date(2017, 4, 1),
            submit_by=datetime.date(2016, 7, 1),
        )
    with refused(field="submit_by"):
        services.window_add(
            by=national_admin,
            model=Model.JOINT,
            go_live_on=datetime.date(2017, 4, 1),
            submit_by=datetime.date(2017, 4, 1),
        )
    with refused(field="sign_off_on"):
        services.window_add(
            by=national_admin,
            model=Model.DELEGATED,
            go_live_on=datetime.date(2018, 4, 1),
            submit_by=datetime.date(2017, 6, 1),
            sign_off_on=datetime.date(2017, 5, 1),
        )
    with refused(field="sign_off_on"):
        services.window_add(
            by=national_admin,
            model=Model.JOINT,
            go_live_on=datetime.date(2018, 4, 1),
            submit_by=datetime.date(2017, 6, 1),
            sign_off_on=datetime.date(2017, 9, 1),
        )
    with refused(field="model"):
        services.window_add(
            by=national_admin,
            model=Model.GREATER_INVOLVEMENT,
            go_live_on=datetime.date(2018, 4, 1),
            submit_by=datetime.date(2017, 6, 1),
        )


def interest_fields(**extra):
    return {
        "person": "Dr A Patel",
        "position": "GP member",
        "kind": Interest.Kind.FINANCIAL,
        "description": "Partner at a practice in the CCG.",
        "managed_by": "Excluded from contract decisions.",
        "valid_from": datetime.date(2015, 1, 1),
        **extra,
    }


def test_interests_declare_update_stale_and_archived(sunderland, sunderland_lead):
    with refused(field="description"):
        services.interest_declare(
            by=sunderland_lead, ccg=sunderland, **interest_fields(description=" ")
        )
    with refused(field="valid_to"):
        services.interest_declare(
            by=sunderland_lead,
            ccg=sunderland,
            **interest_fields(valid_to=datetime.date(2014, 1, 1)),
        )
    interest = services.interest_declare(by=sunderland_lead, ccg=sunderland, **interest_fields())
    assert audited("interest.declared")
    stale = interest.version
    interest = services.interest_update(
        by=sunderland_lead, interest=interest, version=stale, valid_to=datetime.date(2016, 3, 31)
    )
    assert (interest.valid_to, interest.version) == (datetime.date(2016, 3, 31), stale + 1)
    assert audited("interest.updated")
    with refused(ConflictError):
        services.interest_update(
            by=sunderland_lead, interest=interest, version=stale, managed_by="Lost."
        )
    with refused(field="valid_to"):
        services.interest_update(
            by=sunderland_lead,
            interest=interest,
            version=interest.version,
            valid_to=datetime.date(2014, 12, 31),
        )
    interest = services.interest_update(
        by=sunderland_lead, interest=interest, version=interest.version, archived=True
    )
    with refused(services.StateConflict):
        services.interest_update(
            by=sunderland_lead, interest=interest, version=interest.version, managed_by="x"
        )
