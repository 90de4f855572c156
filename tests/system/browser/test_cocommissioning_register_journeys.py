"""Co-commissioning's register pages in a real browser with axe-core (issue 15, "What to build"
1, 3 and 6; seed 002): the arrangements table on a date, filtered, sorted and downloaded; the
application windows; a CCG recording greater involvement and keeping its register of
interests; another CCG reading it. Every page here is new: no axe violation at all."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from cocommissioning.models import ApplicationWindow, Arrangement, Interest, Model
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from tests.factories import make_user

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp")  # noqa: S108


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"co-register-{name}.png", full_page=True)


@pytest.fixture
def arrangements(register):
    sunderland = CCG.objects.get(ods_code="00P")
    barking = CCG.objects.get(ods_code="07L")
    Arrangement.objects.create(
        ccg=sunderland,
        model=Model.DELEGATED,
        valid_from=datetime.date(2015, 4, 1),
        functions=["gms_pms", "enhanced"],
    )
    Arrangement.objects.create(ccg=barking, model=Model.JOINT, valid_from=datetime.date(2016, 4, 1))


def test_a_national_admin_reads_filters_sorts_downloads_and_adds_a_window(
    page: Page, live_server, sign_in, a11y, national_admin, arrangements
):
    windows_seed()
    sign_in(page, national_admin)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="All services").click()
    page.get_by_role("main").get_by_role("link", name="Co-commissioning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arrangements on")
    a11y.strict(page)
    page.get_by_role("link", name="1 April 2016").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrangements on 1 April 2016")
    expect(page.locator("#counts")).to_contain_text("Joint commissioning")
    a11y.strict(page)
    shot(page, "table")
    # Filter: London, joint.
    page.get_by_label("Region").select_option("london")
    page.get_by_label("Model").select_option("joint")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#arrangements tbody tr")).to_have_count(1)
    expect(page.locator("#arrangements tbody")).to_contain_text("NHS Barking and Dagenham CCG")
    a11y.strict(page)
    # Sort: all models in the region, by CCG name, descending.
    page.get_by_label("Model").select_option("")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=re.compile("^CCG")).click()  # ascending already: descending
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    names = page.locator("#arrangements tbody tr td:first-child a").all_inner_texts()
    assert names == sorted(names, reverse=True)
    assert len(names) > 10
    a11y.strict(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == "co-commissioning-arrangements-2016-04-01.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert rows[0][:3] == ["CCG", "ODS code", "Model"]
    assert {r[5] for r in rows[1:]} == {"London"}
    assert [r[0] for r in rows[1:]] == names  # the same filters, date and order
    assert next(r for r in rows if r[1] == "07L")[2] == "Joint commissioning"
    # The windows: add one, first with a mistake shown beside its field.
    page.get_by_role("link", name="Application windows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application windows")
    expect(page.locator("#windows")).to_contain_text("Seed 002, Implementation timetable")
    a11y.strict(page)
    shot(page, "windows")
    page.get_by_label("Delegated commissioning").check()
    page.get_by_label("Go-live date").fill("1 April 2017")
    page.get_by_label("Proposals due by").fill("1/5/2017")
    page.get_by_role("button", name="Add the window").click()
    expect(page.locator("#id_submit_by_error")).to_contain_text("due before the go-live date")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    a11y.strict(page)
    shot(page, "windows-error")
    page.get_by_label("Proposals due by").fill("2016-06-01")
    page.get_by_label("Source").fill("Letter to CCGs, 2016")
    page.get_by_role("button", name="Add the window").click()
    expect(page.get_by_text("Application window added.")).to_be_visible()
    expect(page.locator("#windows")).to_contain_text("Letter to CCGs, 2016")
    a11y.strict(page)
    assert ApplicationWindow.objects.filter(go_live_on=datetime.date(2017, 4, 1)).exists()


def test_a_ccg_lead_records_greater_involvement_and_keeps_the_register(
    page: Page, browser, live_server, sign_in, a11y, sunderland_lead
):
    sign_in(page, sunderland_lead)
    page.goto(f"{live_server.url}/register/ccgs/00P/")
    expect(page.locator("#co-commissioning")).to_be_visible()
    a11y(page)
    shot(page, "register-ccg")
    page.get_by_role("link", name="Co-commissioning arrangements through time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS Sunderland CCG")
    a11y.strict(page)
    page.get_by_label("Greater involvement from").fill("2014-10-01")
    page.get_by_role("button", name="Record greater involvement").click()
    expect(page.get_by_text("Greater involvement recorded.")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("1 October 2014")
    a11y.strict(page)
    shot(page, "ccg")
    assert Arrangement.objects.get(ccg__ods_code="00P").model == Model.GREATER_INVOLVEMENT
    # The register of interests: an entry, first with its description missing.
    page.get_by_role("link", name="Register of interests").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of interests")
    a11y.strict(page)
    page.get_by_role("link", name="Add an interest").click()
    a11y.strict(page)
    page.get_by_label("Name").fill("Dr Asha Rao")
    page.get_by_label("Position").fill("GP member, governing body")
    page.get_by_label("Financial", exact=True).check()
    page.get_by_label("Interest from").fill("2015-04-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_description_error")).to_contain_text("Describe the interest")
    a11y.strict(page)
    shot(page, "interest-error")
    page.get_by_label("Description of the interest").fill("Partner at Riverside Surgery")
    page.get_by_label("How it is managed").fill("Excluded from decisions on GMS contracts")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Interest added to the register.")).to_be_visible()
    expect(page.locator("#interests")).to_contain_text("Dr Asha Rao")
    a11y.strict(page)
    shot(page, "interests-keeper")
    assert Interest.objects.get().ccg.ods_code == "00P"

    # Another CCG's lead reads the register, with no controls to change it.
    barking_lead = make_user(
        "bea@example.nhs.uk", "Bea Grant", (Role.CCG_LEAD, CCG.objects.get(ods_code="07L"))
    )
    other = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    try:
        sign_in(other, barking_lead)
        other.goto(f"{live_server.url}/co-commissioning/ccgs/00P/interests/")
        expect(other.locator("#interests")).to_contain_text("Dr Asha Rao")
        expect(other.get_by_role("link", name="Add an interest")).to_have_count(0)
        expect(other.get_by_role("link", name="Change the entry for Dr Asha Rao")).to_have_count(0)
        a11y.strict(other)
        shot(other, "interests-reader")
        other.goto(f"{live_server.url}/co-commissioning/ccgs/00P/")
        expect(other.get_by_role("button", name="Record greater involvement")).to_have_count(0)
        a11y.strict(other)
    finally:
        other.context.close()
