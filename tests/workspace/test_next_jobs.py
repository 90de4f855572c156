"""Issue 18, finding 6: My work shows each role's next jobs first, with links straight to
them — a CCG lead's current plan and its own proposals (with their state), hub staff's next
step on their plan, a regional team's peer reviews (the panel to form first) — in a fixed
number of queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import cache_clear
from tests.priorities.conftest import group, plan  # noqa: F401  (fixtures)
from tests.priorities.helpers import propose, submitted
from tests.reviews.conftest import (  # noqa: F401  (fixtures)
    cycle,
    invited_review,
    nec_group,
    ready_review,
    submitted_plan,
)

pytestmark = pytest.mark.django_db


def _jobs(client) -> str:
    """The text of every role's "Next" block on My work, in order."""
    html = client.get(reverse("workspace:my-work")).content.decode()
    found = re.findall(r'<div class="app-next-jobs">(.*?)</div>', html, re.S)
    return unescape(" | ".join(found))


def test_a_ccg_lead_goes_straight_to_the_plan_and_its_own_proposals(
    client,
    plan,  # noqa: F811
    sunderland_lead,
    nec_hub_officer,
):
    mine = propose(plan, sunderland_lead, title="One-stop renal clinic")
    sent = submitted(plan, sunderland_lead, "Two arterial centres")
    hubs = propose(plan, nec_hub_officer, ods=None, title="Hub's own idea")
    client.force_login(sunderland_lead)
    jobs = _jobs(client)
    assert f'href="{plan.get_absolute_url()}"' in jobs
    assert "Priorities plan 2015/16" in jobs
    assert f'href="{mine.get_absolute_url()}">One-stop renal clinic</a>: draft' in jobs
    assert f'href="{sent.get_absolute_url()}">Two arterial centres</a>: submitted' in jobs
    assert hubs.title not in jobs


def test_hub_staff_see_their_plans_next_step(
    client,
    plan,  # noqa: F811
    sunderland_lead,
    nec_hub_officer,
):
    client.force_login(nec_hub_officer)
    assert "no proposals yet" in _jobs(client)
    submitted(plan, sunderland_lead, "Two arterial centres")
    cache_clear()
    jobs = _jobs(client)
    assert "Score and decide 1 submitted proposal" in jobs
    assert f'href="{plan.get_absolute_url()}#score"' in jobs


def test_a_regional_team_is_told_to_form_the_panel(
    client,
    invited_review,  # noqa: F811
    north_reviewer,
    london_hub_officer,
):
    client.force_login(north_reviewer)
    jobs = _jobs(client)
    assert "Form the panel for North East and Cumbria's peer review" in jobs
    assert f'href="{reverse("reviews:panel", args=[invited_review.pk])}"' in jobs
    assert "0 reviewers accepted so far" in jobs
    client.force_login(london_hub_officer)
    assert "North East and Cumbria" not in _jobs(client)


def test_a_regional_team_is_told_to_invite_a_ready_review_and_assure_the_plan(
    client,
    ready_review,  # noqa: F811
    north_reviewer,
):
    client.force_login(north_reviewer)
    jobs = _jobs(client)
    assert "Invite the peer review of North East and Cumbria" in jobs
    assert "Assure North East and Cumbria's 2015/16 plan" in jobs


def _count(client) -> int:
    cache_clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("workspace:my-work")).status_code == 200
    return len(queries)


def test_next_jobs_take_the_same_queries_for_few_or_many_proposals(
    client,
    plan,  # noqa: F811
    sunderland_lead,
    nec_hub_officer,
):
    submitted(plan, sunderland_lead, "P0")
    few = {}
    for user in (sunderland_lead, nec_hub_officer):
        client.force_login(user)
        few[user.pk] = _count(client)
    for i in range(1, 15):
        submitted(plan, sunderland_lead, f"P{i}")
    for user in (sunderland_lead, nec_hub_officer):
        client.force_login(user)
        assert _count(client) <= few[user.pk]


def test_the_demo_regions_and_leads_see_their_main_job_first(register, settings, client):
    """The walk of issue 18: south.region is sent to the Wessex panel it must form, and
    sunderland.ccg straight to the 2015/16 plan and its proposals."""
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    client.force_login(User.objects.get(email="south.region@example.nhs.uk"))
    assert "Form the panel for Wessex's peer review" in _jobs(client)
    client.force_login(User.objects.get(email="sunderland.ccg@example.nhs.uk"))
    jobs = _jobs(client)
    assert "Priorities plan 2015/16" in jobs
    assert "app-own-proposals" in jobs
