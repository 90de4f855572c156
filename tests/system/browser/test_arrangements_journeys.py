"""The formal arrangements register (issue 16, "What to build" 3; seed 003, "Place Based
Commissioning Options"), in a real browser, with no axe-core violation at all on its pages.

Helen, the North East and Cumbria hub officer, records a cardiology pooled budget between NHS
England and NHS North East and North Cumbria ICB from 1 July 2022 (a pool without its services
is refused beside the field), adds both parties' contributions for 2022/23, uploads the signed
agreement and moves it proposed → agreed → live. Imogen, the ICB's lead, then reads it from the
system's page; Nadia, a national admin, finds it in the national view with its totals.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from arrangements.models import Arrangement
from tests.arrangements.conftest import PDF

pytestmark = pytest.mark.browser
NENC = "North East and North Cumbria ICS"
ICB = "NHS North East and North Cumbria Integrated Care Board"
TITLE = "Cardiology pooled budget"
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def to_the_arrangements(page: Page, a11y) -> None:
    """From My work: the footer's Organisation register, the systems, NENC, its arrangements."""
    page.get_by_role("contentinfo").get_by_role("link", name="Organisation register").click()
    a11y(page)
    page.get_by_role("link", name="Integrated care systems and their places").click()
    expect(heading(page)).to_have_text("Integrated care systems")
    a11y(page)
    page.get_by_role("link", name=NENC).click()
    expect(heading(page)).to_have_text(NENC)
    a11y(page)
    page.get_by_role("link", name="Formal arrangements in NENC").click()
    expect(heading(page)).to_have_text("Formal arrangements")
    a11y.strict(page)


def test_a_hub_officer_records_a_pool_through_to_live_and_the_icb_lead_reads_it(
    page, live_server, nec_hub_officer, nenc_icb_lead, national_admin, sign_in, a11y, tmp_path
):
    sign_in(page, nec_hub_officer)
    to_the_arrangements(page, a11y)
    page.get_by_role("button", name="Record an arrangement").or_(
        page.get_by_role("link", name="Record an arrangement")
    ).click()
    expect(heading(page)).to_have_text("Record a formal arrangement")
    a11y.strict(page)

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Pooled budget", exact=True).check()
    page.get_by_label(ICB).check()
    page.get_by_label("Section 13V pooled budget (NHS Act 2006)").check()
    page.get_by_label("Internal Medicine").check()
    page.get_by_label("Start date").fill("2022-07-01")
    page.get_by_label("Review date (optional)").fill("2023-06-01")
    page.get_by_label("Accountable officer (optional)", exact=True).fill("Alex Morgan")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_services_error")).to_contain_text(
        "A pooled budget needs the services it pools."
    )
    a11y.strict(page)
    assert not Arrangement.objects.exists()

    page.get_by_label("Services in scope").fill("Cardiac surgery; interventional cardiology")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("Arrangement recorded as proposed.")).to_be_visible()
    expect(page.locator("#parties")).to_contain_text(ICB)
    a11y.strict(page)

    for contributor, amount in (("NHS England", "1200000"), (ICB, "300000")):
        page.get_by_role("link", name="Add a contribution").click()
        expect(heading(page)).to_have_text("Add a contribution")
        a11y.strict(page)
        page.get_by_label("Contributor").select_option(label=contributor)
        page.get_by_label("Financial year").fill("2022")
        page.get_by_label("Amount (£)").fill(amount)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Contribution added.")).to_be_visible()
        a11y.strict(page)
    row = page.locator("#contributions tbody tr").filter(has_text="2022/23")
    expect(row).to_contain_text("£1,200,000")
    expect(row).to_contain_text("£1,500,000")

    agreement = tmp_path / "signed-agreement.pdf"
    agreement.write_bytes(PDF)
    page.get_by_role("link", name="Upload the signed agreement").click()
    expect(heading(page)).to_have_text("Upload the signed agreement")
    a11y.strict(page)
    page.get_by_label("Signed agreement (PDF or Word document)").set_input_files(agreement)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Signed agreement uploaded.")).to_be_visible()
    expect(page.locator("#agreements")).to_contain_text("Version 1: signed-agreement.pdf")
    a11y.strict(page)

    for status in ("Agreed", "Live"):
        page.get_by_role("link", name="Change the status").click()
        expect(heading(page)).to_have_text(f"Change the status of {TITLE}")
        a11y.strict(page)
        page.get_by_label(status, exact=True).check()
        page.get_by_role("button", name="Change the status").click()
        expect(page.get_by_text("Status changed.")).to_be_visible()
        a11y.strict(page)
    expect(page.locator("#history li")).to_have_count(3)
    expect(page.locator("#history")).to_contain_text("Live on")
    shot(page, "arrangements-1-detail")
    assert Arrangement.objects.get().status == "live"

    # Imogen, the ICB's lead, reads it from the system's page, and may change nothing.
    page.context.clear_cookies()
    sign_in(page, nenc_icb_lead)
    to_the_arrangements(page, a11y)
    expect(page.get_by_role("link", name="Record an arrangement")).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("#contributions")).to_contain_text("£300,000")
    expect(page.get_by_role("link", name="Change the status")).to_have_count(0)
    a11y.strict(page)

    # Nadia, a national admin, finds it in the national view with its totals.
    page.context.clear_cookies()
    sign_in(page, national_admin)
    to_the_arrangements(page, a11y)
    page.get_by_role("link", name="Formal arrangements in every system").click()
    expect(heading(page)).to_have_text("Formal arrangements")
    expect(page.locator("#by-kind")).to_contain_text("£1,500,000")
    expect(page.locator("#by-region")).to_contain_text("North")
    expect(page.locator("#arrangements")).to_contain_text(TITLE)
    a11y.strict(page)
    page.get_by_label("Status", exact=True).select_option("proposed")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#arrangements")).to_contain_text("No arrangement matches")
    a11y.strict(page)
    page.get_by_label("Status", exact=True).select_option("")
    page.get_by_role("button", name="Show").click()
    a11y.strict(page)
    shot(page, "arrangements-2-national")
