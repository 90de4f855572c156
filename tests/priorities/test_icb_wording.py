"""A 2026/27 plan is proposed to by ICBs (issue 13, part 2): the proposal form and the plan
page say ICB for an ICB-era plan and its ICB lead; the 2015/16 plan keeps the CCG wording."""

import datetime

import pytest
from django.urls import reverse

from hubs.models import CCG, Hub
from oversight import services as group_services
from priorities import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2026(nec_hub_officer):
    group = group_services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC Group 2026",
        kind="oversight_group",
        start_date=datetime.date(2026, 4, 1),
    )
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="QHM")]
    )
    return services.plan_create(by=nec_hub_officer, group=group, year=2026)


def test_the_proposal_form_of_an_icb_era_plan_says_icbs(client, plan_2026, nenc_icb_lead):
    client.force_login(nenc_icb_lead)
    response = client.get(reverse("priorities:proposal-create", args=[plan_2026.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ICBs affected" in html
    assert "CCGs affected" not in html
    field = response.context["form"].fields["ccgs_affected"]
    assert [c.ods_code for c in field.queryset] == ["QHM"]


def test_an_icb_leads_proposal_and_plan_say_icb(
    client, plan_2026, nenc_icb_lead, nec_hub_officer, django_assert_max_num_queries
):
    client.force_login(nenc_icb_lead)
    icb = CCG.objects.get(ods_code="QHM")
    response = client.post(
        reverse("priorities:proposal-create", args=[plan_2026.pk]),
        {
            "title": "Specialised mental health beds",
            "problem": "Out-of-area placements",
            "ccgs_affected": [icb.pk],
            "qipp_savings": "0",
            "costs": "0",
        },
        follow=True,
    )
    assert f"ICBs: {icb.name}" in response.content.decode()
    with django_assert_max_num_queries(16):  # as for the 2015/16 plan page
        page = client.get(plan_2026.get_absolute_url())
    html = page.content.decode()
    assert "Your ICB's proposals" in html
    assert "ICB coverage" in html
    client.force_login(nec_hub_officer)
    assert "ICB coverage" in client.get(plan_2026.get_absolute_url()).content.decode()


def test_a_2015_plan_keeps_the_ccg_wording(client, plan, sunderland_lead):
    client.force_login(sunderland_lead)
    form = client.get(reverse("priorities:proposal-create", args=[plan.pk])).content.decode()
    assert "CCGs affected" in form
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Your CCG's proposals" in page
    assert "CCG coverage" in page


def _header(client, plan) -> list[str]:
    csv_text = client.get(reverse("priorities:plan-csv", args=[plan.pk])).content.decode()
    return csv_text.splitlines()[0].split(",")[:2]


def test_an_icb_era_plans_csv_has_an_icb_column(client, plan_2026, nec_hub_officer):
    client.force_login(nec_hub_officer)
    assert _header(client, plan_2026) == ["Title", "ICB"]


def test_a_ccg_era_plans_csv_keeps_its_ccg_column(client, plan, nec_hub_officer):
    client.force_login(nec_hub_officer)
    assert _header(client, plan) == ["Title", "CCG"]
