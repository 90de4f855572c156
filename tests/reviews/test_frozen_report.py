"""An issued report is frozen (issue 14): its findings and recommendations change only through
a correction the lead starts and ends by issuing a new version with its reason; the hub's
progress on a recommendation is separate from its text."""

import pytest
from django.urls import reverse

from commissioning.errors import StateConflict
from reviews import services
from reviews.models import ReviewRecommendation

from .api_helpers import FINDINGS, RECOMMENDATIONS, _as, _post, _review
from .conftest import fresh, start_correction

pytestmark = pytest.mark.django_db

FROZEN = "The report has been issued: correct it to change this"


# --- the API --------------------------------------------------------------------------------


def test_api_refuses_to_change_an_issued_finding_or_recommendation_but_not_its_progress(
    api_client, issued_review, wessex_officer, nec_hub_officer
):
    finding = issued_review.findings.get()
    rec = issued_review.recommendations.get()
    _as(api_client, wessex_officer)
    patched = api_client.patch(
        f"{FINDINGS}{finding.pk}/",
        {"version": finding.version, "title": "Quietly rewritten"},
        format="json",
    )
    assert patched.status_code == 409
    assert patched.json()["detail"] == f"{FROZEN} finding."
    patched = api_client.patch(
        f"{RECOMMENDATIONS}{rec.pk}/",
        {"version": rec.version, "title": "Quietly rewritten", "detail": "New"},
        format="json",
    )
    assert patched.status_code == 409
    assert patched.json()["detail"] == f"{FROZEN} recommendation."
    archived = _post(api_client, f"{RECOMMENDATIONS}{rec.pk}/archive/", {"version": rec.version})
    assert archived.status_code == 409
    added = _post(
        api_client,
        RECOMMENDATIONS,
        {
            "review": issued_review.pk,
            "title": "Slipped in",
            "owner": "Chair",
            "due_date": "2015-12-01",
        },
    )
    assert added.status_code == 409
    assert fresh(finding).title == "Patient panel co-chairs the group"
    rec = fresh(rec)
    assert (rec.title, rec.detail, rec.archived) == (
        "Secure representation for every CCG",
        "Ten CCGs have no voice yet.",
        False,
    )
    assert issued_review.recommendations.count() == 1
    # The hub's progress is separate from the text and goes on after issue.
    closed = _post(
        _as(api_client, nec_hub_officer),
        f"{RECOMMENDATIONS}{rec.pk}/progress/",
        {"version": rec.version, "status": "closed", "note": "Every CCG now sits on the group"},
    )
    assert closed.status_code == 200
    rec = fresh(rec)
    assert (rec.status, rec.closure_note) == (
        ReviewRecommendation.Status.CLOSED,
        "Every CCG now sits on the group",
    )
    assert rec.title == "Secure representation for every CCG"


def test_api_correction_reopens_the_text_until_the_corrected_report_is_issued(
    api_client, issued_review, wessex_officer, nec_hub_officer
):
    finding = issued_review.findings.get()
    url = _review(issued_review.pk, "correct")
    assert _post(_as(api_client, nec_hub_officer), url, {"version": 0}).status_code in (403, 404)
    started = _post(_as(api_client, wessex_officer), url, {"version": issued_review.version})
    assert started.status_code == 200
    assert started.json()["correcting"] is True
    again = _post(api_client, url, {"version": started.json()["version"]})
    assert again.status_code == 409
    assert "already in progress" in again.json()["detail"]
    patched = api_client.patch(
        f"{FINDINGS}{finding.pk}/",
        {"version": finding.version, "title": "Patients co-chair every meeting"},
        format="json",
    )
    assert patched.status_code == 200
    review = fresh(issued_review)
    issued = _post(
        api_client, _review(review.pk, "issue"), {"version": review.version, "reason": "Wording"}
    )
    assert issued.status_code == 201
    assert issued.json()["number"] == 2
    review = fresh(review)
    assert review.correcting is False
    assert review.reports.get(number=2).content["findings"][0]["title"] == (
        "Patients co-chair every meeting"
    )
    assert review.reports.get(number=1).content["findings"][0]["title"] == (
        "Patient panel co-chairs the group"
    )
    # The correction is over: the text is frozen again.
    finding = fresh(finding)
    refused = api_client.patch(
        f"{FINDINGS}{finding.pk}/", {"version": finding.version, "title": "Later"}, format="json"
    )
    assert refused.status_code == 409
    assert fresh(finding).title == "Patients co-chair every meeting"


def test_pages_hide_text_edits_after_issue_and_refuse_a_posted_one_but_not_progress(
    client, issued_review, wessex_officer, nec_hub_officer
):
    finding = issued_review.findings.get()
    rec = issued_review.recommendations.get()
    client.force_login(wessex_officer)
    html = client.get(issued_review.get_absolute_url()).content.decode()
    assert reverse("reviews:finding-edit", args=[finding.pk]) not in html
    assert reverse("reviews:recommendation-edit", args=[rec.pk]) not in html
    assert reverse("reviews:finding-add", args=[issued_review.pk]) not in html
    assert "Start a correction" in html
    response = client.post(
        reverse("reviews:recommendation-edit", args=[rec.pk]),
        {
            "version": rec.version,
            "title": "Quietly rewritten",
            "owner": "Hub chair",
            "due_date": "2015-09-30",
            "detail": "",
        },
    )
    assert f"{FROZEN} recommendation." in response.content.decode()
    response = client.post(
        reverse("reviews:finding-edit", args=[finding.pk]),
        {
            "version": finding.version,
            "kind": finding.kind,
            "title": "Quietly rewritten",
            "detail": finding.detail,
            "theme": finding.theme,
        },
    )
    assert f"{FROZEN} finding." in response.content.decode()
    assert fresh(rec).title == "Secure representation for every CCG"
    assert fresh(rec).owner == "Hub director"
    assert fresh(finding).title == "Patient panel co-chairs the group"
    client.force_login(nec_hub_officer)
    client.post(
        reverse("reviews:recommendation-progress", args=[rec.pk]),
        {"version": fresh(rec).version, "status": "in_progress", "note": ""},
    )
    assert fresh(rec).status == ReviewRecommendation.Status.IN_PROGRESS


def test_pages_correction_allows_edits_then_freezes_again(client, issued_review, wessex_officer):
    rec = issued_review.recommendations.get()
    client.force_login(wessex_officer)
    response = client.post(
        reverse("reviews:report-correct", args=[issued_review.pk]),
        {"version": issued_review.version},
        follow=True,
    )
    assert "Correction started" in response.content.decode()
    assert reverse("reviews:recommendation-edit", args=[rec.pk]) in response.content.decode()
    client.post(
        reverse("reviews:recommendation-edit", args=[rec.pk]),
        {
            "version": rec.version,
            "title": rec.title,
            "owner": "Hub chair",
            "due_date": "2015-09-30",
            "detail": rec.detail,
        },
    )
    assert fresh(rec).owner == "Hub chair"
    review = fresh(issued_review)
    client.post(
        reverse("reviews:report-issue", args=[review.pk]),
        {"version": review.version, "reason": "The owner changed"},
    )
    review = fresh(review)
    assert (review.correcting, review.reports.count()) == (False, 2)
    html = client.get(review.get_absolute_url()).content.decode()
    assert reverse("reviews:recommendation-edit", args=[rec.pk]) not in html


def test_service_refuses_text_changes_after_issue_without_a_correction(
    issued_review, wessex_officer
):
    with pytest.raises(StateConflict, match="correct it to change this finding"):
        services.finding_add(
            by=wessex_officer,
            review=issued_review,
            kind="finding",
            title="Late",
            detail="Late",
            theme="patients",
            programme_of_care=None,
            shareable=False,
        )
    assert issued_review.findings.count() == 1


def test_a_correction_needs_an_issued_report(review_in_progress, wessex_officer):
    with pytest.raises(StateConflict, match="has not been issued"):
        services.correction_start(
            by=wessex_officer, review=review_in_progress, version=review_in_progress.version
        )
    assert fresh(review_in_progress).correcting is False


# --- the overall rating and summary (issue 14, item 4) ----------------------------------------

RATING_FROZEN = "The report has been issued: correct it to change its overall rating or summary."


def test_api_refuses_to_change_an_issued_rating_or_summary_outside_a_correction(
    api_client, issued_review, wessex_officer
):
    url = _review(issued_review.pk, "consolidate")
    _as(api_client, wessex_officer)
    body = {"version": issued_review.version, "overall_rating": "assured", "summary": "Rewritten"}
    refused = _post(api_client, url, body)
    assert refused.status_code == 409
    assert refused.json()["detail"] == RATING_FROZEN
    review = fresh(issued_review)
    assert (review.overall_rating, review.summary, review.version) == (
        "partially_assured",
        "A well-run group with gaps in CCG coverage.",
        issued_review.version,
    )
    review = start_correction(review, wessex_officer)
    changed = _post(api_client, url, {**body, "version": review.version})
    assert changed.status_code == 200
    assert (fresh(review).overall_rating, fresh(review).summary) == ("assured", "Rewritten")


def test_page_refuses_to_change_an_issued_rating_or_summary_outside_a_correction(
    client, issued_review, wessex_officer
):
    url = reverse("reviews:consolidate", args=[issued_review.pk])
    client.force_login(wessex_officer)
    assert url not in client.get(issued_review.get_absolute_url()).content.decode()
    body = {"version": issued_review.version, "overall_rating": "assured", "summary": "Rewritten"}
    response = client.post(url, body)
    assert response.status_code == 200
    assert RATING_FROZEN in response.content.decode()
    assert fresh(issued_review).summary == "A well-run group with gaps in CCG coverage."
    review = start_correction(issued_review, wessex_officer)
    assert url in client.get(review.get_absolute_url()).content.decode()
    client.post(url, {**body, "version": review.version})
    assert fresh(review).summary == "Rewritten"
