"""Issue 18: a check-your-answers page before the lead reviewer issues the report (finding
1), and no working "Start the review" while no panel reviewer has accepted (finding 10)."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import PeerReview, Reviewer
from tests.reviews.conftest import accept, rate_all

pytestmark = pytest.mark.django_db

NOBODY = (
    "No panel reviewer has accepted yet. The review starts once a lead reviewer and at least "
    "one other reviewer have accepted."
)


def test_start_is_disabled_with_its_reason_until_the_panel_has_accepted(
    client, invited_review, north_reviewer, wessex_officer, yorkshire_officer
):
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    client.force_login(north_reviewer)
    start = reverse("reviews:review-start", args=[invited_review.pk])
    html = client.get(invited_review.get_absolute_url()).content.decode()
    assert f'action="{start}"' not in html  # no working button
    assert 'disabled aria-disabled="true" aria-describedby="start-blocked"' in html
    assert NOBODY in html
    refused = client.post(start, {"version": invited_review.version}, follow=True)
    assert NOBODY in refused.content.decode()  # the service refuses too
    accept(lead, wessex_officer)
    accept(member, yorkshire_officer)
    html = client.get(invited_review.get_absolute_url()).content.decode()
    assert f'action="{start}"' in html
    assert "start-blocked" not in html


def test_the_service_refuses_to_start_with_nobody_accepted(invited_review, north_reviewer):
    with pytest.raises(services.ReviewError, match="No panel reviewer has accepted yet"):
        services.review_start(
            by=north_reviewer, review=invited_review, version=invited_review.version
        )


def _ready_to_issue(review, lead_user):
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    review.refresh_from_db()
    return services.review_consolidate(
        by=lead_user,
        review=review,
        version=review.version,
        overall_rating="assured",
        summary="A well-run group.",
    )


def test_issuing_asks_to_check_the_report_first(client, review_in_progress, wessex_officer):
    review = _ready_to_issue(review_in_progress, wessex_officer)
    client.force_login(wessex_officer)
    url = reverse("reviews:report-issue", args=[review.pk])
    assert f'href="{url}"' in client.get(review.get_absolute_url()).content.decode()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check the report before you issue it" in html
    assert "Confirm and issue the report" in html
    assert "A well-run group." in html
    assert "frozen as version 1" in html
    assert not review.reports.exists()
    assert client.post(url, {"version": review.version}).status_code == 302
    assert review.reports.count() == 1


def test_the_issue_page_lists_what_stops_it_and_offers_no_button(
    client, review_in_progress, wessex_officer
):
    client.force_login(wessex_officer)
    url = reverse("reviews:report-issue", args=[review_in_progress.pk])
    html = client.get(url).content.decode()
    assert "Yasmin Akhtar accepted a place but has not submitted their review." in html
    assert "The overall rating is not given." in html
    assert "The summary is not written." in html
    assert reverse("reviews:consolidate", args=[review_in_progress.pk]) in html
    assert "The report cannot be issued until these are done." in html
    assert "Confirm and issue the report" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("yorkshire_officer", 403),  # on the panel, not its lead
        ("north_reviewer", 403),  # runs the review, does not write the report
        ("london_hub_officer", 404),  # sees nothing of it
    ],
)
def test_only_the_lead_sees_the_issue_page(client, request, review_in_progress, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("reviews:report-issue", args=[review_in_progress.pk])
    assert client.get(url).status_code == status
    assert review_in_progress.status == PeerReview.Status.IN_REVIEW
