"""Peer review rules, services called directly (issue 5): panels without conflicts and
independent assessments."""

import pytest

from accounts.models import Role
from commissioning.models import AuditEvent
from hubs.models import Hub
from reviews import permissions, services
from reviews.models import (
    Assessment,
    LineRating,
    PeerReview,
    Reviewer,
    ReviewerConflict,
)
from tests.conftest import make_user
from tests.reviews.conftest import accept, fresh, nec, place_of, rate_all, ratings_for, verbs

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
