"""National structures (issue 17 parts 1 and 2; seed 000 §3.5), in a real browser, with no
axe-core violation at all on the new pages (everything under /national/).

A national admin follows the register to the national structures, adds the Cardiac Services CRG
with its four regional seats, and later accepts a nomination to its North seat. A hub officer
nominates a CCG clinician through their group's held meeting. The North regional team sees its
own region's vacancies.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from national import services
from national.models import ClinicalReferenceGroup, Nomination, SeatTerm
from tests.factories import make_group
from tests.national.conftest import held_meeting, nominate, programme

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def to_national(page: Page, a11y) -> None:
    page.get_by_role("contentinfo").get_by_role("link", name="Organisation register").click()
    expect(heading(page)).to_have_text("Specialised commissioning in England")
    a11y(page)
    page.get_by_role("link", name="National structures").click()
    expect(heading(page)).to_have_text("National structures")
    expect(page.locator("#boards .nhsuk-card__heading")).to_have_count(6)
    a11y.strict(page)


def cardiac(admin) -> ClinicalReferenceGroup:
    return services.crg_create(
        by=admin, name="Cardiac Services", programme=programme(), with_seats=True
    )


def test_a_national_admin_adds_a_crg_with_its_four_seats(page, national_admin, sign_in, a11y):
    sign_in(page, national_admin)
    to_national(page, a11y)
    shot(page, "national-1-index")
    page.get_by_role("link", name="Add a Clinical Reference Group").first.click()
    expect(heading(page)).to_have_text("Add a Clinical Reference Group")
    a11y.strict(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the name")
    a11y.strict(page)
    page.get_by_label("Name", exact=True).fill("Cardiac Services")
    page.get_by_label("Programme of Care").select_option(label="Internal Medicine")
    page.get_by_label("Chair (optional)").fill("Dr Helen Ashworth")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Clinical Reference Group added.")
    a11y.strict(page)
    page.get_by_role("link", name="Cardiac Services").click()
    expect(heading(page)).to_have_text("Cardiac Services")
    expect(page.locator("#crg-seats tbody tr")).to_have_count(4)
    expect(page.locator("#crg-seats")).to_contain_text("Vacant")
    a11y.strict(page)
    shot(page, "national-2-crg")
    # The board page lists it.
    page.locator("#crg-summary").get_by_role("link", name="Internal Medicine").click()
    expect(heading(page)).to_have_text("Internal Medicine")
    expect(page.locator("#crgs")).to_contain_text("Cardiac Services")
    a11y.strict(page)
    shot(page, "national-3-board")
    assert ClinicalReferenceGroup.objects.get().seats.count() == 4


def test_a_hub_officer_nominates_through_a_held_meeting(
    page, national_admin, nec_hub_officer, sign_in, a11y
):
    crg = cardiac(national_admin)
    meeting = held_meeting(make_group(by=nec_hub_officer), nec_hub_officer)
    sign_in(page, nec_hub_officer)
    to_national(page, a11y)
    page.locator("#crgs").get_by_role("link", name="Cardiac Services").click()
    expect(heading(page)).to_have_text("Cardiac Services")
    a11y.strict(page)
    page.get_by_role("link", name="Nominate to the North seat").click()
    expect(heading(page)).to_have_text("Nominate to the North seat of Cardiac Services")
    a11y.strict(page)
    page.get_by_label("Held meeting at which the group nominated").select_option(str(meeting.pk))
    page.get_by_label("Nominee's name").fill("Dr Priya Nair")
    page.get_by_label("Job title").fill("GP clinical lead")
    page.get_by_label("CCG or ICB").select_option("00P")
    page.get_by_label("Email").fill("priya.nair@example.nhs.uk")
    page.get_by_label("Term starts").fill("2016-04-01")
    page.get_by_label("Term ends").fill("2015-03-31")
    page.get_by_role("button", name="Send the nomination").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The term must end")
    a11y.strict(page)
    shot(page, "national-4-nominate-error")
    assert not Nomination.objects.exists()
    page.get_by_label("Term ends").fill("2019-03-31")
    page.get_by_role("button", name="Send the nomination").click()
    expect(heading(page)).to_have_text("Cardiac Services")
    expect(page.locator("#nominations")).to_contain_text("Awaiting decision")
    a11y.strict(page)
    assert Nomination.objects.get().seat == crg.seats.get(region__slug="north")


def test_a_national_admin_accepts_a_nomination(
    page, live_server, national_admin, nec_hub_officer, sign_in, a11y
):
    crg = cardiac(national_admin)
    meeting = held_meeting(make_group(by=nec_hub_officer), nec_hub_officer)
    nominate(crg.seats.get(region__slug="north"), meeting, nec_hub_officer)
    sign_in(page, national_admin)
    page.goto(live_server.url + crg.get_absolute_url())
    expect(heading(page)).to_have_text("Cardiac Services")
    a11y.strict(page)
    page.get_by_role("button", name="Accept Dr Priya Nair").click()
    expect(page.locator("body")).to_contain_text("Dr Priya Nair holds the seat for the term.")
    a11y.strict(page)
    page.locator("#id_on").fill("2017-01-01")
    page.get_by_role("button", name="Show", exact=True).click()
    north = page.locator("#crg-seats tbody tr").filter(has_text="North")
    expect(north).to_contain_text("Dr Priya Nair")
    expect(north).to_contain_text("1 April 2016 to 31 March 2019")
    a11y.strict(page)
    shot(page, "national-5-accepted")
    assert SeatTerm.objects.count() == 1


def test_the_north_regional_team_sees_its_vacancies(
    page, national_admin, nec_hub_officer, north_reviewer, sign_in, a11y
):
    crg = cardiac(national_admin)
    meeting = held_meeting(make_group(by=nec_hub_officer), nec_hub_officer)
    done = nominate(crg.seats.get(region__slug="north"), meeting, nec_hub_officer)
    services.nomination_accept(by=national_admin, nomination=done, version=1)
    services.crg_create(
        by=national_admin, name="Renal Services", programme=programme(), with_seats=True
    )
    sign_in(page, north_reviewer)
    to_national(page, a11y)
    page.get_by_role("link", name="CRG seats filled and vacant by region").click()
    expect(heading(page)).to_have_text("CRG seats: North region")
    a11y.strict(page)
    page.locator("#id_on").fill("2017-01-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(heading(page)).to_have_text("CRG seats: North region")
    rows = page.locator("#seat-table tbody tr")
    expect(rows.filter(has_text="Cardiac Services")).to_contain_text("Dr Priya Nair")
    expect(rows.filter(has_text="Renal Services")).to_contain_text("Vacant")
    a11y.strict(page)
    page.get_by_role("link", name="Vacancies", exact=True).click()
    expect(rows.first).to_contain_text("Renal Services")
    a11y.strict(page)
    shot(page, "national-6-seats")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("crg-seats-")
