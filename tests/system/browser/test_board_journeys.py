"""Strategy boards (issue 16, "What to build" 2; seed 003) in a real browser, with no axe-core
violation at all on the pages built for them (the board page, setting one up, carrying members
forward) and none serious or critical elsewhere.

The North's regional team sets up the North East and North Cumbria strategy board from the NEC
oversight group (a start date before the system existed is refused beside its field), carries a
member forward into the Central ICP's seat, removes another, and fills the finance seat, watching
the seed's gaps close. The ICB lead and the ICS lead then read the board and may change nothing.
"""

import datetime

import pytest
from playwright.sync_api import Page, expect

from hubs.models import CCG
from oversight.models import OversightGroup
from tests.factories import make_group
from tests.oversight.board_setup import S, add_member, make_board, place

pytestmark = pytest.mark.browser
BOARD = "NENC Specialised Commissioning Strategy Board"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def _scog(by):
    group = make_group(by=by)
    add_member(group, by, "Richard Barker", role="chair")
    add_member(
        group,
        by,
        "Dr Anna Lee",
        sector="ccg",
        org="NHS Sunderland CCG",
        ccg=CCG.objects.get(ods_code="00P"),
    )
    group.refresh_from_db()
    return group


def test_a_regional_team_sets_up_the_board_and_fills_its_seats(
    page, live_server, nec_hub_officer, north_reviewer, sign_in, a11y
):
    group = _scog(nec_hub_officer)
    sign_in(page, north_reviewer)
    page.goto(f"{live_server.url}{group.get_absolute_url()}")
    a11y(page)
    page.get_by_role("link", name="Set up the strategy board that succeeds this group").click()
    expect(heading(page)).to_have_text("Set up the strategy board that succeeds this group")
    a11y.strict(page)

    # The system did not exist before 1 April 2018: the refusal sits beside the date.
    page.get_by_label("The board starts on").fill("2018-03-01")
    page.get_by_role("button", name="Set up the board").click()
    expect(page.locator("#id_start_date_error")).to_contain_text("not open on 1 March 2018")
    a11y.strict(page)
    assert not OversightGroup.objects.filter(kind="strategy_board").exists()

    page.get_by_label("The board starts on").fill("2018-10-01")
    page.get_by_role("button", name="Set up the board").click()
    expect(heading(page)).to_have_text(BOARD)
    expect(page.locator("#predecessor")).to_contain_text("to 30 September 2018")
    expect(page.locator("#carried-pending")).to_contain_text("2 members")
    expect(page.locator("#seat-gaps")).to_contain_text("No representative of Central ICP")
    expect(page.locator("#seat-gaps")).to_contain_text("No finance representative")
    a11y.strict(page)

    # Dr Anna Lee (Sunderland, in the Central ICP) carries forward into its seat.
    page.get_by_role("link", name="Decide on Dr Anna Lee").click()
    expect(heading(page)).to_have_text("Carry forward Dr Anna Lee?")
    a11y.strict(page)
    page.get_by_label("Confirm: they join the board").check()
    page.get_by_label("Seat on the board (optional)").select_option("place")
    page.get_by_label("ICP area (for an ICP area's representative)").select_option(
        label="Central ICP"
    )
    page.get_by_role("button", name="Save the decision").click()
    expect(heading(page)).to_have_text(BOARD)
    expect(page.locator("#seat-gaps")).not_to_contain_text("Central ICP")
    expect(page.locator("#carried")).to_contain_text("Confirmed")
    a11y.strict(page)

    page.get_by_role("link", name="Decide on Richard Barker").click()
    page.get_by_label("Remove: they do not join the board").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#carried-pending")).to_have_count(0)
    a11y.strict(page)

    # The finance seat, filled by a new member from the first day.
    page.get_by_role("link", name="Add a member").click()
    a11y(page)
    page.get_by_label("Full name").fill("Frances Penny")
    page.get_by_label("Organisation", exact=True).fill("NHS England North")
    page.get_by_label("Seat on the board (optional)").select_option("finance")
    page.get_by_label("Member from").fill("2018-10-01")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text(BOARD)
    page.goto(f"{page.url.split('?')[0]}?on=2018-10-01")
    expect(page.locator("#seats-heading")).to_have_text("Seats on 1 October 2018: 2 of 12 filled")
    expect(page.locator("#seat-gaps")).not_to_contain_text("finance")
    a11y.strict(page)

    # The group it succeeded stays readable, and says so.
    page.locator("#predecessor").get_by_role("link").click()
    expect(page.locator("#successor")).to_contain_text(f"Succeeded by {BOARD}")
    a11y(page)


def test_the_icb_and_ics_leads_read_the_board(
    page, live_server, nec_hub_officer, north_reviewer, nenc_icb_lead, nenc_ics_lead, sign_in, a11y
):
    board = make_board(_scog(nec_hub_officer), north_reviewer)
    add_member(board, north_reviewer, "Frances Penny", seat=S.FINANCE)
    add_member(
        board,
        north_reviewer,
        "Dr Colin Price",
        seat=S.PLACE,
        place=place("North Cumbria"),
        start_date=datetime.date(2018, 10, 1),
    )
    for lead in (nenc_icb_lead, nenc_ics_lead):
        page.context.clear_cookies()
        sign_in(page, lead)
        if lead is nenc_ics_lead:
            page.get_by_role("link", name=BOARD).click()
        else:
            page.goto(f"{live_server.url}{board.get_absolute_url()}")
        expect(heading(page)).to_have_text(BOARD)
        expect(page.locator("#recommends-to")).to_contain_text("Regional Leadership Group (RLG)")
        expect(page.locator("#seat-gaps")).to_contain_text("No representative of Central ICP")
        expect(page.get_by_role("link", name="Add a member")).to_have_count(0)
        expect(page.get_by_role("link", name="Decide on Dr Anna Lee")).to_have_count(0)
        a11y.strict(page)
        forbidden = page.goto(f"{live_server.url}/groups/carried/{board.carried.first().pk}/")
        assert forbidden is not None
        assert forbidden.status == 403
