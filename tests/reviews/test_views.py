"""Peer review pages: the permission ladder for every page (the wrong person gets 403 or 404,
never data), refusals shown beside their fields with nothing changed, the second of two
editors refused, and bounded queries on the review page and the status board."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import (
    Assessment,
    LineRating,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
)
from tests.pdf_checks import assert_accessible_pdf, keep_pdf

from .conftest import accept, rate_all

pytestmark = pytest.mark.django_db


def _urls(review: PeerReview) -> dict[str, str]:
    return {
        "detail": review.get_absolute_url(),
        "plan": reverse("reviews:review-plan", args=[review.pk]),
        "panel": reverse("reviews:panel", args=[review.pk]),
        "history": reverse("reviews:review-history", args=[review.pk]),
        "assessment": reverse("reviews:assessment", args=[review.pk]),
        "consolidate": reverse("reviews:consolidate", args=[review.pk]),
        "finding": reverse("reviews:finding-add", args=[review.pk]),
        "recommendation": reverse("reviews:recommendation-add", args=[review.pk]),
        "respond": reverse("reviews:respond", args=[review.pk]),
    }


# Who gets what on each page of a review in progress (200 sees it, 403 sees the review but may
# not do this, 404 may not know the review exists). Respond is refused to everyone before the
# report is issued, but only the hub's staff get past the access check.
LADDER = {
    "london_hub_officer": dict.fromkeys(
        ["detail", "plan", "panel", "history", "assessment", "consolidate", "respond"], 404
    ),
    "sunderland_lead": dict.fromkeys(["detail", "plan", "panel", "consolidate"], 404),
    "nec_hub_officer": {
        "detail": 200,
        "plan": 403,
        "panel": 403,
        "history": 403,
        "assessment": 403,
        "consolidate": 403,
        "finding": 403,
        "respond": 200,
    },
    "yorkshire_officer": {
        "detail": 200,
        "plan": 200,
        "panel": 403,
        "history": 403,
        "assessment": 200,
        "consolidate": 403,
        "recommendation": 403,
        "respond": 403,
    },
    "wessex_officer": {
        "detail": 200,
        "plan": 200,
        "panel": 403,
        "assessment": 200,
        "consolidate": 200,
        "finding": 200,
        "recommendation": 200,
        "respond": 403,
    },
    "north_reviewer": {
        "detail": 200,
        "plan": 200,
        "panel": 200,
        "history": 200,
        "assessment": 403,
        "consolidate": 403,
        "respond": 403,
    },
    "national_admin": {"detail": 200, "plan": 200, "panel": 403, "history": 200},
}


@pytest.mark.parametrize("persona", list(LADDER))
def test_review_pages_ladder(client, request, review_in_progress, persona):
    user = request.getfixturevalue(persona)
    urls = _urls(review_in_progress)
    client.force_login(user)
    for page, status in LADDER[persona].items():
        response = client.get(urls[page])
        assert response.status_code == status, (persona, page, response.status_code)
        if status == 404:
            assert "Wessex" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, review_in_progress):
    for url in [reverse("reviews:index"), *_urls(review_in_progress).values()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_hub_sees_nothing_of_the_workings_before_issue(
    client, review_in_progress, nec_hub_officer, wessex_officer, yorkshire_officer
):
    review = review_in_progress
    rate_all(review, review.panel.get(user=yorkshire_officer), rating="not_assured")
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="finding",
        title="Secret draft finding",
        detail="Only the panel sees this",
        theme="governance",
        programme_of_care=None,
        shareable=True,
    )
    client.force_login(nec_hub_officer)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Secret draft finding" not in html
    assert "Not assured" not in html
    assert "Yasmin Akhtar" not in html
    assert "once the lead reviewer issues it" in html
    client.force_login(wessex_officer)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Secret draft finding" in html
    # Will has not submitted his own review, so Yasmin's ratings stay hidden from him.
    assert "Not assured" not in html
    assert "once you have submitted your own" in html


def test_a_reviewers_draft_is_theirs_alone(
    client, review_in_progress, yorkshire_officer, wessex_officer, north_reviewer
):
    review = review_in_progress
    rate_all(review, review.panel.get(user=wessex_officer), submit=False, rating="not_assured")
    client.force_login(yorkshire_officer)
    assert "Not assured" not in client.get(review.get_absolute_url()).content.decode()
    client.force_login(north_reviewer)
    assert "Not assured" not in client.get(review.get_absolute_url()).content.decode()
    client.force_login(wessex_officer)
    page = client.get(reverse("reviews:assessment", args=[review.pk])).content.decode()
    assert 'value="not_assured" checked' in page


def test_invited_reviewer_sees_the_invitation_not_the_workings(
    client, invited_review, north_reviewer, wessex_officer
):
    place = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    client.force_login(wessex_officer)
    html = client.get(invited_review.get_absolute_url()).content.decode()
    assert "You are invited to lead this review" in html
    assert "governance record under review" not in html
    assert client.get(reverse("reviews:review-plan", args=[invited_review.pk])).status_code == 403
    assert "answer the invitation" in client.get(reverse("workspace:my-work")).content.decode()
    response = client.post(
        reverse("reviews:place-respond", args=[place.pk]),
        {"version": place.version, "answer": "accept"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.status == Reviewer.Status.ACCEPTED


def test_only_the_invited_person_answers(
    client, invited_review, north_reviewer, wessex_officer, yorkshire_officer
):
    place = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    client.force_login(north_reviewer)
    url = reverse("reviews:place-respond", args=[place.pk])
    assert client.post(url, {"version": place.version, "answer": "accept"}).status_code == 403
    client.force_login(yorkshire_officer)
    assert client.post(url, {"version": place.version, "answer": "accept"}).status_code == 404
    place.refresh_from_db()
    assert place.status == Reviewer.Status.INVITED


def test_readiness_needs_a_note_when_checks_are_unmet(
    client, cycle, submitted_plan, nec_hub_officer, north_reviewer
):
    url = reverse("reviews:readiness", args=[cycle.pk, "north-east-and-cumbria"])
    client.force_login(nec_hub_officer)
    page = client.get(url).content.decode()
    assert "Priorities plan submitted" in page
    assert "Not met" in page
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "Say why the hub is ready all the same" in response.content.decode()
    assert 'id="id_note_error"' in response.content.decode()
    assert not PeerReview.objects.exists()
    response = client.post(url, {"note": "CCGs are answering this month."})
    review = PeerReview.objects.get()
    assert response.url == review.get_absolute_url()
    assert review.readiness_note == "CCGs are answering this month."
    client.force_login(north_reviewer)
    assert client.post(url, {"note": "x"}).status_code == 403
    assert client.get(url).status_code == 200


def test_readiness_is_refused_to_other_hubs(client, cycle, london_hub_officer, sunderland_lead):
    url = reverse("reviews:readiness", args=[cycle.pk, "north-east-and-cumbria"])
    for user in (london_hub_officer, sunderland_lead):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"note": "x"}).status_code == 404
    assert not PeerReview.objects.exists()


def test_panel_never_offers_a_conflicted_reviewer(
    client, invited_review, north_reviewer, conflicted_officer, nec_hub_officer, wessex_officer
):
    client.force_login(north_reviewer)
    url = reverse("reviews:panel", args=[invited_review.pk])
    response = client.get(url)
    choices = dict(response.context["form"].fields["user"].choices)
    assert conflicted_officer.pk not in choices
    assert nec_hub_officer.pk not in choices
    assert wessex_officer.pk in choices
    assert "A member of the hub&#x27;s oversight group" in response.content.decode()
    response = client.post(url, {"user": conflicted_officer.pk, "role": "reviewer"})
    assert response.status_code == 200
    assert "Choose a reviewer from the list" in response.content.decode()
    assert not invited_review.panel.exists()
    response = client.post(url, {"user": wessex_officer.pk, "role": "lead"})
    assert response.status_code == 302
    assert invited_review.panel.get().user == wessex_officer


def test_start_without_a_lead_is_refused(client, invited_review, north_reviewer, yorkshire_officer):
    place = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    accept(place, yorkshire_officer)
    client.force_login(north_reviewer)
    response = client.post(
        reverse("reviews:review-start", args=[invited_review.pk]),
        {"version": invited_review.version},
        follow=True,
    )
    assert "The panel needs a lead reviewer who has accepted" in response.content.decode()
    invited_review.refresh_from_db()
    assert invited_review.status == PeerReview.Status.INVITED


def test_submitting_an_incomplete_review_shows_the_gap(
    client, review_in_progress, yorkshire_officer
):
    review = review_in_progress
    first = review.cycle.lines.first()
    client.force_login(yorkshire_officer)
    url = reverse("reviews:assessment", args=[review.pk])
    response = client.post(
        url,
        {"version": 1, f"rating_{first.pk}": "assured", f"evidence_{first.pk}": "", "submit": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the evidence for your rating" in html
    assert f'id="id_evidence_{first.pk}_error"' in html
    assert not Assessment.objects.filter(status=Assessment.Status.SUBMITTED).exists()
    response = client.post(url, {"version": 1, f"rating_{first.pk}": "brilliant"})
    assert "Choose assured, partially assured or not assured" in response.content.decode()
    assert not LineRating.objects.exists()


def test_recommendation_without_owner_is_refused_beside_the_field(
    client, review_in_progress, wessex_officer
):
    client.force_login(wessex_officer)
    response = client.post(
        reverse("reviews:recommendation-add", args=[review_in_progress.pk]),
        {"title": "Agree the terms", "owner": "", "due_date": "2015-09-30"},
    )
    assert response.status_code == 200
    assert 'id="id_owner_error"' in response.content.decode()
    assert not ReviewRecommendation.objects.exists()


def test_second_editor_of_the_summary_is_refused_and_told(
    client, review_in_progress, wessex_officer
):
    review = review_in_progress
    url = reverse("reviews:consolidate", args=[review.pk])
    client.force_login(wessex_officer)
    stale = review.version
    client.post(url, {"version": stale, "overall_rating": "assured", "summary": "First"})
    response = client.post(
        url, {"version": stale, "overall_rating": "not_assured", "summary": "Second"}
    )
    assert response.status_code == 200
    assert "saved this while you were editing" in response.content.decode()
    review.refresh_from_db()
    assert (review.overall_rating, review.summary) == ("assured", "First")


def test_issue_respond_and_sign_off_through_the_pages(
    client, issued_review, nec_hub_officer, north_reviewer, wessex_officer
):
    review = issued_review
    report = review.reports.get()
    rec = review.recommendations.get()
    client.force_login(nec_hub_officer)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Secure representation for every CCG" in html
    assert "Read the full report" in html
    assert client.get(report.get_absolute_url()).status_code == 200
    url = reverse("reviews:respond", args=[review.pk])
    response = client.post(
        url, {"version": review.version, "summary": "Thanks", f"action_{rec.pk}": ""}
    )
    assert f'id="id_action_{rec.pk}_error"' in response.content.decode()
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    client.post(
        url,
        {"version": review.version, "summary": "Thanks", f"action_{rec.pk}": "Invite them again"},
    )
    review.refresh_from_db()
    assert review.status == PeerReview.Status.RESPONDED
    client.force_login(wessex_officer)
    assert (
        client.post(
            reverse("reviews:sign-off", args=[review.pk]), {"version": review.version}
        ).status_code
        == 403
    )
    client.force_login(north_reviewer)
    client.post(
        reverse("reviews:sign-off", args=[review.pk]), {"version": review.version, "note": "Good"}
    )
    review.refresh_from_db()
    assert review.status == PeerReview.Status.SIGNED_OFF


def test_corrected_report_needs_a_reason_and_keeps_the_first(client, issued_review, wessex_officer):
    review = issued_review
    client.force_login(wessex_officer)
    url = reverse("reviews:report-issue", args=[review.pk])
    response = client.post(url, {"version": review.version, "reason": ""}, follow=True)
    assert "Say why the issued report is being corrected" in response.content.decode()
    assert review.reports.count() == 1
    client.post(url, {"version": review.version, "reason": "Owner's title was wrong"})
    assert list(review.reports.values_list("number", flat=True)) == [2, 1]
    first = review.reports.get(number=1)
    assert "Superseded by version 2" in client.get(first.get_absolute_url()).content.decode()


def test_report_pdf_is_made_for_its_reader(
    client, issued_review, nec_hub_officer, london_hub_officer, django_capture_on_commit_callbacks
):
    from exports.models import Export

    report = issued_review.reports.get()
    client.force_login(london_hub_officer)
    assert client.post(reverse("reviews:report-pdf", args=[report.pk])).status_code == 404
    client.force_login(nec_hub_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:report-pdf", args=[report.pk]))
    export = Export.objects.get(kind=Export.Kind.REVIEW_REPORT)
    assert response.url == export.get_absolute_url()
    assert export.status == Export.Status.READY
    pdf = export.file.read()
    assert pdf.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "North East and Cumbria" in text
    assert "Secure representation for every CCG" in text
    # Tagged PDF/UA-1, and no page given to a cover (issue 18, finding 11).
    keep_pdf(pdf, "review-report")
    reader = assert_accessible_pdf(pdf, title="Peer review report")
    first = reader.pages[0].extract_text()
    assert "Peer review report" in first
    assert "1. Summary" in first


def test_learning_library_lists_shared_practice_only_once_issued(
    client, issued_review, review_in_progress, sunderland_lead
):
    client.force_login(sunderland_lead)
    url = reverse("reviews:learning")
    html = client.get(url).content.decode()
    assert "Patient panel co-chairs the group" in html
    assert "Patient panel" not in client.get(url, {"theme": "finance"}).content.decode()
    assert (
        "Patient panel" in client.get(url, {"q": "co-chairs", "theme": "patients"}).content.decode()
    )


def test_cycle_creation_is_for_national_admins(client, national_admin, north_reviewer):
    url = reverse("reviews:cycle-create")
    data = {"year": 2016, "kind": "second", "opens_on": "2016-12-01", "closes_on": "2017-03-31"}
    client.force_login(north_reviewer)
    assert client.get(url).status_code == 403
    client.force_login(national_admin)
    response = client.post(url, {**data, "closes_on": "2016-11-01"})
    assert "The window must close on or after the day it opens" in response.content.decode()
    assert not ReviewCycle.objects.exists()
    response = client.post(url, data)
    cycle = ReviewCycle.objects.get()
    assert response.url == cycle.get_absolute_url()
    assert cycle.lines.count() == 4
