"""Issue 18, finding 1: a check-your-answers page before submitting or publishing a plan (GET
shows it, POST takes the step), and a plan submitted for peer review takes no new proposal —
in the browser and the API."""

import pytest
import time_machine
from django.urls import reverse

from priorities import services
from priorities.models import PlanVersion, Proposal
from tests.priorities.helpers import OVERRIDE, included, propose, submitted

pytestmark = pytest.mark.django_db


def _submit_url(plan):
    return reverse("priorities:plan-move", args=[plan.pk, "submit"])


def test_submit_asks_to_check_first_and_lists_what_is_incomplete(
    client, plan, nec_hub_officer, sunderland_lead
):
    draft = propose(plan, sunderland_lead, title="Still a draft")
    waiting = submitted(plan, sunderland_lead, "Waiting for more")
    services.proposal_request_info(
        by=nec_hub_officer, proposal=waiting, version=waiting.version, message="Costs?"
    )
    undecided = submitted(plan, sunderland_lead, "Not decided")
    included(plan, sunderland_lead, nec_hub_officer, "Agreed one")
    client.force_login(nec_hub_officer)
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{_submit_url(plan)}"' in detail  # a link to the check page, not a POST
    page = client.get(_submit_url(plan))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check the plan before you submit it for peer review" in html
    assert "Confirm and submit for peer review" in html
    assert "“Still a draft” (NHS Sunderland CCG) is still a draft" in html
    assert draft.get_absolute_url() in html
    assert "“Waiting for more” (NHS Sunderland CCG) is awaiting more information" in html
    assert "“Not decided” (NHS Sunderland CCG) is submitted but not decided" in html
    assert reverse("priorities:proposal-score", args=[undecided.pk]) in html  # not scored
    assert "The plan&#x27;s context section is not written" in html
    assert "frozen as version 1" in html
    assert f'name="version" value="{plan.version}"' in html
    assert not PlanVersion.objects.exists()  # looking changes nothing
    plan.refresh_from_db()
    assert plan.status == "draft"
    done = client.post(_submit_url(plan), {"version": plan.version})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert PlanVersion.objects.count() == 1


def test_publish_asks_to_check_first(client, plan, nec_hub_officer, north_reviewer):
    plan = services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    client.force_login(nec_hub_officer)
    url = reverse("priorities:plan-move", args=[plan.pk, "publish"])
    assert f'href="{url}"' in client.get(plan.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    assert "Check the plan before you publish it" in html
    assert "Confirm and publish the plan" in html
    assert "frozen as version 2" in html
    plan.refresh_from_db()
    assert plan.status == "assured"


def test_the_confirm_page_of_a_step_that_cannot_run_goes_back_to_the_plan(
    client, plan, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    url = reverse("priorities:plan-move", args=[plan.pk, "publish"])
    assert client.get(url)["Location"] == plan.get_absolute_url()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("london_hub_officer", 404),  # not theirs to see
        ("sunderland_lead", 403),  # reads the plan, does not submit it
        ("north_reviewer", 403),  # assures, does not submit
    ],
)
def test_only_the_hubs_staff_see_the_confirm_page(client, request, plan, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_submit_url(plan)).status_code == status
    assert client.post(_submit_url(plan), {"version": plan.version}).status_code == status
    plan.refresh_from_db()
    assert plan.status == "draft"


@time_machine.travel("2016-03-01 10:00:00Z", tick=False)
def test_a_submitted_plan_takes_no_new_proposal(client, plan, nec_hub_officer, sunderland_lead):
    services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    message = (
        "The plan was submitted for peer review on 1 March 2016. Ask your hub to return it to "
        "draft if you need to add a proposal."
    )
    with pytest.raises(services.PlanError, match="submitted for peer review on 1 March 2016"):
        propose(plan, sunderland_lead)
    client.force_login(sunderland_lead)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("priorities:proposal-create", args=[plan.pk]) not in page
    assert message.replace("'", "&#x27;") in page
    refused = client.post(
        reverse("priorities:proposal-create", args=[plan.pk]),
        {"title": "Late", "problem": "Evidence", "qipp_savings": "0", "costs": "0"},
        follow=True,
    )
    assert message in [str(m) for m in refused.context["messages"]]
    assert not Proposal.objects.exists()


@time_machine.travel("2016-03-01 10:00:00Z", tick=False)
def test_the_api_refuses_a_proposal_to_a_submitted_plan(
    api_client, plan, nec_hub_officer, sunderland_lead
):
    services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    api_client.force_authenticate(sunderland_lead)
    body = {"plan": plan.pk, "ccg": "00P", "title": "Late", "problem": "Evidence"}
    refused = api_client.post("/api/v1/proposals/", body, format="json")
    assert refused.status_code == 400
    assert "submitted for peer review on 1 March 2016" in refused.content.decode()
    assert "return it to draft" in refused.content.decode()
    assert not Proposal.objects.exists()
