"""Peer review rules, services called directly (issue 5): cycles, readiness, the frozen record
the panel reads, panels without conflicts, independent assessments, the issued report and its
corrections, the hub's response, optimistic locking and the invitation email."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from governance import services as document_services
from hubs.models import CCG, Hub
from oversight import services as group_services
from oversight.models import GroupMember
from priorities import services as plan_services
from priorities.models import PlanVersion
from reviews import notifications, permissions, services
from reviews.models import (
    Assessment,
    LineOfEnquiry,
    LineRating,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewerConflict,
    ReviewRecommendation,
    ReviewReport,
)
from tests.conftest import make_user
from tests.reviews.conftest import NEC, accept, agree_document, rate_all

pytestmark = pytest.mark.django_db


def nec() -> Hub:
    return Hub.objects.get(slug=NEC)


def verbs() -> list[str]:
    """The peer review audit trail, oldest first."""
    return list(
        AuditEvent.objects.filter(verb__regex=r"^(peer_review|review_cycle)\.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def member_fields(**overrides) -> dict:
    return {
        "full_name": "Pat Jones",
        "email": "",
        "organisation": "Healthwatch",
        "sector": GroupMember.Sector.PATIENT_PUBLIC,
        "ccg": None,
        "role": GroupMember.Role.MEMBER,
        "voting": True,
        "start_date": datetime.date(2015, 4, 1),
        "end_date": None,
        **overrides,
    }


def place_of(review: PeerReview, user) -> Reviewer:
    return review.panel.get(user=user, status__in=Reviewer.ACTIVE)


def fresh(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def zoe_wessex(register):
    """Zoe, a second hub officer for Wessex (South): Will's colleague."""
    return make_user(
        "zoe@example.nhs.uk", "Zoe Ward", (Role.HUB_STAFF, Hub.objects.get(slug="wessex"))
    )


@pytest.fixture
def south_west_officer(register):
    """Sue, hub staff for the South West: another hub, but in Will's region (South)."""
    return make_user(
        "sue@example.nhs.uk", "Sue Brown", (Role.HUB_STAFF, Hub.objects.get(slug="south-west"))
    )


@pytest.fixture
def interested_officer(register, national_admin):
    """Ian, hub staff for the East Midlands, on that hub's group, with a current entry in its
    register of interests naming NHS Sunderland CCG (in NEC's footprint)."""
    ian = make_user(
        "ian@example.nhs.uk", "Ian Moss", (Role.HUB_STAFF, Hub.objects.get(slug="east-midlands"))
    )
    group = group_services.group_create(
        by=national_admin,
        hub=Hub.objects.get(slug="east-midlands"),
        name="East Midlands group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    member = group_services.member_add(
        by=national_admin,
        group=group,
        **member_fields(
            full_name="Ian Moss",
            email="Ian@Example.NHS.uk",
            organisation="NHS England",
            sector=GroupMember.Sector.NHS_ENGLAND,
        ),
    )
    group_services.interest_declare(
        by=national_admin,
        member=member,
        kind="professional",
        organisation="NHS Sunderland CCG",
        description="Governing body adviser",
        valid_from=datetime.date(2015, 1, 1),
        valid_to=None,
    )
    past = group_services.member_add(
        by=national_admin,
        group=group,
        **member_fields(
            full_name="Yasmin Akhtar", email="yasmin@example.nhs.uk", organisation="NHS England"
        ),
    )
    group_services.interest_declare(
        by=national_admin,
        member=past,
        kind="financial",
        organisation="NHS Sunderland CCG",
        description="Contract ended in 2014",
        valid_from=datetime.date(2013, 4, 1),
        valid_to=datetime.date(2014, 3, 31),
    )
    return ian


@pytest.fixture
def panel(invited_review, north_reviewer, wessex_officer, yorkshire_officer):
    """Will invited as lead and Yasmin as reviewer; neither has answered."""
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    return lead, member


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
    today = timezone.localdate()
    footprint = [c for c in group.hub.ccgs.all() if c.is_valid_on(today)]
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
        footprint = [c for c in hub.ccgs.all() if c.is_valid_on(timezone.localdate())]
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


# --- panels ---------------------------------------------------------------------------------


def test_conflicts_with_hub(
    nec_group,
    nec_hub_officer,
    sunderland_lead,
    conflicted_officer,
    interested_officer,
    wessex_officer,
    yorkshire_officer,
    london_hub_officer,
):
    conflicts = services.conflicts_with_hub(nec())
    assert conflicts[nec_hub_officer.pk] == "Works in the reviewed hub"
    assert conflicts[sunderland_lead.pk] == "Leads a CCG in the reviewed hub"
    assert conflicts[conflicted_officer.pk] == "A member of the hub's oversight group"
    assert conflicts[interested_officer.pk] == "Declared an interest in the hub or its CCGs"
    # Yasmin's interest in a NEC CCG ended in 2014; Will and Sam have no link with NEC.
    for free in (yorkshire_officer, wessex_officer, london_hub_officer):
        assert free.pk not in conflicts


def test_conflicts_with_hub_in_a_fixed_number_of_queries(
    nec_group, conflicted_officer, interested_officer, django_assert_max_num_queries
):
    hub = nec()
    with django_assert_max_num_queries(6):
        services.conflicts_with_hub(hub)


def test_candidates_never_offer_the_conflicted(
    invited_review,
    nec_hub_officer,
    sunderland_lead,
    conflicted_officer,
    interested_officer,
    wessex_officer,
    yorkshire_officer,
):
    candidates = services.reviewer_candidates(invited_review)
    offered = {c.user.pk for c in candidates.offered}
    excluded = {c.user.pk: c.excluded for c in candidates.excluded}
    for conflicted in (nec_hub_officer, sunderland_lead, conflicted_officer, interested_officer):
        assert conflicted.pk not in offered
        assert excluded[conflicted.pk]
    assert {wessex_officer.pk, yorkshire_officer.pk} <= offered
    will = next(c for c in candidates.offered if c.user == wessex_officer)
    assert (will.home, will.load) == ("Wessex hub", 0)


def test_candidates_balanced_by_hub_then_region_then_load(
    invited_review,
    north_reviewer,
    wessex_officer,
    zoe_wessex,
    south_west_officer,
    london_hub_officer,
    yorkshire_officer,
):
    services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    order = [c.user for c in services.reviewer_candidates(invited_review).offered]
    assert wessex_officer not in order  # already on the panel
    # Sam (London) and Yasmin (another North hub) bring a new hub and region; Sue brings a new
    # hub in Will's region; Zoe comes from Will's own hub.
    assert order.index(london_hub_officer) < order.index(south_west_officer)
    assert order.index(yorkshire_officer) < order.index(south_west_officer)
    assert order.index(south_west_officer) < order.index(zoe_wessex)
    # Outside the reviewed hub's region first, when the panel does not decide.
    assert order.index(london_hub_officer) < order.index(yorkshire_officer)


def test_candidates_with_fewer_reviews_this_cycle_first(
    invited_review, cycle, north_reviewer, national_admin, london_hub_officer, register
):
    """Two London officers, alike but for their load: Adam is already on another hub's panel
    this cycle, so Zack (later by name) comes first."""
    adam = make_user(
        "adam@example.nhs.uk", "Adam Ashe", (Role.HUB_STAFF, Hub.objects.get(slug="london"))
    )
    zack = make_user(
        "zack@example.nhs.uk", "Zack Zane", (Role.HUB_STAFF, Hub.objects.get(slug="london"))
    )
    # Another hub's review in the same cycle, set up directly (its readiness is not the point).
    other = PeerReview.objects.create(
        cycle=cycle, hub=Hub.objects.get(slug="wessex"), status=PeerReview.Status.INVITED
    )
    services.panel_invite(by=national_admin, review=other, user=adam, role="reviewer")
    candidates = services.reviewer_candidates(invited_review).offered
    loads = {c.user: c.load for c in candidates}
    assert (loads[adam], loads[zack]) == (1, 0)
    order = [c.user for c in candidates]
    assert order.index(zack) < order.index(adam)


def test_panel_invite_records_place_and_audit(invited_review, north_reviewer, wessex_officer):
    place = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    assert (place.status, place.role, place.home) == ("invited", "lead", "Wessex hub")
    assert place.invited_by == north_reviewer
    assert place.history.get().history_user == north_reviewer
    assert AuditEvent.objects.get(verb="peer_review.reviewer_invited").data == {
        "reviewer": "will@example.nhs.uk",
        "role": "lead",
    }


def test_panel_invite_refused_before_the_review_is_invited(
    ready_review, north_reviewer, wessex_officer
):
    with pytest.raises(services.ReviewError, match="cannot change the panel"):
        services.panel_invite(
            by=north_reviewer, review=ready_review, user=wessex_officer, role="lead"
        )
    assert not Reviewer.objects.exists()


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("nec_hub_officer", "works in the reviewed hub"),
        ("conflicted_officer", "a member of the hub's oversight group"),
        ("sunderland_lead", "leads a ccg in the reviewed hub"),
        ("interested_officer", "declared an interest in the hub or its ccgs"),
    ],
)
def test_panel_invite_refuses_those_who_may_not_review_the_hub(
    invited_review, north_reviewer, request, who, reason
):
    user = request.getfixturevalue(who)
    with pytest.raises(services.ReviewError, match=reason) as refused:
        services.panel_invite(by=north_reviewer, review=invited_review, user=user, role="reviewer")
    assert refused.value.field == "user"
    assert not Reviewer.objects.exists()
    assert "peer_review.reviewer_invited" not in verbs()


def test_panel_invite_refuses_a_second_lead_and_a_duplicate(
    panel, invited_review, north_reviewer, wessex_officer, london_hub_officer
):
    with pytest.raises(services.ReviewError, match="already has a lead") as second_lead:
        services.panel_invite(
            by=north_reviewer, review=invited_review, user=london_hub_officer, role="lead"
        )
    assert second_lead.value.field == "role"
    with pytest.raises(services.ReviewError, match="already on the panel") as duplicate:
        services.panel_invite(
            by=north_reviewer, review=invited_review, user=wessex_officer, role="reviewer"
        )
    assert duplicate.value.field == "user"
    assert invited_review.panel.count() == 2


def test_reviewer_accepts_or_declines_once(panel, wessex_officer, yorkshire_officer):
    lead, member = panel
    lead = services.reviewer_respond(
        by=wessex_officer, reviewer=lead, version=lead.version, accept=True
    )
    member = services.reviewer_respond(
        by=yorkshire_officer,
        reviewer=member,
        version=member.version,
        accept=False,
        note="On leave in May",
    )
    assert (fresh(lead).status, lead.version) == (Reviewer.Status.ACCEPTED, 2)
    assert fresh(member).status == Reviewer.Status.DECLINED
    assert member.note == "On leave in May"
    assert member.responded_at is not None
    assert "peer_review.reviewer_accepted" in verbs()
    assert "peer_review.reviewer_declined" in verbs()
    assert [h.status for h in member.history.order_by("history_id")] == ["invited", "declined"]
    with pytest.raises(services.ReviewError, match="declined already"):
        services.reviewer_respond(
            by=yorkshire_officer, reviewer=member, version=member.version, accept=True
        )
    assert fresh(member).status == Reviewer.Status.DECLINED


def test_declaring_a_conflict_withdraws_and_is_never_offered_again(
    panel, invited_review, north_reviewer, yorkshire_officer
):
    _, member = panel
    with pytest.raises(services.ReviewError, match="Say what the conflict is") as blank:
        services.reviewer_declare_conflict(by=yorkshire_officer, reviewer=member, reason=" ")
    assert blank.value.field == "reason"
    assert fresh(member).status == Reviewer.Status.INVITED

    services.reviewer_declare_conflict(
        by=yorkshire_officer, reviewer=member, reason="My husband chairs NEC's group"
    )
    assert fresh(member).status == Reviewer.Status.CONFLICTED
    assert member.note == "My husband chairs NEC's group"
    conflict = ReviewerConflict.objects.get(user=yorkshire_officer)
    assert conflict.hub == nec()
    assert conflict.history.get().history_user == yorkshire_officer
    assert AuditEvent.objects.get(verb="peer_review.reviewer_conflicted").data == {
        "reason": "My husband chairs NEC's group"
    }
    assert services.conflicts_with_hub(nec())[yorkshire_officer.pk] == (
        "Declared a conflict: My husband chairs NEC's group"
    )
    candidates = services.reviewer_candidates(invited_review)
    assert yorkshire_officer not in [c.user for c in candidates.offered]
    assert yorkshire_officer in [c.user for c in candidates.excluded]
    with pytest.raises(services.ReviewError, match="cannot review") as refused:
        services.panel_invite(
            by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
        )
    assert refused.value.field == "user"
    with pytest.raises(services.ReviewError, match="no longer on this panel"):
        services.reviewer_declare_conflict(by=yorkshire_officer, reviewer=member, reason="Again")


def test_replace_keeps_the_old_place_as_history(
    panel, invited_review, north_reviewer, yorkshire_officer, london_hub_officer
):
    _, member = panel
    new = services.reviewer_replace(
        by=north_reviewer,
        reviewer=member,
        version=member.version,
        user=london_hub_officer,
        reason="Did not answer",
    )
    assert fresh(member).status == Reviewer.Status.REPLACED
    assert member.note == "Did not answer"
    assert (new.user, new.role, new.status) == (london_hub_officer, "reviewer", "invited")
    assert invited_review.panel.count() == 3
    assert [h.status for h in member.history.order_by("history_id")] == ["invited", "replaced"]
    with pytest.raises(services.ReviewError, match="filled by someone else"):
        services.reviewer_replace(
            by=north_reviewer, reviewer=member, version=member.version, user=yorkshire_officer
        )


def test_replacement_by_a_conflicted_person_changes_nothing(
    panel, north_reviewer, conflicted_officer
):
    _, member = panel
    with pytest.raises(services.ReviewError, match="cannot review"):
        services.reviewer_replace(
            by=north_reviewer, reviewer=member, version=member.version, user=conflicted_officer
        )
    assert fresh(member).status == Reviewer.Status.INVITED
    assert member.version == 1
    assert Reviewer.objects.count() == 2


def test_start_needs_an_accepted_lead_and_another_accepted_reviewer(
    panel, invited_review, north_reviewer, wessex_officer, yorkshire_officer
):
    lead, member = panel
    accept(member, yorkshire_officer)
    review = fresh(invited_review)
    with pytest.raises(services.ReviewError, match="lead reviewer who has accepted"):
        services.review_start(by=north_reviewer, review=review, version=review.version)
    accept(lead, wessex_officer)
    # The lead accepts, then Yasmin withdraws with a conflict: the lead is left alone.
    services.reviewer_declare_conflict(by=yorkshire_officer, reviewer=member, reason="Conflict")
    with pytest.raises(services.ReviewError, match="besides the lead"):
        services.review_start(by=north_reviewer, review=review, version=review.version)
    assert fresh(review).status == PeerReview.Status.INVITED
    assert "peer_review.started" not in verbs()


def test_start_moves_the_review_into_review(review_in_progress, north_reviewer):
    assert review_in_progress.status == PeerReview.Status.IN_REVIEW
    assert review_in_progress.started_at is not None
    assert AuditEvent.objects.get(verb="peer_review.started").data == {"panel": 2}


# --- assessments ----------------------------------------------------------------------------


def ratings_for(review: PeerReview, **overrides) -> dict:
    return {
        line.pk: {"rating": "assured", "evidence": f"Evidence on {line.title}", "comments": ""}
        | overrides
        for line in review.cycle.lines.all()
    }


def test_rating_outside_the_scale_is_refused(review_in_progress, yorkshire_officer):
    place = place_of(review_in_progress, yorkshire_officer)
    ratings = ratings_for(review_in_progress)
    line = review_in_progress.cycle.lines.last()
    ratings[line.pk]["rating"] = "excellent"
    with pytest.raises(services.ReviewError, match="Choose assured") as refused:
        services.assessment_save(
            by=yorkshire_officer, reviewer=place, version=1, ratings=ratings, submit=False
        )
    assert refused.value.field == f"rating_{line.pk}"
    assert not LineRating.objects.exists()
    assert services.assessment_for(place).version == 1


def test_a_draft_saves_partial_ratings(review_in_progress, yorkshire_officer):
    place = place_of(review_in_progress, yorkshire_officer)
    line = review_in_progress.cycle.lines.first()
    assessment = services.assessment_save(
        by=yorkshire_officer,
        reviewer=place,
        version=1,
        ratings={line.pk: {"rating": "not_assured", "evidence": "", "comments": " Thin "}},
    )
    assert (assessment.status, assessment.version) == (Assessment.Status.DRAFT, 2)
    rating = assessment.ratings.get()
    assert (rating.rating, rating.comments) == ("not_assured", "Thin")
    assert rating.history.get().history_user == yorkshire_officer
    assert "peer_review.assessment_submitted" not in verbs()


def test_submit_needs_every_line_rated_with_evidence(review_in_progress, yorkshire_officer):
    place = place_of(review_in_progress, yorkshire_officer)
    lines = list(review_in_progress.cycle.lines.all())
    unrated = ratings_for(review_in_progress)
    del unrated[lines[2].pk]
    with pytest.raises(services.ReviewError, match="Rate “CCG engagement") as refused:
        services.assessment_save(
            by=yorkshire_officer, reviewer=place, version=1, ratings=unrated, submit=True
        )
    assert refused.value.field == f"rating_{lines[2].pk}"
    no_evidence = ratings_for(review_in_progress)
    no_evidence[lines[0].pk]["evidence"] = "   "
    with pytest.raises(services.ReviewError, match="Give the evidence") as refused:
        services.assessment_save(
            by=yorkshire_officer, reviewer=place, version=1, ratings=no_evidence, submit=True
        )
    assert refused.value.field == f"evidence_{lines[0].pk}"
    assessment = services.assessment_for(place)
    assert (assessment.status, assessment.version) == (Assessment.Status.DRAFT, 1)
    assert not LineRating.objects.exists()  # a refused submission saves nothing

    assessment = services.assessment_save(
        by=yorkshire_officer,
        reviewer=place,
        version=1,
        ratings=ratings_for(review_in_progress),
        submit=True,
    )
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_at is not None
    assert assessment.ratings.count() == len(lines)
    assert verbs()[-1] == "peer_review.assessment_submitted"


def test_a_submitted_assessment_cannot_change(review_in_progress, yorkshire_officer):
    place = place_of(review_in_progress, yorkshire_officer)
    submitted = rate_all(review_in_progress, place)
    changed = ratings_for(review_in_progress, rating="not_assured")
    with pytest.raises(services.ReviewError, match="submitted and cannot be changed"):
        services.assessment_save(
            by=yorkshire_officer, reviewer=place, version=submitted.version, ratings=changed
        )
    assert set(LineRating.objects.values_list("rating", flat=True)) == {"assured"}
    assert fresh(submitted).version == submitted.version


def test_only_an_accepted_reviewer_rates(review_in_progress, north_reviewer, london_hub_officer):
    invited = services.panel_invite(
        by=north_reviewer, review=review_in_progress, user=london_hub_officer, role="reviewer"
    )
    with pytest.raises(services.ReviewError, match="accepted a place"):
        services.assessment_save(
            by=london_hub_officer,
            reviewer=invited,
            version=1,
            ratings=ratings_for(review_in_progress),
        )
    assert not Assessment.objects.exists()


def test_no_ratings_before_the_review_starts(panel, wessex_officer, yorkshire_officer):
    lead, _ = panel
    lead = accept(lead, wessex_officer)
    with pytest.raises(services.ReviewError, match="not open"):
        services.assessment_save(
            by=wessex_officer, reviewer=lead, version=1, ratings=ratings_for(lead.review)
        )
    assert not Assessment.objects.exists()


def test_visible_assessments_private_until_own_submitted(
    review_in_progress,
    wessex_officer,
    yorkshire_officer,
    north_reviewer,
    national_admin,
    nec_hub_officer,
    london_hub_officer,
):
    review = review_in_progress
    will, yasmin = place_of(review, wessex_officer), place_of(review, yorkshire_officer)
    rate_all(review, will, submit=False)

    def seen_by(user) -> list:
        return [a.reviewer.user for a in permissions.visible_assessments(user, review)]

    # Nothing submitted: nobody sees a draft, not even the region.
    for user in (wessex_officer, yorkshire_officer, north_reviewer, national_admin):
        assert seen_by(user) == []

    rate_all(review, yasmin)
    assert seen_by(yorkshire_officer) == [yorkshire_officer]  # not Will's draft
    assert seen_by(wessex_officer) == []  # Will has not submitted his own
    assert seen_by(north_reviewer) == [yorkshire_officer]
    assert seen_by(national_admin) == [yorkshire_officer]

    services.assessment_save(
        by=wessex_officer,
        reviewer=will,
        version=services.assessment_for(will).version,
        ratings=ratings_for(review),
        submit=True,
    )
    assert set(seen_by(wessex_officer)) == {wessex_officer, yorkshire_officer}
    assert set(seen_by(yorkshire_officer)) == {wessex_officer, yorkshire_officer}
    assert set(seen_by(north_reviewer)) == {wessex_officer, yorkshire_officer}
    for outsider in (nec_hub_officer, london_hub_officer):
        assert seen_by(outsider) == []


def test_a_withdrawn_reviewer_sees_no_assessments(
    review_in_progress, yorkshire_officer, wessex_officer, north_reviewer, london_hub_officer
):
    review = review_in_progress
    rate_all(review, place_of(review, yorkshire_officer))
    rate_all(review, place_of(review, wessex_officer))
    new = services.panel_invite(
        by=north_reviewer, review=review, user=london_hub_officer, role="reviewer"
    )
    services.reviewer_declare_conflict(by=london_hub_officer, reviewer=new, reason="Conflict")
    assert permissions.visible_assessments(london_hub_officer, review) == []


# --- the lead's report ----------------------------------------------------------------------


def consolidate(review, lead, **fields) -> PeerReview:
    values = {"overall_rating": "partially_assured", "summary": "Well run; gaps in coverage"}
    return services.review_consolidate(
        by=lead, review=review, version=fresh(review).version, **(values | fields)
    )


def test_issue_refused_until_every_accepted_reviewer_has_submitted(
    review_in_progress, wessex_officer, yorkshire_officer
):
    review = review_in_progress
    rate_all(review, place_of(review, wessex_officer))
    review = consolidate(review, wessex_officer)
    with pytest.raises(services.ReviewError, match="Waiting for reviews from: Yasmin Akhtar"):
        services.report_issue(by=wessex_officer, review=review, version=review.version)
    assert not ReviewReport.objects.exists()
    assert fresh(review).status == PeerReview.Status.IN_REVIEW


def test_issue_needs_overall_rating_and_summary(
    review_in_progress, wessex_officer, yorkshire_officer
):
    review = review_in_progress
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    review = consolidate(review, wessex_officer, overall_rating="", summary="Drafting")
    with pytest.raises(services.ReviewError, match="overall rating") as refused:
        services.report_issue(by=wessex_officer, review=review, version=review.version)
    assert refused.value.field == "overall_rating"
    review = consolidate(review, wessex_officer, summary=" ")
    with pytest.raises(services.ReviewError, match="summary") as refused:
        services.report_issue(by=wessex_officer, review=review, version=review.version)
    assert refused.value.field == "summary"
    with pytest.raises(services.ReviewError, match="Choose assured") as refused:
        consolidate(review, wessex_officer, overall_rating="brilliant")
    assert refused.value.field == "overall_rating"
    assert not ReviewReport.objects.exists()
    assert fresh(review).status == PeerReview.Status.IN_REVIEW


def test_issued_report_is_frozen(issued_review, wessex_officer):
    report = issued_review.reports.get()
    assert issued_review.status == PeerReview.Status.REPORT_ISSUED
    assert (report.number, report.overall_rating, report.reason) == (1, "partially_assured", "")
    assert report.content["summary"] == "A well-run group with gaps in CCG coverage."
    assert [r["title"] for r in report.content["recommendations"]] == [
        "Secure representation for every CCG"
    ]
    assert {p["name"] for p in report.content["panel"]} == {"Will Turner", "Yasmin Akhtar"}
    assert AuditEvent.objects.get(verb="peer_review.report_issued").data == {
        "number": 1,
        "reason": "",
    }
    report.overall_rating = "assured"
    with pytest.raises(ValueError, match="never changed"):
        report.save()
    assert ReviewReport.objects.get().overall_rating == "partially_assured"
    # Later edits to the draft do not touch the issued report.
    consolidate(issued_review, wessex_officer, summary="Rewritten after issue")
    assert fresh(report).content["summary"] == "A well-run group with gaps in CCG coverage."


def test_a_second_issue_is_a_correction_with_a_reason(issued_review, wessex_officer):
    review = consolidate(issued_review, wessex_officer, overall_rating="assured")
    with pytest.raises(services.ReviewError, match="why") as refused:
        services.report_issue(by=wessex_officer, review=review, version=review.version)
    assert refused.value.field == "reason"
    assert review.reports.count() == 1
    correction = services.report_issue(
        by=wessex_officer,
        review=review,
        version=review.version,
        reason=" The rating was mistyped ",
    )
    assert (correction.number, correction.reason) == (2, "The rating was mistyped")
    assert correction.overall_rating == "assured"
    assert services.latest_report(review) == correction
    assert review.reports.count() == 2
    assert fresh(review).status == PeerReview.Status.REPORT_ISSUED
    assert AuditEvent.objects.get(verb="peer_review.report_corrected").data == {
        "number": 2,
        "reason": "The rating was mistyped",
    }


def test_recommendation_needs_an_owner_and_a_due_date_in_range(review_in_progress, wessex_officer):
    fields = {"title": "Invite the local authorities", "detail": "", "owner": "Hub director"}
    with pytest.raises(services.ReviewError, match="owns") as refused:
        services.recommendation_add(
            by=wessex_officer,
            review=review_in_progress,
            **fields | {"owner": "  ", "due_date": datetime.date(2015, 12, 31)},
        )
    assert refused.value.field == "owner"
    with pytest.raises(services.ReviewError, match="31 March 2017") as refused:
        services.recommendation_add(
            by=wessex_officer,
            review=review_in_progress,
            **fields | {"due_date": datetime.date(2017, 4, 1)},
        )
    assert refused.value.field == "due_date"
    assert not ReviewRecommendation.objects.exists()
    rec = services.recommendation_add(
        by=wessex_officer,
        review=review_in_progress,
        **fields | {"due_date": datetime.date(2017, 3, 31)},
    )
    assert (rec.owner, rec.status) == ("Hub director", ReviewRecommendation.Status.OPEN)
    with pytest.raises(services.ReviewError, match="owns") as refused:
        services.recommendation_update(
            by=wessex_officer, recommendation=rec, version=rec.version, owner=""
        )
    assert refused.value.field == "owner"
    assert fresh(rec).owner == "Hub director"


def test_report_cannot_change_once_signed_off(
    issued_review, nec_hub_officer, north_reviewer, wessex_officer
):
    rec = issued_review.recommendations.get()
    review = services.response_submit(
        by=nec_hub_officer,
        review=issued_review,
        version=issued_review.version,
        summary="",
        actions={rec.pk: "Write to each CCG"},
    )
    review = services.response_sign_off(by=north_reviewer, review=review, version=review.version)
    with pytest.raises(services.ReviewError, match="cannot change now"):
        consolidate(review, wessex_officer, summary="Too late")
    with pytest.raises(services.ReviewError, match="cannot change now"):
        services.report_issue(by=wessex_officer, review=review, version=review.version, reason="x")
    assert review.reports.count() == 1


# --- the hub's response and the region's sign-off -------------------------------------------


def test_response_needs_an_action_for_every_issued_recommendation(issued_review, nec_hub_officer):
    rec = issued_review.recommendations.get()
    with pytest.raises(services.ReviewError, match="Give the hub's action") as refused:
        services.response_submit(
            by=nec_hub_officer,
            review=issued_review,
            version=issued_review.version,
            summary="We accept the report",
            actions={rec.pk: "  "},
        )
    assert refused.value.field == f"action_{rec.pk}"
    assert fresh(issued_review).status == PeerReview.Status.REPORT_ISSUED
    assert fresh(rec).status == ReviewRecommendation.Status.OPEN


def test_response_moves_recommendations_on_and_the_region_returns_or_signs_off(
    issued_review, nec_hub_officer, north_reviewer
):
    rec = issued_review.recommendations.get()
    review = services.response_submit(
        by=nec_hub_officer,
        review=issued_review,
        version=issued_review.version,
        summary="We accept the report",
        actions={rec.pk: "Write to each CCG by July"},
    )
    assert (review.status, review.responded_by) == (PeerReview.Status.RESPONDED, nec_hub_officer)
    assert fresh(rec).status == ReviewRecommendation.Status.IN_PROGRESS
    assert rec.hub_action == "Write to each CCG by July"
    assert rec.history.first().history_user == nec_hub_officer

    with pytest.raises(services.ReviewError, match="needs") as refused:
        services.response_return(by=north_reviewer, review=review, version=review.version, note="")
    assert refused.value.field == "note"
    assert fresh(review).status == PeerReview.Status.RESPONDED

    review = services.response_return(
        by=north_reviewer, review=review, version=review.version, note="Add dates per CCG"
    )
    assert (review.status, review.signoff_note) == ("report_issued", "Add dates per CCG")
    with pytest.raises(services.ReviewError, match="cannot sign off"):
        services.response_sign_off(by=north_reviewer, review=review, version=review.version)

    review = services.response_submit(
        by=nec_hub_officer,
        review=review,
        version=review.version,
        summary="With dates",
        actions={rec.pk: "Write to each CCG by 31 July 2015"},
    )
    review = services.response_sign_off(
        by=north_reviewer, review=review, version=review.version, note="Thank you"
    )
    assert (fresh(review).status, review.signed_off_by) == ("signed_off", north_reviewer)
    assert verbs()[-4:] == [
        "peer_review.responded",
        "peer_review.response_returned",
        "peer_review.responded",
        "peer_review.signed_off",
    ]
    statuses = [h.status for h in review.history.order_by("history_id")]
    assert statuses[-4:] == ["responded", "report_issued", "responded", "signed_off"]


def test_closing_a_recommendation_needs_a_note(issued_review, nec_hub_officer):
    rec = issued_review.recommendations.get()
    with pytest.raises(services.ReviewError, match="done to close") as refused:
        services.recommendation_progress(
            by=nec_hub_officer, recommendation=rec, version=rec.version, status="closed"
        )
    assert refused.value.field == "note"
    assert fresh(rec).status == ReviewRecommendation.Status.OPEN
    rec = services.recommendation_progress(
        by=nec_hub_officer,
        recommendation=rec,
        version=rec.version,
        status="closed",
        note="All CCGs now members",
    )
    assert (fresh(rec).status, rec.closure_note) == ("closed", "All CCGs now members")
    assert rec.closed_at is not None
    rec = services.recommendation_progress(
        by=nec_hub_officer, recommendation=rec, version=rec.version, status="in_progress"
    )
    assert (fresh(rec).status, rec.closed_at) == ("in_progress", None)
    with pytest.raises(services.ReviewError, match="Choose open") as refused:
        services.recommendation_progress(
            by=nec_hub_officer, recommendation=rec, version=rec.version, status="abandoned"
        )
    assert refused.value.field == "status"


def test_hub_staff_never_see_unissued_recommendations(
    issued_review, review_in_progress, wessex_officer, nec_hub_officer, north_reviewer
):
    issued = issued_review.recommendations.get()
    later = services.recommendation_add(
        by=wessex_officer,
        review=issued_review,
        title="Publish the register of interests",
        owner="Hub director",
        due_date=datetime.date(2016, 3, 31),
    )
    assert permissions.get_recommendation_for_user(nec_hub_officer, issued.pk) == issued
    with pytest.raises(Http404):
        permissions.get_recommendation_for_user(nec_hub_officer, later.pk)
    # The panel and the region see the draft recommendation.
    assert permissions.get_recommendation_for_user(wessex_officer, later.pk) == later
    assert permissions.get_recommendation_for_user(north_reviewer, later.pk) == later
    # Nor may the hub act on it: it is not in an issued report.
    with pytest.raises(services.ReviewError, match="not been issued"):
        services.recommendation_progress(
            by=nec_hub_officer,
            recommendation=later,
            version=later.version,
            status="closed",
            note="Done",
        )
    assert fresh(later).status == ReviewRecommendation.Status.OPEN
    # The response needs actions for the issued recommendation only.
    review = services.response_submit(
        by=nec_hub_officer,
        review=issued_review,
        version=issued_review.version,
        summary="",
        actions={issued.pk: "Write to each CCG"},
    )
    assert review.status == PeerReview.Status.RESPONDED
    assert fresh(later).status == ReviewRecommendation.Status.OPEN


def test_hub_staff_see_no_recommendation_before_the_report_is_issued(
    review_in_progress, wessex_officer, nec_hub_officer
):
    rec = services.recommendation_add(
        by=wessex_officer,
        review=review_in_progress,
        title="Invite the local authorities",
        owner="Hub director",
        due_date=datetime.date(2015, 12, 31),
    )
    with pytest.raises(Http404):
        permissions.get_recommendation_for_user(nec_hub_officer, rec.pk)


# --- optimistic locking ---------------------------------------------------------------------


def test_stale_review_version_changes_nothing(review_in_progress, wessex_officer):
    stale = review_in_progress.version
    consolidate(review_in_progress, wessex_officer, summary="First thoughts")
    with pytest.raises(ConflictError) as conflict:
        services.review_consolidate(
            by=wessex_officer,
            review=review_in_progress,
            version=stale,
            overall_rating="assured",
            summary="Overwritten",
        )
    assert [c.field for c in conflict.value.changes] == ["Overall rating", "Summary of the review"]
    review = fresh(review_in_progress)
    assert (review.summary, review.overall_rating) == ("First thoughts", "partially_assured")
    assert review.version == stale + 1
    assert verbs().count("peer_review.consolidated") == 1


def test_second_invite_from_the_same_page_is_a_conflict(ready_review, north_reviewer):
    """Two of the regional team invite the review from the page each opened: one wins."""
    opened = ready_review.version
    services.review_invite(by=north_reviewer, review=ready_review, version=opened)
    invited = fresh(ready_review)
    with pytest.raises(ConflictError):
        services.review_invite(by=north_reviewer, review=ready_review, version=opened)
    review = fresh(ready_review)
    assert (review.version, review.invited_at) == (invited.version, invited.invited_at)
    assert verbs().count("peer_review.invited") == 1


def test_stale_reviewer_version_changes_nothing(
    panel, north_reviewer, wessex_officer, london_hub_officer
):
    lead, _ = panel
    stale = lead.version
    accept(lead, wessex_officer)
    with pytest.raises(ConflictError) as conflict:
        services.reviewer_replace(
            by=north_reviewer, reviewer=lead, version=stale, user=london_hub_officer
        )
    assert conflict.value.by == "Will Turner"
    assert fresh(lead).status == Reviewer.Status.ACCEPTED
    assert not Reviewer.objects.filter(user=london_hub_officer).exists()


def test_stale_assessment_version_changes_nothing(review_in_progress, yorkshire_officer):
    place = place_of(review_in_progress, yorkshire_officer)
    services.assessment_save(
        by=yorkshire_officer,
        reviewer=place,
        version=1,
        ratings=ratings_for(review_in_progress, rating="partially_assured"),
    )
    with pytest.raises(ConflictError):
        services.assessment_save(
            by=yorkshire_officer,
            reviewer=place,
            version=1,
            ratings=ratings_for(review_in_progress, rating="not_assured"),
            submit=True,
        )
    assessment = services.assessment_for(place)
    assert (assessment.status, assessment.version) == (Assessment.Status.DRAFT, 2)
    assert set(LineRating.objects.values_list("rating", flat=True)) == {"partially_assured"}


# --- the invitation email -------------------------------------------------------------------


def test_invitation_email_is_sent_after_commit_with_a_link(
    invited_review, north_reviewer, wessex_officer, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        place = services.panel_invite(
            by=north_reviewer, review=invited_review, user=wessex_officer, role="lead"
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    # The invitation, and the page cache's one invalidation for the whole transaction.
    assert [getattr(c, "__name__", "") for c in callbacks].count("_bump_now") == 1
    assert len(callbacks) == 2
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["will@example.nhs.uk"]
    assert "North East and Cumbria" in email.body
    link = f"{settings.SITE_URL}/reviews/{invited_review.pk}/"
    assert link in email.body
    assert link in email.alternatives[0][0]
    assert "lead the panel" in email.body

    accept(place, wessex_officer)
    assert notifications.reviewer_invitation_send(reviewer_id=place.pk) == 0
    assert len(mail.outbox) == 1


def test_invitation_email_not_sent_for_a_withdrawn_place(panel, yorkshire_officer):
    _, member = panel
    services.reviewer_declare_conflict(by=yorkshire_officer, reviewer=member, reason="Conflict")
    assert notifications.reviewer_invitation_send(reviewer_id=member.pk) == 0
    assert notifications.reviewer_invitation_send(reviewer_id=10**9) == 0
    assert mail.outbox == []
