"""Peer review pages: bounded queries on the review page, the status board, the index and the
learning library."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
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
from tests.reviews.conftest import start_correction

pytestmark = pytest.mark.django_db


# --- bounded queries ------------------------------------------------------------------------


def _scale(
    cycles: int, hubs: int, reviewers: int, admin, first_year: int = 2015, who: str = "r"
) -> PeerReview:
    """`hubs` hubs by `cycles` cycles, each review with `reviewers` submitted reviewers, findings,
    recommendations and an issued report; rows made directly, for volume."""
    people = [
        make_user(
            f"{who}{i}@example.nhs.uk",
            f"Reviewer {i}",
            (Role.HUB_STAFF, Hub.objects.get(slug="wessex")),
        )
        for i in range(reviewers)
    ]
    last = None
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
            for n in range(3):
                ReviewRecommendation.objects.create(
                    review=review,
                    title=f"R{n}",
                    owner="Hub",
                    due_date=datetime.date(first_year + c, 9, 1),
                )
            ReviewReport.objects.create(
                review=review,
                number=1,
                overall_rating="assured",
                content=services.report_content(review),
                issued_by=admin,
            )
            last = review
    return last


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_status_board_and_review_page_run_bounded_queries(
    client, national_admin, django_assert_max_num_queries
):
    review = _scale(cycles=2, hubs=10, reviewers=5, admin=national_admin)
    client.force_login(national_admin)
    _count(client, review.cycle.get_absolute_url(), django_assert_max_num_queries, 10)
    _count(client, review.get_absolute_url(), django_assert_max_num_queries, 15)
    _count(client, reverse("reviews:index"), django_assert_max_num_queries, 6)
    _count(client, reverse("reviews:learning"), django_assert_max_num_queries, 6)


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_data(client, national_admin):
    small = _scale(cycles=1, hubs=2, reviewers=2, admin=national_admin, first_year=2015)
    client.force_login(national_admin)
    client.get(reverse("reviews:index"))  # the header's unread count is cached from here on
    counts = (
        _queries(client, small.cycle.get_absolute_url()),
        _queries(client, small.get_absolute_url()),
    )
    big = _scale(cycles=2, hubs=10, reviewers=5, admin=national_admin, first_year=2020, who="b")
    assert (
        _queries(client, big.cycle.get_absolute_url()),
        _queries(client, big.get_absolute_url()),
    ) == counts


def test_learning_library_waits_for_the_next_issue(
    client, issued_review, wessex_officer, sunderland_lead
):
    start_correction(issued_review, wessex_officer)
    services.finding_add(
        by=wessex_officer,
        review=issued_review,
        kind="good_practice",
        title="Added after the report went out",
        detail="Not issued yet",
        theme="delivery",
        programme_of_care=None,
        shareable=True,
    )
    client.force_login(sunderland_lead)
    html = client.get(reverse("reviews:learning")).content.decode()
    assert "Patient panel co-chairs the group" in html
    assert "Added after the report went out" not in html
    issued_review.refresh_from_db()
    services.report_issue(
        by=wessex_officer,
        review=issued_review,
        version=issued_review.version,
        reason="Add practice",
    )
    assert (
        "Added after the report went out"
        in client.get(reverse("reviews:learning")).content.decode()
    )


def test_lead_changes_and_removes_findings_and_recommendations(
    client, issued_review, wessex_officer, nec_hub_officer
):
    finding = issued_review.findings.get()
    rec = issued_review.recommendations.get()
    client.force_login(nec_hub_officer)
    assert client.get(reverse("reviews:finding-edit", args=[finding.pk])).status_code == 404
    assert client.get(reverse("reviews:recommendation-edit", args=[rec.pk])).status_code == 403
    start_correction(issued_review, wessex_officer)
    client.force_login(wessex_officer)
    url = reverse("reviews:recommendation-edit", args=[rec.pk])
    stale = rec.version
    response = client.post(
        url,
        {"version": stale, "title": rec.title, "owner": "", "due_date": "2015-09-30", "detail": ""},
    )
    assert 'id="id_owner_error"' in response.content.decode()
    client.post(
        url,
        {"version": stale, "title": rec.title, "owner": "Hub chair", "due_date": "2015-09-30"},
    )
    rec.refresh_from_db()
    assert rec.owner == "Hub chair"
    response = client.post(url, {"version": stale, "archive": "1"}, follow=True)
    assert "saved this while you were editing" in response.content.decode()
    client.post(url, {"version": rec.version, "archive": "1"})
    rec.refresh_from_db()
    assert rec.archived
    url = reverse("reviews:finding-edit", args=[finding.pk])
    client.post(url, {"version": finding.version, "archive": "1"})
    finding.refresh_from_db()
    assert finding.archived
    assert finding.history.filter(archived=False).exists()


def test_learning_library_pages_fifty_at_a_time_keeping_the_search(
    client, issued_review, sunderland_lead, national_admin, django_assert_max_num_queries
):
    """Every shared finding can be reached (no silent cap), the search is kept from page to
    page, and a page costs the same queries however many findings there are."""
    client.force_login(sunderland_lead)
    url = reverse("reviews:learning")
    # 10: a search also reads the issued text of any report being corrected (one query), and
    # the first page the evaluations hubs shared (one query: evaluations/learning.py).
    with django_assert_max_num_queries(10):
        assert client.get(url, {"theme": "patients"}).status_code == 200
    Finding.objects.bulk_create(
        Finding(
            review=issued_review,
            kind=Finding.Kind.GOOD_PRACTICE,
            title=f"Shared practice {n:03}",
            detail="Worth copying.",
            theme="patients",
            shareable=True,
        )
        for n in range(120)
    )
    issued_review.refresh_from_db()
    ReviewReport.objects.create(
        review=issued_review,
        number=2,
        overall_rating="assured",
        content=services.report_content(issued_review),
        issued_by=national_admin,
        reason="More findings shared",
    )
    with django_assert_max_num_queries(10):
        first = client.get(url, {"theme": "patients"}).content.decode()
    assert "121 shared findings, showing 1 to 50." in first
    assert first.count('class="nhsuk-card"') == 50
    assert "?theme=patients&amp;page=2" in first
    last = client.get(url, {"theme": "patients", "page": 3}).content.decode()
    assert "showing 101 to 121" in last
    assert last.count('class="nhsuk-card"') == 21
    assert "?theme=patients&amp;page=2" in last  # back to the previous page, search kept
    assert "Shared practice" not in client.get(url, {"theme": "finance"}).content.decode()
