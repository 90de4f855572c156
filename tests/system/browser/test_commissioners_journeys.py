"""Commissioners through time (issue 13), in a real browser with axe-core on every page visited:
an ICB lead's My work → a 2026/27 plan → a proposed priority; a hub officer seeing a merger
hand-over on the group page, in its history, and the ICB that later took the places over in
the register. The pages new in this issue (the hand-over box, an ICB's register page) must have
no axe violations at all."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from hubs.models import CCG
from oversight import selectors as group_selectors
from oversight import services as group_services
from oversight.models import CCGMembership, OversightGroup
from oversight.services import Answer
from oversight.succession import footprint_bring_forward
from priorities import services as plan_services
from priorities.models import Proposal
from tests.factories import make_group

pytestmark = pytest.mark.browser

BIRMINGHAM_ICB = "NHS Birmingham and Solihull Integrated Care Board"
NENC_ICB = "NHS North East and North Cumbria Integrated Care Board"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def no_violations(page: Page) -> None:
    """A page new in this issue: axe-core finds nothing at all, whatever its impact."""
    page.wait_for_load_state("load")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["impact"], v["help"]) for v in violations]


# --- an ICB lead proposes a priority in the current year's plan -------------------------------


@pytest.fixture
def plan_2026(west_midlands_officer, birmingham_icb_lead):
    """The West Midlands group of 2026/27 with its six ICBs invited, Birmingham and Solihull a
    member (its lead said yes), and the 2026/27 plan open for proposals."""
    group = make_group(
        by=west_midlands_officer,
        hub="west-midlands",
        name="West Midlands Oversight Group",
        start_date=datetime.date(2026, 4, 1),
    )
    group = group_services.group_update(
        by=west_midlands_officer,
        group=group,
        version=group.version,
        status=OversightGroup.Status.ACTIVE,
    )
    footprint = group_selectors.footprint_on(group, group.footprint_day)
    assert len(footprint) == 6
    assert {c.kind for c in footprint} == {CCG.Kind.ICB}
    group_services.ccgs_invite(by=west_midlands_officer, group=group, ccgs=footprint)
    place = CCGMembership.objects.get(group=group, ccg__ods_code="QHL")
    group_services.membership_respond(
        by=birmingham_icb_lead, membership=place, version=place.version, answer=Answer.ACCEPT
    )
    return plan_services.plan_create(by=west_midlands_officer, group=group, year=2026)


def test_an_icb_lead_proposes_a_priority_from_my_work(
    page, live_server, plan_2026, birmingham_icb_lead, sign_in, a11y
):
    group = plan_2026.group
    sign_in(page, birmingham_icb_lead)  # lands on My work (axe checked there)
    panel = page.locator(".app-role-panel").filter(has_text=BIRMINGHAM_ICB)
    expect(panel.get_by_role("heading", level=2)).to_contain_text(BIRMINGHAM_ICB)
    expect(panel).to_contain_text(f"You represent {BIRMINGHAM_ICB} in the West Midlands hub")

    panel.get_by_role("link", name=group.name).click()
    expect(heading(page)).to_have_text(group.name)
    expect(page.locator("#coverage-heading")).to_have_text("ICB coverage: 1 of 6 (17%)")
    a11y(page)

    page.get_by_role("link", name="The group's priorities plans").click()
    a11y(page)
    page.get_by_role("link", name="2026/27", exact=True).click()
    expect(heading(page)).to_have_text("Priorities plan 2026/27")
    a11y(page)

    page.get_by_role("link", name="Propose a priority").click()
    a11y(page)
    page.locator("#id_title").fill("Home dialysis for one in five renal patients")
    page.locator("#id_problem").fill(
        "Home dialysis rates are half the national best; the units are full."
    )
    page.locator("#id_benefits").fill("Fewer journeys for patients; capacity for new starters.")
    page.locator("#id_qipp_savings").fill("180000")
    page.locator("#id_costs").fill("95000")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Home dialysis for one in five renal patients")
    expect(page.locator("#proposal-status")).to_have_text("Draft")
    a11y(page)
    page.get_by_role("button", name="Submit to the hub").click()
    expect(page.locator("#proposal-status")).to_have_text("Submitted")
    a11y(page)

    page.goto(f"{live_server.url}{plan_2026.get_absolute_url()}")
    listed = page.locator("#proposals").get_by_role("row").filter(has_text="Home dialysis")
    expect(listed).to_contain_text(BIRMINGHAM_ICB)
    expect(listed).to_contain_text("Submitted")
    a11y(page)

    proposal = Proposal.objects.get()
    assert (proposal.plan, proposal.ccg.ods_code) == (plan_2026, "QHL")
    assert proposal.proposed_by == birmingham_icb_lead
    assert proposal.status == Proposal.Status.SUBMITTED


# --- a hub officer sees a merger handed over on the group page --------------------------------


@pytest.fixture
def handed_over(nec_hub_officer):
    """The NEC group from 1 October 2014: Gateshead (00F) a member, Newcastle North and East
    (00G) and Newcastle West (00H) invited; then its footprint is brought forward to 1 April
    2015, when the three became NHS Newcastle Gateshead CCG (13T)."""
    group = make_group(by=nec_hub_officer, start_date=datetime.date(2014, 10, 1))
    ccgs = [CCG.objects.get(ods_code=c) for c in ("00F", "00G", "00H")]
    group_services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=ccgs)
    place = CCGMembership.objects.get(group=group, ccg=ccgs[0])
    group_services.membership_respond(
        by=nec_hub_officer, membership=place, version=place.version, answer=Answer.ACCEPT
    )
    made = footprint_bring_forward(group=group, to_day=datetime.date(2015, 4, 1))
    assert len(made) == 3
    return group


def test_a_hub_officer_sees_a_merger_handed_over(
    page, live_server, handed_over, nec_hub_officer, sign_in, a11y
):
    group = handed_over
    sign_in(page, nec_hub_officer)
    page.get_by_role("link", name=group.name).first.click()
    expect(heading(page)).to_have_text(group.name)
    handovers = page.locator("#handovers")
    expect(handovers).to_contain_text("Changes in the footprint")
    expect(handovers).to_contain_text(
        "NHS Gateshead, Newcastle North and East and Newcastle West CCGs became NHS Newcastle "
        "Gateshead CCG on 1 April 2015: its membership continues"
    )
    expect(page.locator("#coverage-heading")).to_contain_text("CCG coverage: 1 of 11")
    no_violations(page)

    page.get_by_role("link", name="History", exact=True).click()
    expect(heading(page)).to_have_text("History")
    handover_rows = page.get_by_role("row").filter(
        has_text="Place passed to the successor organisation"
    )
    expect(handover_rows.first).to_be_visible()
    expect(handover_rows.filter(has_text="NHS Newcastle Gateshead CCG").first).to_be_visible()
    a11y(page)

    # The ICB that took over Newcastle Gateshead's functions in 2022, from the register search.
    page.goto(f"{live_server.url}/register/ccgs/")
    a11y(page)
    page.locator("#id_q").fill("QHM")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#ccg-results")
    expect(results.get_by_role("link", name=NENC_ICB)).to_be_visible()
    a11y(page)
    results.get_by_role("link", name=NENC_ICB).click()
    expect(page).to_have_url(f"{live_server.url}/register/ccgs/QHM/")
    expect(heading(page)).to_have_text(NENC_ICB)
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Integrated Care Board")
    took_over = page.locator(".nhsuk-summary-list__row").filter(
        has_text="Took over the functions of"
    )
    # The eight CCGs open on 30 June 2022 in the North East and North Cumbria.
    expect(took_over.get_by_role("link")).to_have_count(8)
    for name in ("NHS Newcastle Gateshead CCG", "NHS Sunderland CCG", "NHS Tees Valley CCG"):
        expect(took_over.get_by_role("link", name=name, exact=True)).to_be_visible()
    for ods in ("00L", "00N", "00P", "01H", "13T", "16C", "84H", "99C"):
        expect(took_over).to_contain_text(f"({ods})")
    expect(took_over).to_contain_text("on 1 July 2022")
    no_violations(page)
