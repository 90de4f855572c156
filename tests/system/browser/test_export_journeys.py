"""The export form given a hub that does not exist (issue 14 §4), in a real browser with axe-core:
the form comes back (400) with the error beside the field, not a 500, and choosing a hub there
makes the export. The re-shown form is new in this issue: no axe violations at all."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from exports.models import Export

pytestmark = pytest.mark.browser

NEC = "north-east-and-cumbria"


def no_violations(page: Page) -> None:
    page.wait_for_load_state("load")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["impact"], v["help"]) for v in violations]


def test_a_hostile_hub_shows_the_export_form_again(
    page: Page, live_server, sign_in, a11y, nec_hub_officer
):
    sign_in(page, nec_hub_officer)
    page.goto(f"{live_server.url}/register/hubs/{NEC}/")
    a11y(page)
    # What a tampered page (or a hand-made request) would send.
    page.locator("input[name=hub]").evaluate("input => input.value = 'a b'")
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Download the footprint as a PDF").click()
    assert answer.value.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Download a hub's footprint as a PDF")
    expect(page.locator("#id_hub_error")).to_contain_text("Choose a hub")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a hub")
    no_violations(page)
    page.get_by_label("Hub").select_option(NEC)
    page.get_by_role("button", name="Download the footprint as a PDF").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North East and Cumbria")
    a11y(page)
    assert Export.objects.get().requested_by == nec_hub_officer
