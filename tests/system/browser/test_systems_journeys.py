"""Integrated care systems in the register (issue 16, "What to build" 1; seed 003, place-based
commissioning in an ICS), in a real browser, with no axe-core violation at all on the new pages
(everything under /register/systems/).

A national admin follows the register to the North East and North Cumbria ICS, reads it as it
was on 1 April 2019 (the Central ICP with NHS Sunderland CCG and NHS North Durham CCG) and on
1 July 2022 (only the ICB, for the whole system), then adds a place, a commissioner in it, ends
that commissioner's place in the system and adds a new system; bad input goes beside its field
and changes nothing. A CCG lead reads the same pages and may change nothing.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hubs.models import IntegratedCareSystem, Place, SystemMember

pytestmark = pytest.mark.browser
NENC = "North East and North Cumbria ICS"
ICB = "NHS North East and North Cumbria Integrated Care Board"
HNY_ICB = "NHS Humber and North Yorkshire Integrated Care Board"
# Screenshots of the new pages, for a person to look at: set SCREENSHOTS_DIR to keep them.
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def place_card(page: Page, name: str):
    return page.locator("#places .nhsuk-card").filter(
        has=page.get_by_role("heading", name=f"{name} ICP", exact=True)
    )


def to_the_systems(page: Page, a11y) -> None:
    """From My work: the footer's Organisation register, then its link to the systems."""
    page.get_by_role("contentinfo").get_by_role("link", name="Organisation register").click()
    expect(heading(page)).to_have_text("Specialised commissioning in England")
    a11y(page)
    page.get_by_role("link", name="Integrated care systems and their places").click()
    expect(heading(page)).to_have_text("Integrated care systems")
    expect(page.locator("#systems")).to_contain_text(NENC)
    a11y.strict(page)


def test_a_national_admin_reads_a_system_through_time_and_keeps_it(
    page, live_server, national_admin, sign_in, a11y
):
    base = live_server.url
    sign_in(page, national_admin)
    to_the_systems(page, a11y)
    nenc = page.locator("#systems tbody tr").filter(has_text=NENC)
    expect(nenc).to_contain_text("(NENC)")
    expect(nenc).to_contain_text("North East and Cumbria")
    shot(page, "systems-1-list")

    page.get_by_role("link", name=NENC).click()
    expect(heading(page)).to_have_text(NENC)
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Integrated care system (ICS)")
    expect(page.locator("#system-summary")).to_contain_text("From 1 April 2018")
    a11y.strict(page)

    # 1 April 2019, through the as-at form: four places; Central has Sunderland and North Durham.
    page.locator("#id_on").fill("2019-04-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(f"{base}/register/systems/{system_pk()}/?on=2019-04-01")
    expect(page.get_by_role("heading", level=2).first).to_have_text("On 1 April 2019")
    expect(page.locator("#places .nhsuk-card__heading")).to_have_text(
        ["Central ICP", "North ICP", "North Cumbria ICP", "South ICP"]
    )
    central = place_card(page, "Central")
    expect(central.get_by_role("link", name="NHS Sunderland CCG", exact=True)).to_be_visible()
    expect(central.get_by_role("link", name="NHS North Durham CCG", exact=True)).to_be_visible()
    expect(central).not_to_contain_text("NHS County Durham CCG")  # not until 1 April 2020
    expect(page.locator("#unplaced")).to_have_count(0)  # no ICB yet
    a11y.strict(page)
    shot(page, "systems-2-detail-2019")

    # 1 July 2022, through its quick link: only the ICB, for the whole system.
    page.get_by_role("link", name="Show 1 July 2022").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("On 1 July 2022")
    expect(page.get_by_role("heading", name="The whole system")).to_be_visible()
    expect(page.locator("#unplaced li")).to_have_count(1)
    expect(page.locator("#unplaced")).to_contain_text(ICB)
    expect(page.locator("#places")).not_to_contain_text("CCG")
    expect(place_card(page, "Central")).to_contain_text("No commissioner in this place")
    a11y.strict(page)
    shot(page, "systems-3-detail-2022")

    # Add a place: an end date before the start is refused beside the field; nothing is added.
    page.get_by_role("link", name="Add a place").click()
    expect(heading(page)).to_have_text(f"Add a place to {NENC}")
    a11y.strict(page)
    page.get_by_label("Name of the place (ICP)").fill("North Yorkshire border")
    page.get_by_label("Start date").fill("2022-07-01")
    page.get_by_label("End date (optional)").fill("2022-06-30")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_valid_to_error")).to_contain_text(
        "The end date must be on or after the start date."
    )
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("There is a problem")
    expect(page.get_by_label("Name of the place (ICP)")).to_have_value("North Yorkshire border")
    a11y.strict(page)
    shot(page, "systems-4-place-error")
    assert not Place.objects.filter(name="North Yorkshire border").exists()

    page.get_by_label("End date (optional)").fill("")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text(NENC)
    expect(page.get_by_text("Place added.")).to_be_visible()
    expect(place_card(page, "North Yorkshire border")).to_contain_text(
        "No commissioner in this place"
    )
    a11y.strict(page)

    # Add a commissioner to it: not before the ICB opened, then from 1 July 2022.
    page.get_by_role("link", name="Add a commissioner").click()
    expect(heading(page)).to_have_text(f"Add a commissioner to {NENC}")
    a11y.strict(page)
    page.get_by_label("Commissioner (CCG or ICB)").select_option(label=f"{HNY_ICB} (QOQ)")
    page.get_by_label("Place (optional)").select_option(label="North Yorkshire border ICP")
    page.get_by_label("In the system from").fill("2022-06-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_commissioner_error")).to_contain_text(
        f"{HNY_ICB} was not open on 1 June 2022."
    )
    a11y.strict(page)
    shot(page, "systems-5-member-error")
    assert not SystemMember.objects.filter(commissioner__ods_code="QOQ").exists()
    page.get_by_label("In the system from").fill("2022-07-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Commissioner added to the system.")).to_be_visible()
    border = place_card(page, "North Yorkshire border")
    expect(border.get_by_role("link", name=HNY_ICB, exact=True)).to_be_visible()
    a11y.strict(page)

    # End its place in the system; the record is kept, ended.
    row = page.locator("#members tbody tr").filter(has_text=HNY_ICB)
    expect(row).to_contain_text("North Yorkshire border ICP")
    row.get_by_role("link", name=f"End {HNY_ICB}'s place in the system").click()
    expect(heading(page)).to_have_text(f"{HNY_ICB} leaves {NENC}")
    a11y.strict(page)
    page.get_by_label("Left the system on").fill("2023-03-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The commissioner's place in the system is ended")).to_be_visible()
    row = page.locator("#members tbody tr").filter(has_text=HNY_ICB)
    expect(row).to_contain_text("1 July 2022")
    expect(row).to_contain_text("31 March 2023")
    expect(row.get_by_role("link")).to_have_count(0)
    expect(place_card(page, "North Yorkshire border")).to_contain_text(
        "No commissioner in this place"
    )
    a11y.strict(page)
    shot(page, "systems-6-detail-today")

    # Add a new system: without a name it is refused beside the field, and none is added.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Integrated care systems"
    ).click()
    expect(heading(page)).to_have_text("Integrated care systems")
    a11y.strict(page)
    page.get_by_role("link", name="Add a system").click()
    expect(heading(page)).to_have_text("Add a system")
    a11y.strict(page)
    page.get_by_label("Short name (optional)").fill("HCV")
    page.get_by_label("Kind").select_option("stp")
    page.get_by_label("Specialised commissioning hub").select_option(label="Yorkshire and Humber")
    page.get_by_label("Start date").fill("2018-04-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_name_error")).to_contain_text("Enter the system's name")
    a11y.strict(page)
    shot(page, "systems-7-system-error")
    assert IntegratedCareSystem.objects.count() == 1
    page.get_by_label("Name", exact=True).fill("Humber, Coast and Vale Health and Care Partnership")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Integrated care systems")
    expect(page.get_by_text("System added.")).to_be_visible()
    hcv = page.locator("#systems tbody tr").filter(has_text="Humber, Coast and Vale")
    expect(hcv).to_contain_text("(HCV)")
    expect(hcv).to_contain_text("Yorkshire and Humber")
    a11y.strict(page)
    hcv.get_by_role("link").click()
    expect(heading(page)).to_have_text("Humber, Coast and Vale Health and Care Partnership")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(
        "Sustainability and transformation partnership (STP)"
    )
    expect(page.locator("#members")).to_contain_text("None recorded.")
    a11y.strict(page)


def system_pk() -> int:
    return IntegratedCareSystem.objects.get(name=NENC).pk


def test_a_ccg_lead_reads_the_systems_and_changes_nothing(
    page, live_server, sunderland_lead, sign_in, a11y
):
    base = live_server.url
    sign_in(page, sunderland_lead)
    to_the_systems(page, a11y)
    expect(page.get_by_role("link", name="Add a system")).to_have_count(0)

    page.get_by_role("link", name=NENC).click()
    expect(heading(page)).to_have_text(NENC)
    expect(page.locator("#members")).to_contain_text("NHS Sunderland CCG (00P)")
    expect(page.get_by_role("link", name="Add a place")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a commissioner")).to_have_count(0)
    expect(page.get_by_role("link", name="Change the system")).to_have_count(0)
    expect(page.locator("#members").get_by_role("link")).to_have_count(0)  # no "End" links
    a11y.strict(page)
    page.get_by_role("link", name="Show 1 April 2019").click()
    expect(place_card(page, "Central")).to_contain_text("NHS Sunderland CCG")
    a11y.strict(page)

    for path in (
        "/register/systems/new/",
        f"/register/systems/{system_pk()}/places/new/",
        f"/register/systems/{system_pk()}/members/new/",
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 403, path
    a11y.strict(page)
    assert IntegratedCareSystem.objects.count() == 1
