"""Peer review rules, services called directly (issue 5): cycles, readiness and the frozen
record the panel reads."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import AuditEvent
from governance import services as document_services
from hubs.models import CCG, Hub
from oversight import services as group_services
from oversight.models import GroupMember
from priorities import services as plan_services
from priorities.models import PlanVersion
from reviews import services
from reviews.models import (
    LineOfEnquiry,
    PeerReview,
    ReviewCycle,
)
from tests.reviews.conftest import (
    agree_document,
    fresh,
    member_fields,
    nec,
    place_of,
    verbs,
)

# --- cycles ---------------------------------------------------------------------------------


def test_cycle_gets_default_lines_for_its_kind_and_is_audited(cycle, national_admin):
    titles = [title for title, _ in services.DEFAULT_LINES[ReviewCycle.Kind.FIRST]]
    assert list(cycle.lines.values_list("title", flat=True)) == titles
    assert list(cycle.lines.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert cycle.history.get().history_user == national_admin
    assert AuditEvent.objects.get(verb="review_cycle.created").target_id == str(cycle.pk)

    second = services.cycle_create(
        by=national_admin,
        year=2015,
        kind=ReviewCycle.Kind.SECOND,
        opens_on=datetime.date(2015, 12, 1),
        closes_on=datetime.date(2016, 3, 31),
        purpose="  Improvements and learning  ",
    )
    assert second.purpose == "Improvements and learning"
    assert list(second.lines.values_list("title", flat=True)) == [
        title for title, _ in services.DEFAULT_LINES[ReviewCycle.Kind.SECOND]
    ]
    assert str(second) == "Second peer review 2015/16"


def test_cycle_once_per_year_and_kind(cycle, national_admin):
    with pytest.raises(services.ReviewError, match="already a first review") as refused:
        services.cycle_create(
            by=national_admin,
            year=2015,
            kind=ReviewCycle.Kind.FIRST,
            opens_on=datetime.date(2015, 6, 1),
            closes_on=datetime.date(2015, 7, 31),
        )
    assert refused.value.field == "kind"
    assert ReviewCycle.objects.filter(year=2015).count() == 1
    assert LineOfEnquiry.objects.count() == 5
    assert verbs() == ["review_cycle.created"]


def test_cycle_window_must_not_close_before_it_opens(national_admin):
    with pytest.raises(services.ReviewError, match="close on or after") as refused:
        services.cycle_create(
            by=national_admin,
            year=2016,
            kind=ReviewCycle.Kind.FIRST,
            opens_on=datetime.date(2016, 5, 31),
            closes_on=datetime.date(2016, 4, 1),
        )
    assert refused.value.field == "closes_on"
    assert not ReviewCycle.objects.exists()
    assert verbs() == []


def test_line_add_appends_and_refuses_duplicates(cycle, national_admin):
    line = services.line_add(
        by=national_admin, cycle=cycle, title=" Conflicts of interest ", prompt="Register kept"
    )
    assert (line.title, line.order) == ("Conflicts of interest", 6)
    assert line.history.get().history_user == national_admin
    assert AuditEvent.objects.get(verb="review_cycle.line_added").data == {
        "line": "Conflicts of interest"
    }
    with pytest.raises(services.ReviewError, match="already has") as duplicate:
        services.line_add(by=national_admin, cycle=cycle, title="conflicts of INTEREST")
    assert duplicate.value.field == "title"
    with pytest.raises(services.ReviewError, match="title") as blank:
        services.line_add(by=national_admin, cycle=cycle, title="  ")
    assert blank.value.field == "title"
    assert cycle.lines.count() == 6


def test_line_add_refused_once_rating_started(
    review_in_progress, national_admin, yorkshire_officer
):
    place = place_of(review_in_progress, yorkshire_officer)
    first_line = review_in_progress.cycle.lines.first()
    services.assessment_save(
        by=yorkshire_officer,
        reviewer=place,
        version=services.assessment_for(place).version,
        ratings={first_line.pk: {"rating": "assured", "evidence": "", "comments": ""}},
    )
    with pytest.raises(services.ReviewError, match="started rating"):
        services.line_add(by=national_admin, cycle=review_in_progress.cycle, title="Finance")
    assert review_in_progress.cycle.lines.count() == 5


# --- readiness ------------------------------------------------------------------------------


def test_readiness_without_a_group_fails_every_check(register):
    readiness = services.readiness_for(Hub.objects.get(slug="london"), 2015)
    assert [c.key for c in readiness.checks] == [
        "group",
        "plan",
        "terms",
        "agreement",
        "coverage",
        "membership",
    ]
    assert not any(c.met for c in readiness.checks)
    assert not readiness.ready
    assert not readiness.plan_frozen


def test_readiness_from_the_records(nec_group, nec_hub_officer):
    """NEC's group: both documents agreed, no plan submitted, one CCG invited (not covered),
    only an NHS England member."""
    readiness = services.readiness_for(nec(), 2015)
    checks = {c.key: c for c in readiness.checks}
    assert checks["group"].met
    assert not checks["plan"].met
    assert checks["terms"].met
    assert checks["terms"].detail == "Agreed 2 April 2015"
    assert checks["agreement"].met
    assert not checks["coverage"].met
    assert "no voice yet" in checks["coverage"].detail
    assert not checks["membership"].met
    assert checks["membership"].detail == (
        "No current member from: CCG, Public Health England, Patient and public voice"
    )
    assert [c.key for c in readiness.unmet] == ["plan", "coverage", "membership"]

    plan = plan_services.plan_create(by=nec_hub_officer, group=nec_group, year=2015)
    assert not services.readiness_for(nec(), 2015).plan_frozen  # a draft is not frozen
    plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    readiness = services.readiness_for(nec(), 2015)
    assert readiness.plan_frozen
    assert readiness.as_dict()["plan"]["detail"] == "Version 1, submitted for peer review"
    assert not services.readiness_for(nec(), 2016).plan_frozen  # another year's plan


def test_readiness_documents_must_be_agreed_not_drafted(nec_hub_officer):
    group = group_services.group_create(
        by=nec_hub_officer,
        hub=nec(),
        name="NEC group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    document_services.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body="Draft terms"
    )
    checks = {c.key: c for c in services.readiness_for(nec(), 2015).checks}
    assert not checks["terms"].met
    assert checks["terms"].detail == "Not agreed yet."
    assert not checks["agreement"].met


def make_nec_complete(group, by) -> None:
    """Every footprint CCG a member, and a member from each core sector."""
    footprint = [c for c in group.hub.ccgs.all() if c.is_valid_on(group.footprint_day)]
    group_services.ccgs_invite(by=by, group=group, ccgs=footprint)
    for membership in group.ccgs.all():
        group_services.membership_respond(
            by=by, membership=membership, version=membership.version, answer="accept"
        )
    for sector, name in [
        (GroupMember.Sector.PUBLIC_HEALTH_ENGLAND, "Phil Evans"),
        (GroupMember.Sector.PATIENT_PUBLIC, "Pat Jones"),
    ]:
        group_services.member_add(
            by=by, group=group, **member_fields(full_name=name, sector=sector, organisation=name)
        )
    group_services.member_add(
        by=by,
        group=group,
        **member_fields(
            full_name="Dr Cara Lee",
            organisation="NHS Sunderland CCG",
            sector=GroupMember.Sector.CCG,
            ccg=CCG.objects.get(ods_code="00P"),
        ),
    )


def test_declare_ready_without_a_note_when_every_check_is_met(
    cycle, submitted_plan, nec_group, nec_hub_officer
):
    make_nec_complete(nec_group, nec_hub_officer)
    readiness = services.readiness_for(nec(), 2015)
    assert readiness.ready, readiness.unmet
    review = services.review_declare_ready(by=nec_hub_officer, cycle=cycle, hub=nec())
    assert review.status == PeerReview.Status.READY
    assert review.declared_by == nec_hub_officer
    assert all(check["met"] for check in review.readiness.values())
    assert AuditEvent.objects.get(verb="peer_review.ready_declared").data == {"unmet": 0}


def test_readiness_for_hubs_in_a_fixed_number_of_queries(
    national_admin, django_assert_max_num_queries
):
    hubs = list(Hub.objects.order_by("name"))
    assert len(hubs) == 10
    for hub in hubs:
        group = group_services.group_create(
            by=national_admin,
            hub=hub,
            name=f"{hub.name} group",
            kind="oversight_group",
            start_date=datetime.date(2015, 4, 1),
        )
        agree_document(group, national_admin, "terms_of_reference")
        footprint = [c for c in hub.ccgs.all() if c.is_valid_on(group.footprint_day)]
        group_services.ccgs_invite(by=national_admin, group=group, ccgs=footprint[:2])
        group_services.member_add(by=national_admin, group=group, **member_fields())
        plan = plan_services.plan_create(by=national_admin, group=group, year=2015)
        plan_services.plan_submit(by=national_admin, plan=plan, version=plan.version)
    today = timezone.localdate()
    counts = []
    for some in (hubs[:2], hubs):
        with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as queries:
            result = services.readiness_for_hubs(some, 2015, today)
        counts.append(len(queries.captured_queries))
        assert set(result) == {h.pk for h in some}
        for readiness in result.values():
            met = {c.key for c in readiness.checks if c.met}
            assert met == {"group", "plan", "terms"}
    assert counts[0] == counts[1]


def test_declare_ready_refused_without_a_frozen_plan(cycle, nec_group, nec_hub_officer):
    with pytest.raises(services.ReviewError, match="Submit the 2015/16 priorities plan"):
        services.review_declare_ready(by=nec_hub_officer, cycle=cycle, hub=nec(), note="Ready")
    assert not PeerReview.objects.exists()
    assert "peer_review.ready_declared" not in verbs()


def test_declare_ready_needs_a_note_when_checks_are_unmet(cycle, submitted_plan, nec_hub_officer):
    with pytest.raises(services.ReviewError, match="Some checks are not met") as refused:
        services.review_declare_ready(by=nec_hub_officer, cycle=cycle, hub=nec(), note="  ")
    assert refused.value.field == "note"
    assert not PeerReview.objects.exists()


def test_declare_ready_records_the_checklist_once_per_cycle_and_hub(ready_review, nec_hub_officer):
    assert ready_review.status == PeerReview.Status.READY
    assert ready_review.readiness_note == "Ten CCGs are still to answer their invitations."
    assert ready_review.readiness["plan"]["met"] is True
    assert ready_review.readiness["coverage"]["met"] is False
    assert ready_review.history.get().history_user == nec_hub_officer
    assert AuditEvent.objects.get(verb="peer_review.ready_declared").data == {"unmet": 2}
    with pytest.raises(services.ReviewError, match="already declared readiness"):
        services.review_declare_ready(
            by=nec_hub_officer, cycle=ready_review.cycle, hub=nec(), note="Again"
        )
    assert PeerReview.objects.count() == 1


# --- the frozen record the panel reads ------------------------------------------------------


def test_invite_freezes_plan_version_and_governance_as_at_submission(
    ready_review, submitted_plan, nec_group, nec_hub_officer, north_reviewer
):
    connor = nec_group.members.get(full_name="Connor Quinn")
    group_services.member_update(
        by=nec_hub_officer,
        member=connor,
        version=connor.version,
        **member_fields(
            full_name="Connor Quinn",
            email="connor@example.nhs.uk",
            organisation="Public Health England",
            sector=GroupMember.Sector.PUBLIC_HEALTH_ENGLAND,
            role=GroupMember.Role.CHAIR,
        ),
    )
    group_services.member_add(by=nec_hub_officer, group=nec_group, **member_fields())
    plan = plan_services.plan_reopen(
        by=nec_hub_officer, plan=submitted_plan, version=submitted_plan.version, reason="Typo"
    )
    plan_services.plan_update(
        by=nec_hub_officer, plan=plan, version=plan.version, context="Changed after submission"
    )

    review = services.review_invite(
        by=north_reviewer, review=ready_review, version=ready_review.version
    )

    frozen = PlanVersion.objects.get(plan=submitted_plan, number=1)
    assert fresh(review).plan_version == frozen
    assert review.status == PeerReview.Status.INVITED
    assert review.invited_by == north_reviewer
    assert review.governance["members"] == [
        {
            "name": "Connor Quinn",
            "organisation": "NHS England",
            "sector": "NHS England",
            "role": "Member",
            "voting": True,
        }
    ]
    assert [d["kind"] for d in review.governance["documents"]] == [
        "Collaboration agreement",
        "Terms of reference",
    ]
    assert review.governance["ccgs"] == [{"ccg": "NHS Sunderland CCG", "status": "Invited"}]
    # The records themselves have moved on.
    assert fresh(connor).organisation == "Public Health England"
    assert nec_group.members.count() == 2
    assert AuditEvent.objects.filter(verb="peer_review.invited").count() == 1
    assert review.history.first().status == PeerReview.Status.INVITED


def test_governance_leaves_out_documents_agreed_after_submission(
    ready_review, nec_group, nec_hub_officer, north_reviewer
):
    """A new terms of reference agreed after the plan went in (minutes dated back to June
    2015) is not part of the record the panel reviews."""
    draft = document_services.version_draft_create(
        by=nec_hub_officer, group=nec_group, kind="terms_of_reference", body="Revised terms"
    )
    document_services.version_agree(
        by=nec_hub_officer,
        version_obj=draft,
        version=draft.version,
        agreed_on=datetime.date(2015, 6, 1),
        agreed_at_meeting="June meeting",
    )
    review = services.review_invite(
        by=north_reviewer, review=ready_review, version=ready_review.version
    )
    terms = next(d for d in review.governance["documents"] if d["kind"] == "Terms of reference")
    assert (terms["number"], terms["agreed_on"]) == (1, "2015-04-02")
