"""Peer reviews through the REST API (continued): assessments, the lead's report, the hub's
response and sign-off, reports and the learning library, and bounded queries on every list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from hubs.models import Hub
from reviews import services
from reviews.models import (
    Assessment,
    Finding,
    LineRating,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from tests.conftest import make_user

from .api_helpers import (
    ASSESSMENTS,
    CYCLES,
    FINDINGS,
    LEARNING,
    PANEL,
    RECOMMENDATIONS,
    REPORTS,
    REVIEWS,
    _as,
    _place,
    _post,
    _review,
)
from .conftest import NEC, rate_all, start_correction

pytestmark = pytest.mark.django_db

# --- assessments ---------------------------------------------------------------------------


def _ratings(review: PeerReview, rating: str = "assured") -> dict:
    return {
        str(line.pk): {"rating": rating, "evidence": f"Seen: {line.title}", "comments": ""}
        for line in review.cycle.lines.all()
    }


def test_a_reviewers_assessment_is_theirs_until_submitted(
    api_client,
    review_in_progress,
    yorkshire_officer,
    wessex_officer,
    north_reviewer,
    nec_hub_officer,
    london_hub_officer,
):
    review = review_in_progress
    mine = _review(review.pk, "my-assessment")
    listed = {"review": review.pk}
    assert _as(api_client, london_hub_officer).get(mine).status_code == 404
    assert api_client.get(ASSESSMENTS, listed).status_code == 404
    assert _as(api_client, north_reviewer).get(mine).status_code == 403
    assert _as(api_client, nec_hub_officer).get(mine).status_code == 403

    api_client.force_authenticate(yorkshire_officer)
    empty = api_client.get(mine).json()
    assert empty["id"] is None
    assert len(empty["ratings"]) == 5
    ratings = _ratings(review, "not_assured")
    draft = api_client.put(mine, {"version": 1, "ratings": ratings}, format="json")
    assert draft.status_code == 200
    assessment = Assessment.objects.get(reviewer__user=yorkshire_officer)
    assert assessment.status == Assessment.Status.DRAFT
    assert LineRating.objects.filter(assessment=assessment, rating="not_assured").count() == 5

    # Nobody else reads the draft: not the lead, not the region, not the hub.
    for other in (wessex_officer, north_reviewer, nec_hub_officer):
        _as(api_client, other)
        assert api_client.get(ASSESSMENTS, listed).json()["count"] == 0
    assert "not_assured" not in _as(api_client, wessex_officer).get(mine).content.decode()

    api_client.force_authenticate(yorkshire_officer)
    submitted = api_client.put(
        mine,
        {"version": assessment.version, "ratings": ratings, "submit": True},
        format="json",
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert _as(api_client, north_reviewer).get(ASSESSMENTS, listed).json()["count"] == 1
    # Will reads colleagues' only once his own is submitted.
    assert _as(api_client, wessex_officer).get(ASSESSMENTS, listed).json()["count"] == 0
    rate_all(review, _place(review, wessex_officer))
    assert api_client.get(ASSESSMENTS, listed).json()["count"] == 2
    assert _as(api_client, nec_hub_officer).get(ASSESSMENTS, listed).json()["count"] == 0
    assert api_client.get(ASSESSMENTS).status_code == 400


def test_bad_ratings_and_stale_versions_change_nothing(
    api_client, review_in_progress, yorkshire_officer
):
    review = review_in_progress
    mine = _review(review.pk, "my-assessment")
    _as(api_client, yorkshire_officer)
    assert api_client.put(mine, {"version": 1, "ratings": _ratings(review)}, format="json")
    assessment = Assessment.objects.get(reviewer__user=yorkshire_officer)
    before = (assessment.version, list(assessment.ratings.values_list("rating", flat=True)))
    off_scale = _ratings(review, "brilliant")
    refused = api_client.put(
        mine, {"version": assessment.version, "ratings": off_scale}, format="json"
    )
    assert refused.status_code == 400
    assert "ratings" in refused.json()
    incomplete = _ratings(review)
    first = next(iter(incomplete))
    incomplete[first]["evidence"] = ""
    refused = api_client.put(
        mine,
        {"version": assessment.version, "ratings": incomplete, "submit": True},
        format="json",
    )
    assert refused.status_code == 400
    assert f"evidence_{first}" in refused.json()
    stale = api_client.put(
        mine,
        {"version": assessment.version - 1, "ratings": _ratings(review, "not_assured")},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == assessment.version
    assessment.refresh_from_db()
    after = (assessment.version, list(assessment.ratings.values_list("rating", flat=True)))
    assert after == before
    assert assessment.status == Assessment.Status.DRAFT
    bad_key = api_client.put(
        mine, {"version": assessment.version, "ratings": {"x": {}}}, format="json"
    )
    assert bad_key.status_code == 400


# --- the lead's report ---------------------------------------------------------------------


def test_only_the_lead_consolidates(
    api_client,
    review_in_progress,
    wessex_officer,
    yorkshire_officer,
    north_reviewer,
    nec_hub_officer,
    london_hub_officer,
):
    review = review_in_progress
    url = _review(review.pk, "consolidate")
    body = {"version": review.version, "overall_rating": "assured", "summary": "Good"}
    assert _post(_as(api_client, london_hub_officer), url, body).status_code == 404
    for who in (nec_hub_officer, yorkshire_officer, north_reviewer):
        assert _post(_as(api_client, who), url, body).status_code == 403
    api_client.force_authenticate(wessex_officer)
    off_scale = _post(api_client, url, {**body, "overall_rating": "splendid"})
    assert off_scale.status_code == 400
    assert "overall_rating" in off_scale.json()
    stale = _post(api_client, url, {**body, "version": review.version - 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == review.version
    review.refresh_from_db()
    assert (review.overall_rating, review.summary) == ("", "")
    done = _post(api_client, url, body)
    assert done.status_code == 200
    review.refresh_from_db()
    assert (review.overall_rating, review.summary) == ("assured", "Good")


def test_lead_writes_findings_and_recommendations(
    api_client, review_in_progress, wessex_officer, yorkshire_officer, nec_hub_officer
):
    review = review_in_progress
    finding = {
        "review": review.pk,
        "kind": "good_practice",
        "title": "Co-chaired by patients",
        "detail": "The patient panel co-chairs.",
        "theme": "patients",
        "programme_of_care": None,
        "shareable": True,
    }
    assert _post(_as(api_client, yorkshire_officer), FINDINGS, finding).status_code == 403
    assert _post(_as(api_client, nec_hub_officer), FINDINGS, finding).status_code == 403
    api_client.force_authenticate(wessex_officer)
    untitled = _post(api_client, FINDINGS, {**finding, "title": ""})
    assert untitled.status_code == 400
    assert "title" in untitled.json()
    nul = _post(api_client, FINDINGS, {**finding, "programme_of_care": "can\x00cer"})
    assert nul.status_code == 400
    assert "NUL" in nul.json()["detail"]
    assert not Finding.objects.exists()
    made = _post(api_client, FINDINGS, finding)
    assert made.status_code == 201
    found = Finding.objects.get()
    url = f"{FINDINGS}{found.pk}/"
    stale = api_client.patch(url, {"version": 2, "title": "Late"}, format="json")
    assert stale.status_code == 409
    changed = api_client.patch(url, {"version": 1, "title": "Patients co-chair"}, format="json")
    assert changed.status_code == 200
    found.refresh_from_db()
    assert found.title == "Patients co-chair"
    assert _post(api_client, f"{url}archive/", {"version": found.version}).status_code == 200
    found.refresh_from_db()
    assert found.archived

    rec = {
        "review": review.pk,
        "title": "Secure every CCG's voice",
        "owner": "",
        "due_date": "2015-09-30",
    }
    no_owner = _post(api_client, RECOMMENDATIONS, rec)
    assert no_owner.status_code == 400
    assert no_owner.json()["owner"] == ["Name who owns the recommendation."]
    no_date = _post(api_client, RECOMMENDATIONS, {**rec, "owner": "Director", "due_date": None})
    assert no_date.status_code == 400
    assert "due_date" in no_date.json()
    assert not ReviewRecommendation.objects.exists()
    made = _post(api_client, RECOMMENDATIONS, {**rec, "owner": "Director"})
    assert made.status_code == 201
    saved = ReviewRecommendation.objects.get()
    url = f"{RECOMMENDATIONS}{saved.pk}/"
    assert _as(api_client, yorkshire_officer).patch(
        url, {"version": 1, "owner": "Chair"}, format="json"
    ).status_code == (403)
    api_client.force_authenticate(wessex_officer)
    blanked = api_client.patch(url, {"version": 1, "owner": " "}, format="json")
    assert blanked.status_code == 400
    assert "owner" in blanked.json()
    assert api_client.patch(url, {"version": 1, "owner": "Chair"}, format="json").status_code == 200
    stale = api_client.patch(url, {"version": 1, "owner": "Someone"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    saved.refresh_from_db()
    assert saved.owner == "Chair"


def test_lead_issues_the_report_and_corrects_it_with_a_reason(
    api_client, review_in_progress, wessex_officer, yorkshire_officer, north_reviewer
):
    review = review_in_progress
    review = services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="assured",
        summary="Well run.",
    )
    url = _review(review.pk, "issue")
    assert _post(_as(api_client, north_reviewer), url, {"version": review.version}).status_code == (
        403
    )
    api_client.force_authenticate(wessex_officer)
    waiting = _post(api_client, url, {"version": review.version})
    assert waiting.status_code == 400
    assert "Waiting for reviews" in waiting.json()["non_field_errors"][0]
    assert not ReviewReport.objects.exists()
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    issued = _post(api_client, url, {"version": review.version})
    assert issued.status_code == 201
    assert issued.json()["number"] == 1
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    no_reason = _post(api_client, url, {"version": review.version})
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()
    corrected = _post(api_client, url, {"version": review.version, "reason": "Typo"})
    assert corrected.status_code == 201
    assert list(review.reports.values_list("number", flat=True)) == [2, 1]


# --- the hub's response and the region's sign-off ------------------------------------------


def test_hub_responds_and_region_signs_off(
    api_client, issued_review, nec_hub_officer, north_reviewer, wessex_officer
):
    review = issued_review
    rec = review.recommendations.get()
    url = _review(review.pk, "respond")
    body = {"version": review.version, "summary": "Our plan", "actions": {str(rec.pk): "Invite"}}
    assert _post(_as(api_client, wessex_officer), url, body).status_code == 403
    assert _post(_as(api_client, north_reviewer), url, body).status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    missing = _post(api_client, url, {**body, "actions": {}})
    assert missing.status_code == 400
    assert f"action_{rec.pk}" in missing.json()
    stale = _post(api_client, url, {**body, "version": review.version + 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == review.version
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    responded = _post(api_client, url, body)
    assert responded.status_code == 200
    assert responded.json()["workings"] is False
    assert "summary" not in responded.json()
    review.refresh_from_db()
    rec.refresh_from_db()
    assert review.status == PeerReview.Status.RESPONDED
    assert rec.hub_action == "Invite"

    back = _review(review.pk, "return-response")
    assert _post(api_client, back, {"version": review.version, "note": "x"}).status_code == 403
    api_client.force_authenticate(north_reviewer)
    no_note = _post(api_client, back, {"version": review.version, "note": ""})
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    returned = _post(api_client, back, {"version": review.version, "note": "Add dates"})
    assert returned.status_code == 200
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    _as(api_client, nec_hub_officer)
    assert api_client.get(_review(review.pk)).json()["signoff_note"] == "Add dates"
    assert _post(api_client, url, {**body, "version": review.version}).status_code == 200
    review.refresh_from_db()
    sign = _review(review.pk, "sign-off")
    assert _post(api_client, sign, {"version": review.version}).status_code == 403
    signed = _post(_as(api_client, north_reviewer), sign, {"version": review.version})
    assert signed.status_code == 200
    review.refresh_from_db()
    assert review.status == PeerReview.Status.SIGNED_OFF


def test_hub_tracks_its_recommendations_to_closure(
    api_client, issued_review, nec_hub_officer, wessex_officer, london_hub_officer
):
    rec = issued_review.recommendations.get()
    url = f"{RECOMMENDATIONS}{rec.pk}/progress/"
    assert _post(_as(api_client, london_hub_officer), url, {}).status_code == 404
    body = {"version": rec.version, "status": "closed", "note": ""}
    assert _post(_as(api_client, wessex_officer), url, body).status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    listed = api_client.get(RECOMMENDATIONS).json()
    assert [r["id"] for r in listed["results"]] == [rec.pk]
    assert api_client.get(f"{RECOMMENDATIONS}{rec.pk}/").status_code == 200
    no_note = _post(api_client, url, body)
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    closed = _post(api_client, url, {**body, "note": "All CCGs now members"})
    assert closed.status_code == 200
    rec.refresh_from_db()
    assert rec.status == ReviewRecommendation.Status.CLOSED
    stale = _post(api_client, url, {**body, "status": "open", "version": rec.version - 1})
    assert stale.status_code == 409
    rec.refresh_from_db()
    assert rec.status == ReviewRecommendation.Status.CLOSED
    # A draft added during a correction stays out of the hub's sight until the correction
    # issues it.
    start_correction(issued_review, wessex_officer)
    draft = services.recommendation_add(
        by=wessex_officer,
        review=issued_review,
        title="Not issued yet",
        owner="Chair",
        due_date=datetime.date(2015, 12, 1),
    )
    assert [r["id"] for r in api_client.get(RECOMMENDATIONS).json()["results"]] == [rec.pk]
    assert api_client.get(f"{RECOMMENDATIONS}{draft.pk}/").status_code == 404


# --- reports and the learning library ------------------------------------------------------


def test_issued_reports_ladder(
    api_client, issued_review, nec_hub_officer, london_hub_officer, sunderland_lead, north_reviewer
):
    report = issued_review.reports.get()
    for who in (london_hub_officer, sunderland_lead):
        _as(api_client, who)
        assert api_client.get(REPORTS).json()["count"] == 0
        assert api_client.get(f"{REPORTS}{report.pk}/").status_code == 404
    for who in (nec_hub_officer, north_reviewer):
        _as(api_client, who)
        assert api_client.get(REPORTS, {"review": issued_review.pk}).json()["count"] == 1
        body = api_client.get(f"{REPORTS}{report.pk}/").json()
        assert body["overall_rating"] == "partially_assured"
        assert body["content"]["summary"] == "A well-run group with gaps in CCG coverage."
    assert _as(api_client, nec_hub_officer).get(_review(issued_review.pk)).json()[
        "latest_report"
    ] == (report.pk)
    assert api_client.post(REPORTS, {}, format="json").status_code == 405


def test_learning_library_is_for_everyone_once_issued(
    api_client, review_in_progress, wessex_officer, london_hub_officer, roleless_user
):
    review = review_in_progress
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="good_practice",
        title="Patient panel co-chairs the group",
        detail="Co-chaired every meeting.",
        theme="patients",
        programme_of_care=None,
        shareable=True,
    )
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="finding",
        title="Private finding",
        detail="Not for sharing.",
        theme="governance",
        programme_of_care=None,
        shareable=False,
    )
    assert _as(api_client, london_hub_officer).get(LEARNING).json()["count"] == 0
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    review.refresh_from_db()
    review = services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="assured",
        summary="s",
    )
    services.report_issue(by=wessex_officer, review=review, version=review.version)
    for who in (london_hub_officer, roleless_user):
        listed = _as(api_client, who).get(LEARNING).json()
        assert [f["title"] for f in listed["results"]] == ["Patient panel co-chairs the group"]
        assert listed["results"][0]["hub"] == NEC
    assert api_client.get(LEARNING, {"q": "co-chairs"}).json()["count"] == 1
    assert api_client.get(LEARNING, {"q": "nothing like it"}).json()["count"] == 0
    assert api_client.get(LEARNING, {"theme": "finance"}).json()["count"] == 0
    assert api_client.get(LEARNING, {"programme_of_care": "cancer"}).json()["count"] == 0
    assert api_client.get(FINDINGS).json()["count"] == 0


# --- bounded queries -----------------------------------------------------------------------


def _volume(admin, *, cycles: int, hubs: int, reviewers: int, first_year: int, who: str):
    """`hubs` by `cycles` issued reviews, each with `reviewers` submitted reviewers (the first
    one lead), a shareable finding, three recommendations and an issued report; rows made
    directly, for volume. Returns the reviewers."""
    people = [
        make_user(
            f"{who}{i}@example.nhs.uk",
            f"Reviewer {who}{i}",
            (Role.HUB_STAFF, Hub.objects.get(slug="wessex")),
        )
        for i in range(reviewers)
    ]
    for c in range(cycles):
        cycle = services.cycle_create(
            by=admin,
            year=first_year + c,
            kind=ReviewCycle.Kind.FIRST,
            opens_on=datetime.date(first_year + c, 4, 1),
            closes_on=datetime.date(first_year + c, 5, 31),
        )
        lines = list(cycle.lines.all())
        for hub in Hub.objects.order_by("name")[:hubs]:
            review = PeerReview.objects.create(
                cycle=cycle, hub=hub, status=PeerReview.Status.REPORT_ISSUED, readiness={}
            )
            for n, person in enumerate(people):
                place = Reviewer.objects.create(
                    review=review,
                    user=person,
                    invited_by=admin,
                    role="lead" if n == 0 else "reviewer",
                    status="accepted",
                )
                assessment = Assessment.objects.create(reviewer=place, status="submitted")
                LineRating.objects.bulk_create(
                    LineRating(assessment=assessment, line=line, rating="assured", evidence="e")
                    for line in lines
                )
            Finding.objects.create(
                review=review,
                kind="good_practice",
                title=f"Practice {review.pk}",
                detail="d",
                theme="patients",
                shareable=True,
            )
            ReviewRecommendation.objects.bulk_create(
                ReviewRecommendation(
                    review=review,
                    title=f"R{n}",
                    owner="Hub",
                    due_date=datetime.date(first_year + c, 9, 1),
                )
                for n in range(3)
            )
            ReviewReport.objects.create(
                review=review,
                number=1,
                overall_rating="assured",
                content=services.report_content(review),
                issued_by=admin,
            )
    return people


def _lists(review_id: int) -> list[str]:
    return [
        f"{CYCLES}?limit=100",
        f"{REVIEWS}?limit=100",
        f"{PANEL}?limit=500",
        f"{ASSESSMENTS}?review={review_id}",
        f"{FINDINGS}?limit=100",
        f"{LEARNING}?limit=100",
        f"{RECOMMENDATIONS}?limit=100",
        f"{REPORTS}?limit=100",
    ]


def _get(api_client, user, url):
    """GET as `user` afresh, as a real request would be (no roles cached from the last one)."""
    api_client.force_authenticate(User.objects.get(pk=user.pk))
    return api_client.get(url)


def _counts(api_client, user, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert _get(api_client, user, url).status_code == 200, url
        counts.append(len(captured))
    return counts


# The most queries each list in `_lists` may take, whoever asks and however much there is,
# counting the one that finds the signed-in user (as a token does).
# The learning library reads the issued reports first (what they shared), then the findings.
# Findings and recommendations read the reports being corrected first (one query, however
# many): rows a correction's draft added are hidden from readers outside the panel (issue 14).
LIST_QUERY_LIMITS = [4, 5, 4, 7, 5, 4, 6, 4]


@pytest.mark.parametrize("persona", ["national_admin", "north_reviewer", "nec_hub_officer", None])
def test_list_queries_are_bounded(
    api_client, request, national_admin, persona, django_assert_max_num_queries
):
    people = _volume(national_admin, cycles=2, hubs=10, reviewers=5, first_year=2015, who="r")
    user = request.getfixturevalue(persona) if persona else people[1]
    review = PeerReview.objects.filter(hub__slug=NEC).first()
    for url, limit in zip(_lists(review.pk), LIST_QUERY_LIMITS, strict=True):
        with django_assert_max_num_queries(limit):
            assert _get(api_client, user, url).status_code == 200, url


def test_list_queries_do_not_grow_with_the_data(api_client, national_admin):
    people = _volume(national_admin, cycles=1, hubs=2, reviewers=2, first_year=2015, who="s")
    first = PeerReview.objects.order_by("pk").first()
    readers = (national_admin, people[1])
    small = [_counts(api_client, user, _lists(first.pk)) for user in readers]
    _volume(national_admin, cycles=2, hubs=10, reviewers=5, first_year=2020, who="b")
    assert [_counts(api_client, user, _lists(first.pk)) for user in readers] == small
