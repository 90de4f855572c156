"""Consultations on CRG drafts (issue 17, "What to build" 3; seed 000 §3.4, "Enabling greater
CCG clinical input into specialised service national policy development"), in a real browser,
with no axe-core violation at all on the new pages.

A national admin opens a consultation on a draft version of the Cardiac Services CRG's
specification (a closing date in the past is refused beside the field); a hub officer finds it
on My work and answers it for the North East and Cumbria group ("answering a consultation");
the national admin then sees the response by hub and region, and downloads them.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from national import consultations, services
from national.models import Consultation, ConsultationResponse
from tests.factories import make_group
from tests.national.conftest import programme

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")
TITLE = "Adult cardiac surgery: draft specification"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def cardiac_draft(admin):
    crg = services.crg_create(
        by=admin, name="Cardiac Services", programme=programme(), with_seats=True
    )
    services.document_add(
        by=admin,
        crg=crg,
        title="Adult cardiac surgery specification",
        kind="specification",
        file=SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft"),
    )
    return crg


def test_a_national_admin_opens_a_consultation(page, live_server, national_admin, sign_in, a11y):
    crg = cardiac_draft(national_admin)
    today = timezone.localdate()
    sign_in(page, national_admin)
    page.goto(live_server.url + crg.get_absolute_url())
    expect(heading(page)).to_have_text("Cardiac Services")
    a11y.strict(page)
    page.locator("#crg-consultations").get_by_role("link", name="Open a consultation").click()
    expect(heading(page)).to_have_text("Open a consultation for Cardiac Services")
    a11y.strict(page)
    page.get_by_label("Document version consulted on").select_option(
        label="Adult cardiac surgery specification, version 1 (Service specification)"
    )
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Minimum volumes for surgical units.")
    page.get_by_label("What feedback is sought").fill("Are the volumes achievable?")
    page.get_by_label("Closing date").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Open the consultation").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("is in the past")
    expect(page.locator("#id_closes_on_error")).to_contain_text("is in the past")
    a11y.strict(page)
    shot(page, "consultation-1-open-error")
    assert not Consultation.objects.exists()
    page.get_by_label("Closing date").fill((today + datetime.timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Open the consultation").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("body")).to_contain_text("Consultation opened.")
    expect(page.locator("#consultation-state")).to_have_text("Open")
    a11y.strict(page)
    shot(page, "consultation-2-detail")
    page.get_by_role("link", name="Consultations", exact=True).click()
    expect(heading(page)).to_have_text("Consultations")
    expect(page.locator("#open-consultations")).to_contain_text(TITLE)
    a11y.strict(page)


def test_a_hub_officer_answers_a_consultation_and_the_national_team_sees_it(
    page, browser, live_server, national_admin, nec_hub_officer, london_hub_officer, sign_in, a11y
):
    crg = cardiac_draft(national_admin)
    group = make_group(by=nec_hub_officer)
    make_group(by=london_hub_officer, hub="london", name="London Oversight Group")
    today = timezone.localdate()
    consultation = consultations.consultation_open(
        by=national_admin,
        document_version=crg.documents.get().versions.get(),
        title=TITLE,
        summary="Minimum volumes for surgical units.",
        questions="Are the volumes achievable?",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=28),
    )

    # Answering a consultation: the hub officer finds it on My work.
    sign_in(page, nec_hub_officer)
    expect(page.locator(".app-consultations")).to_contain_text("respond by")
    page.locator(".app-consultations").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("#your-responses")).to_contain_text("Not responded yet")
    a11y.strict(page)
    page.get_by_role("link", name="Respond for NEC Oversight Group").click()
    expect(heading(page)).to_have_text(f"Respond: {TITLE}")
    a11y.strict(page)
    page.get_by_role("button", name="Send the response").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a position")
    a11y.strict(page)
    assert not ConsultationResponse.objects.exists()
    page.get_by_label("Supports the draft with changes").check()
    page.get_by_label("Response", exact=True).fill(
        "Our two units can meet the volumes by 2018 with a transition period."
    )
    page.get_by_role("button", name="Send the response").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("body")).to_contain_text("Response sent to the CRG's national team.")
    expect(page.locator("#your-responses")).to_contain_text("Supports the draft with changes")
    a11y.strict(page)
    shot(page, "consultation-3-answered")
    assert ConsultationResponse.objects.get().group == group

    # The national team sees it by hub and region.
    admin_page = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    try:
        sign_in(admin_page, national_admin)
        admin_page.goto(live_server.url + consultation.get_absolute_url())
        table = admin_page.locator("#responses-by-hub")
        nec = table.locator("tbody tr").filter(has_text="North East and Cumbria")
        expect(nec).to_contain_text("Supports the draft with changes")
        expect(nec).to_contain_text("NEC Oversight Group")
        london = table.locator("tbody tr").filter(has_text="London Oversight Group")
        expect(london).to_contain_text("Not responded")
        expect(admin_page.locator("body")).to_contain_text("transition period")
        check = a11y.strict
        check(admin_page)
        shot(admin_page, "consultation-4-by-hub")
        with admin_page.expect_download() as download:
            admin_page.get_by_role("link", name="Download the responses as CSV").click()
        assert download.value.suggested_filename == f"consultation-{consultation.pk}-responses.csv"
    finally:
        admin_page.context.close()
