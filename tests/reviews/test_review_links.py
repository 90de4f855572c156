"""Issue 18, finding 7: every link on a review page leads somewhere its reader may go. The
"Today's checklist" link (the hub's live readiness) went to a 404 "No such hub" for panel
reviewers from other hubs; it is now shown only to those who follow the hub (its staff, its
region, national admins), and reviewers keep the checklist as declared."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _internal_links(html: str) -> list[str]:
    return sorted(
        {
            h
            for h in re.findall(r'href="(/[^"#]*)', html)
            if not h.startswith(("/static/", "/accounts/logout"))
        }
    )


@pytest.mark.parametrize("persona", ["wessex_officer", "yorkshire_officer"])
def test_no_link_on_the_review_page_is_a_404_for_a_panel_reviewer(
    client, request, review_in_progress, persona
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(review_in_progress.get_absolute_url())
    assert page.status_code == 200
    readiness = reverse(
        "reviews:readiness", args=[review_in_progress.cycle.pk, review_in_progress.hub.slug]
    )
    html = page.content.decode()
    assert readiness not in html
    assert 'id="declared-checklist"' in html  # the checklist as declared stays
    broken = [u for u in _internal_links(html) if client.get(u).status_code == 404]
    assert broken == []


@pytest.mark.parametrize("persona", ["north_reviewer", "nec_hub_officer", "national_admin"])
def test_those_who_follow_the_hub_keep_todays_checklist(
    client, request, review_in_progress, persona
):
    client.force_login(request.getfixturevalue(persona))
    readiness = reverse(
        "reviews:readiness", args=[review_in_progress.cycle.pk, review_in_progress.hub.slug]
    )
    assert readiness in client.get(review_in_progress.get_absolute_url()).content.decode()
    assert client.get(readiness).status_code == 200
