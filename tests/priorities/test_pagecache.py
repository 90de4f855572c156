"""Cached pages: per session, and never older than the records they show."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from hubs.models import Hub
from priorities.models import Proposal
from tests.conftest import make_user
from tests.priorities.helpers import included, submitted

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
    url = reverse("priorities:cross-hub") + f"?year={plan.year}"
    client.force_login(national_admin)
    national_page, _ = _get(client, url)
    region = Client()
    region.force_login(north_reviewer)
    region_page, _ = _get(region, url)
    assert "London" in national_page
    assert "London" not in region_page.split("<main", 1)[1]
    assert "North East and Cumbria" in region_page


def test_the_ranking_is_shared_by_viewers_alike_each_with_their_own_form_token(
    plan, nec_hub_officer, north_reviewer, sunderland_lead, django_capture_on_commit_callbacks
):
    """The ranked table is rendered once for everyone with the same view of the plan; its
    decision forms carry each viewer's own CSRF token, so a second officer's decision is
    accepted; a reader who may not decide never gets the officers' forms."""
    proposal = submitted(plan, sunderland_lead, "Shared ranking row")
    ranking = reverse("priorities:ranking", args=[plan.pk])
    prefix = f"decide-{proposal.pk}"
    second = make_user(
        "omar@example.nhs.uk",
        "Omar Siddiq",
        (Role.HUB_STAFF, Hub.objects.get(slug="north-east-and-cumbria")),
    )
    first_client, second_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_client.force_login(nec_hub_officer)
    second_client.force_login(second)
    first_page, rendered = _get(first_client, ranking)
    second_page, reused = _get(second_client, ranking)
    assert reused < rendered
    assert f'name="{prefix}-status"' in first_page
    assert f'name="{prefix}-status"' in second_page
    assert "shared-piece-csrf-token" not in first_page + second_page

    region = Client()
    region.force_login(north_reviewer)
    region_page, _ = _get(region, ranking)
    assert "Shared ranking row" in region_page
    assert f'name="{prefix}-status"' not in region_page

    token = re.search(
        rf'action="[^"]*/{proposal.pk}/decide/"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        second_page,
    )
    assert token, "the decision form carries a CSRF token"
    with django_capture_on_commit_callbacks(execute=True):
        done = second_client.post(
            reverse("priorities:proposal-action", args=[proposal.pk, "decide"]),
            {
                "csrfmiddlewaretoken": token.group(1),
                "return": "ranking",
                f"{prefix}-version": proposal.version,
                f"{prefix}-status": "included",
                f"{prefix}-rationale": "Agreed by the group",
            },
        )
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.INCLUDED
    after = second_client.get(ranking).content.decode()
    assert "Included" in after
