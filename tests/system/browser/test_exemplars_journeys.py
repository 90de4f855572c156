"""Exemplar pathway projects (issue 16 item 4; seed 003, "Cardiology pathway as an 'exemplar'
project" and "Next steps"), in a real browser, with no axe-core violation at all on the new
pages (everything under /exemplars/ and /register/systems/<id>/exemplars/).

Robert, of the North regional team, follows the register to the North East and North Cumbria
ICS and starts the cardiology exemplar under its strategy board, in a browser that runs no
JavaScript: a specialised service (adult congenital heart disease, in the Women and Children
Programme of Care, whose scope is "congenital and inherited diseases") and a non-specialised one
(the community heart failure service); a CCG representative (NHS County Durham CCG is refused:
it joined the system only in April 2020; NHS Sunderland CCG is taken); the Large Scale Change
scoping event in Leeds; version 1 of the scoping report (a PDF); and the recommendation to the
Joint CCG Committee. Then Ian, the ICS lead, reads it all and may change nothing.
"""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exemplars.models import Exemplar, Participant
from hubs.models import Hub, IntegratedCareSystem
from oversight.models import OversightGroup

pytestmark = pytest.mark.browser
NENC = "North East and North Cumbria ICS"
BOARD = "NENC Specialised Commissioning Strategy Board"
TITLE = "Cardiology pathway exemplar"
LSC = "Scoping at the Large Scale Change event, Leeds"
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def save(page: Page) -> None:
    page.get_by_role("button", name="Save").click()


@pytest.fixture
def board(register) -> OversightGroup:
    return OversightGroup.objects.create(
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name=BOARD,
        kind="strategy_board",
        system=IntegratedCareSystem.objects.get(short_name="NENC"),
        start_date=datetime.date(2018, 6, 1),
    )


def to_the_exemplars(page: Page, a11y) -> None:
    """From My work: the register, its systems, NENC, then its exemplar projects."""
    page.get_by_role("contentinfo").get_by_role("link", name="Organisation register").click()
    a11y(page)
    page.get_by_role("link", name="Integrated care systems and their places").click()
    a11y(page)
    page.get_by_role("link", name=NENC).click()
    expect(heading(page)).to_have_text(NENC)
    a11y(page)
    page.locator("#place-based-work").get_by_role("link", name="Exemplar projects").click()
    expect(heading(page)).to_have_text("Exemplar projects")
    a11y.strict(page)


def test_the_region_runs_the_cardiology_exemplar_and_the_ics_lead_reads_it(
    no_js_page, page, live_server, north_reviewer, nenc_ics_lead, board, sign_in, a11y, tmp_path
):
    robert = no_js_page
    sign_in(robert, north_reviewer)
    to_the_exemplars(robert, a11y)
    expect(robert.locator("#exemplars")).to_contain_text("No exemplar projects yet.")

    # Start the project under the strategy board.
    robert.get_by_role("link", name="Start an exemplar project").click()
    expect(heading(robert)).to_have_text("Start an exemplar project")
    a11y.strict(robert)
    robert.get_by_label("Title").fill(TITLE)
    robert.get_by_label("Care pathway").fill("Cardiology")
    robert.get_by_label("Scope (optional)").fill(
        "Proof of principle: the specialised and non-specialised cardiology services as one"
        " pathway, and whether a more formal place-based arrangement would serve it."
    )
    robert.get_by_label("Start date").fill("2018-07-01")
    robert.get_by_label("Overseen by (optional)").select_option(label=BOARD)
    save(robert)
    expect(heading(robert)).to_have_text("Exemplar projects")
    expect(robert.get_by_text("Exemplar project started.")).to_be_visible()
    row = robert.locator("#exemplars tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("Scoping")
    expect(row).to_contain_text("1 July 2018")
    a11y.strict(robert)
    row.get_by_role("link", name=TITLE).click()
    expect(heading(robert)).to_have_text(TITLE)
    expect(robert.locator("#facts")).to_contain_text(BOARD)
    a11y.strict(robert)

    # A specialised service without its Programme of Care is refused beside the field.
    robert.get_by_role("link", name="Add a service").click()
    expect(heading(robert)).to_have_text("Add a service on the pathway")
    a11y.strict(robert)
    robert.get_by_label("Name of the service").fill("Adult congenital heart disease")
    robert.get_by_label("Specialised (NHS England)").check()
    save(robert)
    expect(robert.locator("#id_programme_error")).to_contain_text("Choose the Programme of Care")
    a11y.strict(robert)
    shot(robert, "exemplars-1-service-error")
    robert.get_by_label("Programme of Care (specialised services)").select_option(
        label="Women and Children"
    )
    save(robert)
    expect(robert.get_by_text("Service added to the pathway.")).to_be_visible()
    a11y.strict(robert)
    robert.get_by_role("link", name="Add a service").click()
    a11y.strict(robert)
    robert.get_by_label("Name of the service").fill("Community heart failure service")
    robert.get_by_label("Non-specialised (locally)").check()
    save(robert)
    expect(robert.locator("#specialised")).to_contain_text("Adult congenital heart disease")
    expect(robert.locator("#specialised")).to_contain_text("Women and Children")
    expect(robert.locator("#non-specialised")).to_contain_text("Community heart failure service")
    a11y.strict(robert)

    # A CCG representative: County Durham CCG was not in the system in September 2018.
    robert.get_by_role("link", name="Add a participant").click()
    expect(heading(robert)).to_have_text("Add a participant")
    a11y.strict(robert)
    robert.get_by_label("Name").fill("Dr Asha Patel")
    robert.get_by_label("Role on the project").fill("CCG representative for scoping")
    robert.get_by_label("Represents a commissioner of the system (optional)").select_option(
        label="NHS County Durham CCG (84H)"
    )
    robert.get_by_label("Joined on").fill("2018-09-26")
    save(robert)
    expect(robert.locator("#id_commissioner_error")).to_contain_text(
        "NHS County Durham CCG was not in North East and North Cumbria ICS on 26 September 2018"
    )
    a11y.strict(robert)
    shot(robert, "exemplars-2-participant-error")
    assert not Participant.objects.exists()
    robert.get_by_label("Represents a commissioner of the system (optional)").select_option(
        label="NHS Sunderland CCG (00P)"
    )
    save(robert)
    expect(robert.get_by_text("Participant added.")).to_be_visible()
    expect(robert.locator("#participants")).to_contain_text("NHS Sunderland CCG")
    a11y.strict(robert)

    # The Large Scale Change scoping event (26 and 27 September 2018): long past, not done.
    robert.get_by_role("link", name="Add a milestone").click()
    a11y.strict(robert)
    robert.get_by_label("Milestone").fill(LSC)
    robert.get_by_label("Due on").fill("2018-09-26")
    robert.get_by_label("Note (optional)").fill("26 and 27 September 2018")
    save(robert)
    milestone = robert.locator("#milestones tbody tr").filter(has_text=LSC)
    expect(milestone).to_contain_text("26 September 2018")
    expect(milestone).to_contain_text("Overdue")
    a11y.strict(robert)

    # Version 1 of the scoping report: a PDF.
    report = tmp_path / "cardiology-scoping-report.pdf"
    report.write_bytes(PDF_BYTES)
    robert.get_by_role("link", name="Add a version of the scoping report").click()
    expect(heading(robert)).to_have_text("Add a version of the scoping report")
    a11y.strict(robert)
    robert.get_by_label("Report file").set_input_files(str(report))
    robert.get_by_label("What this version changes").fill("First version")
    save(robert)
    expect(robert.get_by_text("Scoping report version added.")).to_be_visible()
    expect(robert.locator("#report ~ .app-report-version").first).to_contain_text(
        "Version 1 (latest)"
    )
    a11y.strict(robert)

    # The recommendation to the Joint CCG Committee.
    robert.get_by_role("link", name="Record a recommendation").click()
    expect(heading(robert)).to_have_text("Record a recommendation")
    a11y.strict(robert)
    robert.get_by_label("Joint CCG Committee", exact=True).check()
    robert.get_by_label("Recommendation").fill(
        "Explore a section 13V pooled budget for the whole cardiology pathway."
    )
    robert.get_by_label("Made on").fill("2019-01-15")
    save(robert)
    expect(robert.get_by_text("Recommendation recorded.")).to_be_visible()
    expect(robert.locator("#status")).to_have_text("Recommendation made")
    card = robert.locator(".app-recommendation")
    expect(card).to_contain_text("To the Joint CCG Committee, 15 January 2019")
    expect(card).to_contain_text("Awaiting decision")
    a11y.strict(robert)
    shot(robert, "exemplars-3-detail-writer")
    exemplar = Exemplar.objects.get(title=TITLE)
    assert exemplar.status == "recommended"
    assert exemplar.board == board

    # Ian, the ICS lead, reads it all and is offered no change.
    sign_in(page, nenc_ics_lead)
    to_the_exemplars(page, a11y)
    expect(page.get_by_role("link", name="Start an exemplar project")).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("#specialised")).to_contain_text("Adult congenital heart disease")
    expect(page.locator("#participants")).to_contain_text("Dr Asha Patel")
    expect(page.locator(".app-recommendation")).to_contain_text("Joint CCG Committee")
    expect(
        page.get_by_role("link", name="Download version 1 of the scoping report")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Add a service")).to_have_count(0)
    expect(page.get_by_role("link", name="Record the decision")).to_have_count(0)
    expect(page.locator("#history")).to_be_visible()
    a11y.strict(page)
    shot(page, "exemplars-4-detail-reader")
    response = page.goto(f"{live_server.url}/exemplars/{exemplar.pk}/services/new/")
    assert response is not None
    assert response.status == 403
