"""Timeline pages: who may mark a milestone done, and milestones that records satisfy."""

import pytest
from django.urls import reverse

from commissioning.models import AuditEvent
from priorities import services as plan_services
from tests.timeline.pages.helpers import CONTRACTING, NEC, NEC_NAME, PLAN, _text, nec_plan
from timeline.models import MilestoneCompletion

pytestmark = pytest.mark.django_db


# --- marking a milestone done -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("roleless_user", 404),
        ("london_hub_officer", 404),
        ("sunderland_lead", 403),
        ("national_admin", 403),
    ],
)
def test_only_the_hubs_staff_mark_its_milestones_done(client, request, calendar, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk])
    assert client.post(url).status_code == expected
    assert not MilestoneCompletion.objects.exists()


def test_the_regional_team_marks_done_only_what_concerns_regional_teams(
    client, calendar, north_reviewer
):
    client.force_login(north_reviewer)
    hubs_own = reverse("timeline:milestone-complete", args=[NEC, calendar[CONTRACTING].pk])
    response = client.post(hubs_own, follow=True)
    assert "This milestone is for hub staff: they mark it done." in _text(response)
    assert not MilestoneCompletion.objects.exists()
    guidance = calendar["Guidance published"]  # regional teams, marked done by hand
    regional = reverse("timeline:milestone-complete", args=[NEC, guidance.pk])
    response = client.post(regional, follow=True)
    assert f'id="state-{guidance.pk}">Done<' in _text(response)
    done = MilestoneCompletion.objects.get()
    assert (done.milestone, done.hub.slug, done.completed_by) == (guidance, NEC, north_reviewer)


def test_hub_staff_mark_a_milestone_done(client, calendar, nec_hub_officer):
    milestone = calendar[CONTRACTING]
    client.force_login(nec_hub_officer)
    hub_page = reverse("timeline:hub", args=[NEC]) + "?year=2015"
    assert f'id="state-{milestone.pk}">Upcoming<' in _text(client.get(hub_page))
    response = client.post(
        reverse("timeline:milestone-complete", args=[NEC, milestone.pk]),
        {"note": "Contracts agreed at the March board."},
        follow=True,
    )
    body = _text(response)
    assert f"“{CONTRACTING}” is marked done for {NEC_NAME}." in body
    assert f'id="state-{milestone.pk}">Done<' in body
    assert "Contracts agreed at the March board." in body
    done = MilestoneCompletion.objects.get()
    assert (done.milestone, done.hub.slug, done.completed_by) == (milestone, NEC, nec_hub_officer)
    assert AuditEvent.objects.filter(verb="milestone_calendar.completed").count() == 1
    again = client.post(
        reverse("timeline:milestone-complete", args=[NEC, milestone.pk]), follow=True
    )
    assert "This milestone is already marked done." in _text(again)
    assert MilestoneCompletion.objects.count() == 1


def test_a_milestone_a_record_satisfies_cannot_be_marked_done(client, calendar, nec_hub_officer):
    milestone = calendar[PLAN]
    client.force_login(nec_hub_officer)
    hub_page = _text(client.get(reverse("timeline:hub", args=[NEC]) + "?year=2015"))
    assert f'id="state-{milestone.pk}">Overdue<' in hub_page
    assert f'action="{reverse("timeline:milestone-complete", args=[NEC, milestone.pk])}"' not in (
        hub_page
    )
    response = client.post(
        reverse("timeline:milestone-complete", args=[NEC, milestone.pk]), follow=True
    )
    assert (
        "This milestone is done when the record exists: the year's priorities plan submitted."
        in _text(response)
    )
    assert f'id="state-{milestone.pk}">Overdue<' in _text(response)
    assert not MilestoneCompletion.objects.exists()


def test_the_plan_submitted_turns_its_milestone_done(client, calendar, nec_hub_officer):
    milestone = calendar[PLAN]
    plan = nec_plan(nec_hub_officer)
    client.force_login(nec_hub_officer)
    hub_page = reverse("timeline:hub", args=[NEC]) + "?year=2015"
    body = _text(client.get(hub_page))
    assert f'id="state-{milestone.pk}">Overdue<' in body
    assert f'href="{plan.get_absolute_url()}">Go to the record' in body
    plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    assert f'id="state-{milestone.pk}">Done<' in _text(client.get(hub_page))
