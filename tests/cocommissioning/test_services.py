"""Every rule of drafting and submitting a co-commissioning application (seed 002; issue 15,
"Bad input" and the workflow): each refusal writes nothing at all, each change writes its audit
event. The region's and the committee's decisions, going live and the register are in
test_services_decisions.py."""

import datetime

import pytest
import time_machine

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import (
    Document,
    Model,
)
from commissioning.concurrency import ConflictError
from hubs.models import CCG, CCGSuccession
from tests.factories import make_user

from .conftest import APRIL_2015, APRIL_2016, attach, delegated_draft, ready_delegated
from .rules import (
    DEC_2014,
    LATE,
    Status,
    audited,
    joint_draft,
    partner_ccg,
    refused,
    submitted,
)

pytestmark = pytest.mark.django_db


# --- drafting -----------------------------------------------------------------------------


def test_create_writes_the_application_its_party_and_audit(windows, sunderland, sunderland_lead):
    application = delegated_draft(sunderland_lead, sunderland, functions=["gms_pms"])
    assert application.status == Status.DRAFT
    assert application.functions == ["gms_pms"]
    assert [p.ccg for p in application.parties.all()] == [sunderland]
    assert audited("application.created")


def test_go_live_date_outside_any_window_is_refused(windows, sunderland, sunderland_lead):
    with refused(field="go_live_on", match="no application window"):
        delegated_draft(sunderland_lead, sunderland, go_live_on=datetime.date(2015, 5, 1))
    with refused(field="go_live_on"):  # joint has no window for April 2016 (seed 002)
        services.application_create(
            by=sunderland_lead, lead_ccg=sunderland, model=Model.JOINT, go_live_on=APRIL_2016
        )


def test_a_function_outside_scope_is_refused(windows, sunderland, sunderland_lead):
    with refused(field="functions", match="not open for delegation"):
        delegated_draft(sunderland_lead, sunderland, functions=["gms_pms", "revalidation"])


def test_delegated_needs_functions(windows, sunderland, sunderland_lead):
    with refused(field="functions"):
        services.application_create(
            by=sunderland_lead,
            lead_ccg=sunderland,
            model=Model.DELEGATED,
            go_live_on=APRIL_2015,
            functions=[],
        )


def test_qof_only_with_full_delegation(windows, sunderland, sunderland_lead):
    """Seed 002, "Scope of delegated arrangements": QOF with full delegation only."""
    with refused(field="functions", match="QOF"):
        delegated_draft(sunderland_lead, sunderland, functions=["gms_pms", "qof"])
    application = delegated_draft(sunderland_lead, sunderland)
    assert application.functions == ["gms_pms", "enhanced", "property", "qof"]


def test_greater_involvement_is_not_an_application(windows, sunderland, sunderland_lead):
    """Seed 002, "Model 1: Greater involvement": no approval needed."""
    with refused(field="model", match="needs no application"):
        services.application_create(
            by=sunderland_lead,
            lead_ccg=sunderland,
            model=Model.GREATER_INVOLVEMENT,
            go_live_on=APRIL_2015,
        )


def test_only_joint_brings_several_ccgs(windows, sunderland, sunderland_lead):
    with refused(field="ccgs"):
        services.application_create(
            by=sunderland_lead,
            lead_ccg=sunderland,
            model=Model.DELEGATED,
            go_live_on=APRIL_2015,
            functions=["gms_pms"],
            partners=[partner_ccg(sunderland)],
        )


def test_a_second_open_application_for_the_same_ccg_and_date(windows, sunderland, sunderland_lead):
    delegated_draft(sunderland_lead, sunderland)
    with refused(field="go_live_on", match="already an open application"):
        delegated_draft(sunderland_lead, sunderland)
    with refused(field="go_live_on"):  # a joint one including Sunderland clashes too
        services.application_create(
            by=sunderland_lead,
            lead_ccg=partner_ccg(sunderland),
            model=Model.JOINT,
            go_live_on=APRIL_2015,
            partners=[sunderland],
        )
    # Another date is fine, and so is the same date once the first is withdrawn.
    delegated_draft(sunderland_lead, sunderland, go_live_on=APRIL_2016)


def test_a_withdrawn_application_frees_the_date(windows, sunderland, sunderland_lead):
    first = delegated_draft(sunderland_lead, sunderland)
    services.application_withdraw(
        by=sunderland_lead, application=first, version=first.version, reason="Not ready."
    )
    assert delegated_draft(sunderland_lead, sunderland).status == Status.DRAFT


def test_a_ccg_closed_by_a_2015_merger_cannot_apply_for_april_2016(windows, register):
    succession = (
        CCGSuccession.objects.filter(effective_date__gt=APRIL_2015, effective_date__lte=APRIL_2016)
        .select_related("predecessor")
        .first()
    ) or CCGSuccession.objects.filter(effective_date__year=2015).first()
    assert succession is not None, "the register holds the 2015 mergers"
    closed = succession.predecessor
    lead = make_user("closed.lead@example.nhs.uk", "Cleo Lead", (Role.CCG_LEAD, closed))
    with refused(field="ccgs", match="Not open on the go-live date"):
        delegated_draft(lead, closed, go_live_on=APRIL_2016, functions=["gms_pms"])


def test_update_changes_the_draft_and_refuses_a_stale_version(windows, sunderland, sunderland_lead):
    application = delegated_draft(sunderland_lead, sunderland)
    stale = application.version
    updated = services.application_update(
        by=sunderland_lead,
        application=application,
        version=stale,
        go_live_on=APRIL_2016,
        functions=["gms_pms"],
        summary="Part delegation.",
    )
    assert (updated.go_live_on, updated.functions, updated.version) == (
        APRIL_2016,
        ["gms_pms"],
        stale + 1,
    )
    assert audited("application.updated")
    with refused(ConflictError):
        services.application_update(
            by=sunderland_lead,
            application=application,
            version=stale,
            go_live_on=APRIL_2015,
            functions=["gms_pms"],
            summary="Lost update.",
        )
    with refused(field="functions"):
        services.application_update(
            by=sunderland_lead,
            application=application,
            version=updated.version,
            go_live_on=APRIL_2016,
            functions=["qof"],
            summary="",
        )


# --- submitting ---------------------------------------------------------------------------


@time_machine.travel(DEC_2014, tick=False)
def test_submit_needs_the_required_documents(windows, sunderland, sunderland_lead):
    application = delegated_draft(sunderland_lead, sunderland)
    with refused(field="documents", match="constitution amendment"):
        submitted(sunderland_lead, application)
    attach(sunderland_lead, application, Document.Kind.CONSTITUTION)
    with refused(field="documents", match="conflicts of interest"):
        submitted(sunderland_lead, application)
    attach(sunderland_lead, application, Document.Kind.CONFLICTS)
    assert audited("document.attached")
    assert submitted(sunderland_lead, application).status == Status.SUBMITTED
    assert audited("application.submitted")


@time_machine.travel(DEC_2014, tick=False)
def test_joint_needs_terms_and_scheme_of_delegation(windows, sunderland, sunderland_lead):
    application = services.application_create(
        by=sunderland_lead, lead_ccg=sunderland, model=Model.JOINT, go_live_on=APRIL_2015
    )
    attach(sunderland_lead, application, Document.Kind.CONSTITUTION)
    with refused(field="documents", match="terms of reference"):
        submitted(sunderland_lead, application)


def test_late_submission_needs_the_regions_agreement(
    windows, sunderland, sunderland_lead, north_reviewer
):
    """Seed 002, "Implementation timetable": delegated proposals by 5 January 2015."""
    with time_machine.travel(DEC_2014, tick=False):
        application = ready_delegated(sunderland_lead, sunderland)
    with time_machine.travel(LATE, tick=False):
        with refused(field="go_live_on", match="due by 5 January 2015"):
            submitted(sunderland_lead, application)
        with refused(field="reason"):
            services.late_agree(
                by=north_reviewer, application=application, version=application.version, reason=""
            )
        application = services.late_agree(
            by=north_reviewer,
            application=application,
            version=application.version,
            reason="Board met on 14 January.",
        )
        assert audited("application.late_agreed")
        assert submitted(sunderland_lead, application).status == Status.SUBMITTED


@time_machine.travel(DEC_2014, tick=False)
def test_joint_partners_confirm_before_submit(windows, sunderland, sunderland_lead):
    partner = partner_ccg(sunderland)
    partner_lead = make_user("partner@example.nhs.uk", "Pat Lead", (Role.CCG_LEAD, partner))
    application = joint_draft(sunderland_lead, sunderland, partner)
    with refused(field="ccgs", match=partner.name):
        submitted(sunderland_lead, application)
    with refused(field="ccg"):  # a CCG not in the application
        services.party_confirm(
            by=partner_lead,
            application=application,
            ccg=CCG.objects.exclude(pk__in=[sunderland.pk, partner.pk]).first(),
        )
    services.party_confirm(by=partner_lead, application=application, ccg=partner)
    assert audited("application.confirmed")
    application = submitted(sunderland_lead, application)
    assert application.status == Status.SUBMITTED
    assert all(p.confirmed_at for p in application.parties.all())
