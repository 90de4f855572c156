"""Peer review rules, services called directly (issue 5): the issued report and its
corrections, the hub's response, optimistic locking and the invitation email."""

import datetime

import pytest
from django.core import mail
from django.http import Http404

from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from reviews import emails, permissions, services
from reviews.models import (
    Assessment,
    LineRating,
    PeerReview,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from tests.reviews.conftest import (
    accept,
    fresh,
    place_of,
    rate_all,
    ratings_for,
    start_correction,
    verbs,
)

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
    # A correction's draft does not touch the issued report.
    consolidate(start_correction(issued_review, wessex_officer), wessex_officer, summary="New")
    assert fresh(report).content["summary"] == "A well-run group with gaps in CCG coverage."


def test_a_second_issue_is_a_correction_with_a_reason(issued_review, wessex_officer):
    review = start_correction(issued_review, wessex_officer)
    review = consolidate(review, wessex_officer, overall_rating="assured")
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
    start_correction(issued_review, wessex_officer)
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
    with django_capture_on_commit_callbacks() as callbacks:
        place = services.panel_invite(
            by=north_reviewer, review=invited_review, user=wessex_officer, role="lead"
        )
    assert mail.outbox == []  # nothing leaves before the transaction commits
    # The invitation's publication, and the page cache's one invalidation for the transaction.
    assert [getattr(c, "__name__", "") for c in callbacks].count("_bump_now") == 1
    assert len(callbacks) == 2
    for callback in callbacks:  # the commit (the worker runs inline: Celery is eager here)
        callback()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["will@example.nhs.uk"]
    assert "North East and Cumbria" in email.body
    link = f"{settings.SITE_URL}/reviews/{invited_review.pk}/"
    assert link in email.body
    assert link in email.alternatives[0][0]
    assert "lead the panel" in email.body

    accept(place, wessex_officer)
    assert emails.reviewer_invitation_send(reviewer_id=place.pk) == 0
    assert len(mail.outbox) == 1


def test_invitation_email_not_sent_for_a_withdrawn_place(panel, yorkshire_officer):
    _, member = panel
    services.reviewer_declare_conflict(by=yorkshire_officer, reviewer=member, reason="Conflict")
    assert emails.reviewer_invitation_send(reviewer_id=member.pk) == 0
    assert emails.reviewer_invitation_send(reviewer_id=10**9) == 0
    assert mail.outbox == []
