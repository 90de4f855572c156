"""The ICB era through the priorities API (issue 13, parts 2 and 9): an ICB lead proposes a
priority in a 2026/27 plan; a CCG that closed on 30 June 2022 cannot propose into it; another
ICB's lead cannot propose for an ICB that is not theirs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from hubs.models import CCG
from oversight import selectors as group_selectors
from oversight import services as group_services
from oversight.models import CCGMembership
from priorities import services
from priorities.errors import PlanError
from priorities.models import Proposal
from tests.factories import make_group, make_user

pytestmark = pytest.mark.django_db

FIRST_DAY_2026 = datetime.date(2026, 4, 1)


def icb_era_plan(*, hub_slug: str, staff, members=()):
    """A hub's group for 2026/27 with its footprint (ICBs) invited, `members` accepted, and a
    2026/27 plan open for proposals."""
    group = make_group(
        by=staff, hub=hub_slug, name="Oversight Group 2026/27", start_date=FIRST_DAY_2026
    )
    footprint = group_selectors.footprint_on(group, group.footprint_day)
    group_services.ccgs_invite(by=staff, group=group, ccgs=footprint)
    for ods in members:
        place = CCGMembership.objects.get(group=group, ccg__ods_code=ods)
        group_services.membership_respond(
            by=staff, membership=place, version=place.version, answer="accept"
        )
    return services.plan_create(by=staff, group=group, year=2026)


@pytest.fixture
def black_country_icb_lead(register):
    return make_user(
        "blackcountry.icb@example.nhs.uk",
        "Beth Cole",
        (Role.CCG_LEAD, CCG.objects.get(ods_code="QUA")),
    )


@pytest.fixture
def wm_plan(west_midlands_officer):
    return icb_era_plan(hub_slug="west-midlands", staff=west_midlands_officer, members=["QHL"])


def body(plan, ccg: str) -> dict:
    return {
        "plan": plan.pk,
        "ccg": ccg,
        "title": "Home dialysis for one in five renal patients",
        "problem": "Home dialysis rates are half the national best; units are full.",
        "qipp_savings": "180000",
        "costs": "95000",
    }


def test_the_2026_footprint_is_the_six_west_midlands_icbs(wm_plan):
    places = CCGMembership.objects.filter(group=wm_plan.group).select_related("ccg")
    assert sorted(p.ccg.ods_code for p in places) == ["QGH", "QHL", "QNC", "QOC", "QUA", "QWU"]
    assert {p.ccg.kind for p in places} == {CCG.Kind.ICB}


def test_an_icb_lead_proposes_in_a_2026_plan_through_the_api(
    api_client, wm_plan, birmingham_icb_lead
):
    api_client.force_authenticate(birmingham_icb_lead)
    response = api_client.post("/api/v1/proposals/", body(wm_plan, "QHL"), format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["ccg"] == "QHL"
    proposal = Proposal.objects.get(pk=made["id"])
    assert (proposal.plan, proposal.ccg.ods_code) == (wm_plan, "QHL")
    assert proposal.proposed_by == birmingham_icb_lead
    assert proposal.qipp_savings == Decimal(180000)
    listed = api_client.get("/api/v1/proposals/", {"plan": wm_plan.pk}).json()
    assert [p["id"] for p in listed["results"]] == [made["id"]]


def test_another_icbs_lead_cannot_propose_for_birmingham(
    api_client, wm_plan, black_country_icb_lead
):
    api_client.force_authenticate(black_country_icb_lead)
    response = api_client.post("/api/v1/proposals/", body(wm_plan, "QHL"), format="json")
    assert response.status_code in (403, 404)
    assert not Proposal.objects.exists()


@pytest.fixture
def nec_group_from_2021(nec_hub_officer, sunderland_lead):
    """An NEC group of 2021/22 (before the ICBs) with Sunderland (00P) a member, whose
    2026/27 plan its lead can still read: the group outlived the CCG."""
    group = make_group(by=nec_hub_officer, start_date=datetime.date(2021, 4, 1))
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    place = CCGMembership.objects.get(group=group, ccg__ods_code="00P")
    group_services.membership_respond(
        by=sunderland_lead, membership=place, version=place.version, answer="accept"
    )
    return group


def test_a_closed_ccgs_lead_cannot_propose_into_a_2026_plan(
    api_client, nec_group_from_2021, nec_hub_officer, sunderland_lead
):
    plan = services.plan_create(by=nec_hub_officer, group=nec_group_from_2021, year=2026)
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get(f"/api/v1/plans/{plan.pk}/").status_code == 200  # reads it
    response = api_client.post("/api/v1/proposals/", body(plan, "00P"), format="json")
    assert response.status_code == 400, response.content
    assert response.json()["ccg"] == [
        "NHS Sunderland CCG closed on 30 June 2022: it is not in the 2026/27 footprint. "
        "Propose for an organisation open in 2026/27."
    ]
    assert not Proposal.objects.exists()
    # The same lead still proposes into the group's 2021/22 plan, when Sunderland was open.
    earlier = services.plan_create(by=nec_hub_officer, group=nec_group_from_2021, year=2021)
    response = api_client.post("/api/v1/proposals/", body(earlier, "00P"), format="json")
    assert response.status_code == 201, response.content


def test_a_closed_ccgs_lead_does_not_see_a_2026_group_of_icbs(
    api_client, nec_hub_officer, sunderland_lead
):
    """A 2026/27 group invites ICBs only, so Sunderland's lead does not even see its plan."""
    plan = icb_era_plan(hub_slug="north-east-and-cumbria", staff=nec_hub_officer)
    api_client.force_authenticate(sunderland_lead)
    response = api_client.post("/api/v1/proposals/", body(plan, "00P"), format="json")
    assert response.status_code == 400
    assert response.json() == {"plan": ["No such plan."]}
    assert not Proposal.objects.exists()


def test_the_service_refuses_a_ccg_closed_before_the_plans_year(nec_hub_officer, sunderland_lead):
    plan = icb_era_plan(hub_slug="north-east-and-cumbria", staff=nec_hub_officer)
    with pytest.raises(PlanError) as refusal:
        services.proposal_create(
            by=sunderland_lead,
            plan=plan,
            ccg=CCG.objects.get(ods_code="00P"),
            title="Vascular surgery",
            problem="Too many small units",
        )
    assert refusal.value.field == "ccg"
    assert str(refusal.value).startswith(
        "NHS Sunderland CCG closed on 30 June 2022: it is not in the 2026/27 footprint."
    )


def test_the_service_refuses_an_icb_before_it_opened(west_midlands_officer, birmingham_icb_lead):
    group = make_group(by=west_midlands_officer, hub="west-midlands")
    plan = services.plan_create(by=west_midlands_officer, group=group, year=2015)
    with pytest.raises(PlanError) as refusal:
        services.proposal_create(
            by=birmingham_icb_lead,
            plan=plan,
            ccg=CCG.objects.get(ods_code="QHL"),
            title="Home dialysis",
            problem="Units are full",
        )
    assert refusal.value.field == "ccg"
    assert "opened on 1 July 2022: it is not in the 2015/16 footprint" in str(refusal.value)


def test_the_service_accepts_a_ccg_open_in_the_plans_year(nec_hub_officer, sunderland_lead):
    """The same CCG in the 2015/16 plan, when it was open."""
    group = make_group(by=nec_hub_officer)
    plan = services.plan_create(by=nec_hub_officer, group=group, year=2015)
    proposal = services.proposal_create(
        by=sunderland_lead,
        plan=plan,
        ccg=CCG.objects.get(ods_code="00P"),
        title="Vascular surgery",
        problem="Too many small units",
    )
    assert proposal.ccg.ods_code == "00P"


def test_the_propose_page_shows_the_refusal_in_its_error_summary(
    client, nec_group_from_2021, nec_hub_officer, sunderland_lead
):
    plan = services.plan_create(by=nec_hub_officer, group=nec_group_from_2021, year=2026)
    client.force_login(sunderland_lead)
    url = reverse("priorities:proposal-create", args=[plan.pk])
    form = {"title": "Vascular surgery", "problem": "Too many units", "qipp_savings": "0"}
    response = client.post(url, {**form, "costs": "0"})
    assert response.status_code == 200
    assert "NHS Sunderland CCG closed on 30 June 2022" in response.content.decode()
    assert not Proposal.objects.exists()
