"""Cached pages: per session, and never older than the records they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.priorities.helpers import included

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_page_is_served_from_the_cache_until_a_record_changes(
    client, plan, nec_hub_officer, sunderland_lead, django_capture_on_commit_callbacks
):
    url = plan.get_absolute_url()
    client.force_login(nec_hub_officer)
    first, rendered = _get(client, url)
    again, cached = _get(client, url)
    assert again == first
    assert cached < rendered
    assert cached <= 3  # the session and the user; nothing of the page
    with django_capture_on_commit_callbacks(execute=True):
        included(plan, sunderland_lead, nec_hub_officer, "A change after caching")
    after, _ = _get(client, url)
    assert "A change after caching" in after


def test_cached_pages_are_never_shared_between_sessions(
    client, plan, nec_hub_officer, sunderland_lead
):
    from django.test import Client

    url = plan.get_absolute_url()
    client.force_login(nec_hub_officer)
    staff_page, _ = _get(client, url)
    other = Client()
    other.force_login(sunderland_lead)
    lead_page, _ = _get(other, url)
    assert "Edit the plan&#x27;s sections" in staff_page or "Edit the plan's sections" in staff_page
    assert "Edit the plan" not in lead_page
    assert "Sunderland" not in staff_page.split("<header", 1)[1].split("</header>", 1)[0]


def test_a_page_with_a_message_waiting_is_rendered_afresh(
    client, plan, nec_hub_officer, django_capture_on_commit_callbacks
):
    url = plan.get_absolute_url()
    client.force_login(nec_hub_officer)
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("priorities:plan-edit", args=[plan.pk]),
            {"version": plan.version, "context": "Saved just now"},
            follow=True,
        )
    html = response.content.decode()
    assert "Saved just now" in html
    assert "nhsuk-notification" in html or "saved" in html.lower()


def test_notifications_change_the_cached_header(
    client, plan, nec_hub_officer, django_capture_on_commit_callbacks
):
    from timeline.notifications import notify

    url = plan.get_absolute_url()
    client.force_login(nec_hub_officer)
    before, _ = _get(client, url)
    assert 'class="app-count"' not in before
    with django_capture_on_commit_callbacks(execute=True):
        notify(user_ids=[nec_hub_officer.pk], title="Something new", link="/")
    after, _ = _get(client, url)
    assert 'class="app-count"' in after


def test_a_dashboard_is_computed_once_for_everyone_who_may_see_it(
    client,
    plan,
    nec_hub_officer,
    north_reviewer,
    london_hub_officer,
    sunderland_lead,
    django_capture_on_commit_callbacks,
):
    """Its figures and charts are the same for every viewer: the second person's page reuses
    them (fewer queries), the access check still runs for each, and a write renews them."""
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        included(plan, sunderland_lead, nec_hub_officer, "Shared dashboard priority")
    url = reverse("priorities:plan-dashboard", args=[plan.pk])
    client.force_login(nec_hub_officer)
    staff_page, computed = _get(client, url)
    region = Client()
    region.force_login(north_reviewer)
    region_page, reused = _get(region, url)
    assert reused < computed
    body = staff_page.split("<h1>Delivery dashboard</h1>", 1)[1].split("</main>", 1)[0]
    assert "Shared dashboard priority" in body
    assert body == region_page.split("<h1>Delivery dashboard</h1>", 1)[1].split("</main>", 1)[0]

    outsider = Client()
    outsider.force_login(london_hub_officer)
    refused = outsider.get(url)
    assert refused.status_code == 404
    assert "Shared dashboard priority" not in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        included(plan, sunderland_lead, nec_hub_officer, "Added after the first view")
    renewed, _ = _get(region, url)
    assert "Added after the first view" in renewed


def test_the_cross_hub_view_is_shared_only_by_people_overseeing_the_same_hubs(
    client, plan, north_reviewer, national_admin
):
    from django.test import Client

    url = reverse("priorities:cross-hub") + f"?year={plan.year}"
    client.force_login(national_admin)
    national_page, _ = _get(client, url)
    region = Client()
    region.force_login(north_reviewer)
    region_page, _ = _get(region, url)
    assert "London" in national_page
    assert "London" not in region_page.split("<main", 1)[1]
    assert "North East and Cumbria" in region_page
