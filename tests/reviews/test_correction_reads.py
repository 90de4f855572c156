"""While a correction is drafted, everyone but the panel reads the report as issued (issue 14,
item 4): the hub, the regional team and every hub's learning library see the newest issued
version's rating, summary, findings and recommendations — on the review page, in the API and in
the PDF — and never the draft; the panel sees the draft, labelled a draft correction. Progress
on a recommendation is not report text and shows as it stands."""

import datetime

import pytest
from django.urls import reverse

from reviews import renderers, services
from reviews.models import ReviewRecommendation

from .api_helpers import FINDINGS, LEARNING, RECOMMENDATIONS, _as, _post, _review
from .conftest import fresh, start_correction

pytestmark = pytest.mark.django_db

ISSUED_SUMMARY = "A well-run group with gaps in CCG coverage."
ISSUED_FINDING = "Patient panel co-chairs the group"
ISSUED_REC = "Secure representation for every CCG"
DRAFT_LABEL = "Draft correction, not issued"
CORRECTING_NOTE = "A correction of this report is in progress."


@pytest.fixture
def correcting_review(issued_review, wessex_officer):
    """Will has started a correction and redrafted everything: the rating and summary, the
    finding (no longer shared) and the recommendation, and added a finding and a
    recommendation."""
    review = start_correction(issued_review, wessex_officer)
    review = services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="not_assured",
        summary="DRAFT summary",
    )
    finding = review.findings.get()
    services.finding_update(
        by=wessex_officer,
        finding=finding,
        version=finding.version,
        title="DRAFT finding",
        detail="DRAFT finding detail",
        theme="governance",
        shareable=False,
    )
    rec = review.recommendations.get()
    services.recommendation_update(
        by=wessex_officer,
        recommendation=rec,
        version=rec.version,
        title="DRAFT recommendation",
        owner="DRAFT owner",
        due_date=datetime.date(2015, 12, 31),
    )
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="finding",
        title="DRAFT new finding",
        detail="Added by the draft",
        theme="finance",
        programme_of_care=None,
        shareable=True,
    )
    services.recommendation_add(
        by=wessex_officer,
        review=review,
        title="DRAFT new recommendation",
        detail="",
        owner="Chair",
        due_date=datetime.date(2015, 11, 30),
    )
    return fresh(review)


def _titles(response) -> set[str]:
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


def test_api_outside_the_panel_reads_the_issued_report_during_a_correction(
    api_client, correcting_review, north_reviewer, nec_hub_officer, national_admin
):
    review = correcting_review
    rec = review.recommendations.get(title="DRAFT recommendation")
    new_rec = review.recommendations.get(title="DRAFT new recommendation")
    finding = review.findings.get(title="DRAFT finding")
    new_finding = review.findings.get(title="DRAFT new finding")
    for reader in (north_reviewer, national_admin):
        _as(api_client, reader)
        shown = api_client.get(_review(review.pk)).json()
        assert (shown["correcting"], shown["overall_rating"], shown["summary"]) == (
            True,
            "partially_assured",
            ISSUED_SUMMARY,
        )
        assert _titles(api_client.get(f"{FINDINGS}?review={review.pk}")) == {ISSUED_FINDING}
        one = api_client.get(f"{FINDINGS}{finding.pk}/").json()
        assert (one["title"], one["theme"], one["archived"]) == (ISSUED_FINDING, "patients", False)
        assert api_client.get(f"{FINDINGS}{new_finding.pk}/").status_code == 404
        assert _titles(api_client.get(f"{RECOMMENDATIONS}?review={review.pk}")) == {ISSUED_REC}
        assert api_client.get(f"{RECOMMENDATIONS}{new_rec.pk}/").status_code == 404
    _as(api_client, nec_hub_officer)
    assert _titles(api_client.get(RECOMMENDATIONS)) == {ISSUED_REC}
    one = api_client.get(f"{RECOMMENDATIONS}{rec.pk}/").json()
    assert (one["title"], one["owner"], one["due_date"]) == (
        ISSUED_REC,
        "Hub director",
        "2015-09-30",
    )
    assert api_client.get(f"{RECOMMENDATIONS}{new_rec.pk}/").status_code == 404
    # Progress is not report text: the hub reports it during the correction, and the answer
    # shows the progress as it stands beside the issued text.
    moved = _post(
        api_client,
        f"{RECOMMENDATIONS}{rec.pk}/progress/",
        {"version": rec.version, "status": "in_progress"},
    )
    assert moved.status_code == 200
    assert (moved.json()["title"], moved.json()["status"]) == (ISSUED_REC, "in_progress")
    assert fresh(rec).status == ReviewRecommendation.Status.IN_PROGRESS
    # Every hub's learning library shows the shared finding as issued, not the draft's.
    assert ISSUED_FINDING in _titles(api_client.get(LEARNING))
    assert not {"DRAFT finding", "DRAFT new finding"} & _titles(api_client.get(LEARNING))


def test_api_panel_reads_the_draft_during_a_correction(
    api_client, correcting_review, wessex_officer, yorkshire_officer
):
    review = correcting_review
    for member in (wessex_officer, yorkshire_officer):
        _as(api_client, member)
        shown = api_client.get(_review(review.pk)).json()
        assert (shown["overall_rating"], shown["summary"]) == ("not_assured", "DRAFT summary")
        assert _titles(api_client.get(f"{FINDINGS}?review={review.pk}")) == {
            "DRAFT finding",
            "DRAFT new finding",
        }
        assert _titles(api_client.get(f"{RECOMMENDATIONS}?review={review.pk}")) == {
            "DRAFT recommendation",
            "DRAFT new recommendation",
        }


def test_pages_outside_the_panel_show_the_issued_report_during_a_correction(
    client, correcting_review, north_reviewer, nec_hub_officer
):
    review = correcting_review
    for reader in (north_reviewer, nec_hub_officer):
        client.force_login(reader)
        html = client.get(review.get_absolute_url()).content.decode()
        assert "DRAFT" not in html
        assert ISSUED_REC in html
        assert CORRECTING_NOTE in html
        assert DRAFT_LABEL not in html
    client.force_login(north_reviewer)
    html = client.get(review.get_absolute_url()).content.decode()
    assert ISSUED_SUMMARY in html
    assert ISSUED_FINDING in html
    assert "Partially assured" in html
    client.force_login(nec_hub_officer)
    rec = review.recommendations.get(title="DRAFT recommendation")
    progress = client.get(reverse("reviews:recommendation-progress", args=[rec.pk]))
    assert f"Progress: {ISSUED_REC}" in progress.content.decode()
    respond = client.get(reverse("reviews:respond", args=[review.pk])).content.decode()
    assert ISSUED_REC in respond
    assert "DRAFT" not in respond
    learning = client.get(reverse("reviews:learning")).content.decode()
    assert ISSUED_FINDING in learning
    assert "DRAFT" not in learning


def test_pages_panel_sees_the_draft_labelled_as_a_draft_correction(
    client, correcting_review, wessex_officer, yorkshire_officer
):
    for member in (wessex_officer, yorkshire_officer):
        client.force_login(member)
        html = client.get(correcting_review.get_absolute_url()).content.decode()
        assert DRAFT_LABEL in html
        for text in ("DRAFT summary", "DRAFT finding", "DRAFT recommendation", "Not assured"):
            assert text in html
        assert CORRECTING_NOTE not in html


def test_the_pdf_and_report_page_keep_the_issued_text_until_the_correction_is_issued(
    client, correcting_review, wessex_officer, nec_hub_officer
):
    review = correcting_review
    report = review.reports.get()
    _, _, context = renderers.review_report({"report": report.pk})
    assert context["content"]["summary"] == ISSUED_SUMMARY
    assert [r["title"] for r in context["content"]["recommendations"]] == [ISSUED_REC]
    client.force_login(nec_hub_officer)
    assert "DRAFT" not in client.get(report.get_absolute_url()).content.decode()
    # Issued, the correction is what everyone reads.
    services.report_issue(
        by=wessex_officer, review=review, version=review.version, reason="Redrafted"
    )
    html = client.get(review.get_absolute_url()).content.decode()
    assert "DRAFT recommendation" in html
    assert "DRAFT new recommendation" in html
    assert CORRECTING_NOTE not in html


def test_progress_and_text_stay_apart_through_a_correction(
    issued_review, wessex_officer, nec_hub_officer
):
    rec = issued_review.recommendations.get()
    review = start_correction(issued_review, wessex_officer)
    rec = services.recommendation_progress(
        by=nec_hub_officer,
        recommendation=rec,
        version=rec.version,
        status="closed",
        note="Every CCG now sits on the group",
    )
    rec = services.recommendation_update(
        by=wessex_officer, recommendation=rec, version=rec.version, title="Reworded"
    )
    services.report_issue(by=wessex_officer, review=review, version=review.version, reason="Words")
    rec = fresh(rec)
    assert (rec.title, rec.status, rec.closure_note) == (
        "Reworded",
        ReviewRecommendation.Status.CLOSED,
        "Every CCG now sits on the group",
    )
    assert fresh(review).reports.get(number=2).content["recommendations"][0]["title"] == "Reworded"


def test_the_hubs_response_names_a_recommendation_as_issued_during_a_correction(
    client, correcting_review, nec_hub_officer
):
    rec = correcting_review.recommendations.get(title="DRAFT recommendation")
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("reviews:respond", args=[correcting_review.pk]),
        {"version": correcting_review.version, "summary": "", f"action_{rec.pk}": ""},
    )
    html = response.content.decode()
    assert f"Give the hub&#x27;s action for “{ISSUED_REC}”." in html
    assert "DRAFT" not in html


def test_reminders_and_calendar_feeds_read_the_issued_report_during_a_correction(
    correcting_review, nec_hub_officer
):
    """The timeline reads recommendations too: its reminders and the hub's calendar feed name
    the issued recommendation with its issued due date, and nothing the draft added."""
    from timeline.calendar_feed import build_calendar
    from timeline.reminders.items import Recipients, items_due
    from timeline.workdays import WorkingDays

    today = datetime.date(2015, 9, 1)
    wd = WorkingDays(today, today + datetime.timedelta(days=400))
    items = items_due(today, wd, Recipients(today))
    reminded = {i.title: i.due_on for i in items if i.key.startswith("recommendation:")}
    assert reminded == {
        f"Peer review recommendation: {ISSUED_REC} (North East and Cumbria)": datetime.date(
            2015, 9, 30
        )
    }
    feed = build_calendar(nec_hub_officer).decode()
    assert f"Peer review recommendation: {ISSUED_REC}" in feed
    assert "DRAFT" not in feed


def test_the_learning_search_matches_the_issued_text_not_the_draft(
    client, correcting_review, nec_hub_officer
):
    """A search must not reveal a draft's words: during a correction the shared finding is
    found by its issued text and theme, never by the draft's."""
    client.force_login(nec_hub_officer)

    def found(**query) -> bool:
        page = client.get(reverse("reviews:learning"), query).content.decode()
        return ISSUED_FINDING in page

    assert found(q="co-chairs")  # the issued text
    assert found(theme="patients")  # the issued theme
    assert not found(q="DRAFT finding detail")  # the draft's words
    assert not found(theme="governance")  # the draft's theme


def test_the_learning_api_filters_on_the_issued_text_not_the_draft(
    api_client, correcting_review, nec_hub_officer
):
    _as(api_client, nec_hub_officer)

    def titles(**query) -> set[str]:
        return _titles(api_client.get(LEARNING, query))

    assert titles(q="co-chairs") == {ISSUED_FINDING}
    assert titles(theme="patients") == {ISSUED_FINDING}
    assert titles(q="DRAFT finding detail") == set()
    assert titles(theme="governance") == set()
    assert titles(programme_of_care="no-such-programme") == set()
