"""Oversight group journeys in a real browser, with axe-core on every page visited."""

import pytest
from playwright.sync_api import Page, expect

from hubs.models import CCG
from oversight import services
from oversight.models import CCGMembership
from tests.factories import make_group

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_hub_staff_set_up_the_group_and_invite_ccgs(
    page, live_server, nec_hub_officer, sunderland_lead, sign_in, a11y, mailoutbox
):
    sign_in(page, nec_hub_officer)
    page.get_by_role("link", name="Set up the North East and Cumbria oversight group").click()
    expect(heading(page)).to_have_text("Set up the oversight group")
    a11y(page)
    page.locator("#id_name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_name_error")).to_contain_text("Enter the group's name")
    a11y(page)
    page.locator("#id_name").fill("North East and Cumbria Oversight Group")
    page.locator("#id_start_date").fill("2015-04-01")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("North East and Cumbria Oversight Group")
    expect(page.locator("#coverage-heading")).to_have_text("CCG coverage: 0 of 11 (0%)")
    a11y(page)

    page.get_by_role("button", name="Invite all 11 CCGs not yet invited").click()
    expect(page.get_by_text("Invited 11 CCGs")).to_be_visible()
    expect(page.locator("#ccg-places")).to_contain_text("NHS Sunderland CCG")
    a11y(page)
    assert [m.to for m in mailoutbox] == [[sunderland_lead.email]]

    page.get_by_role("link", name="Add a member").click()
    a11y(page)
    page.locator("#id_full_name").fill("Dr Asha Rao")
    page.locator("#id_organisation").fill("NHS England North")
    page.locator("#id_role").select_option("chair")
    page.locator("#id_start_date").fill("2015-04-01")
    page.locator("#id_end_date").fill("2015-03-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_end_date_error")).to_contain_text("on or after the start date")
    a11y(page)
    page.locator("#id_end_date").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#members")).to_contain_text("Dr Asha Rao")
    expect(page.locator("#members")).to_contain_text("Chair")

    page.get_by_role("link", name="History").click()
    expect(page.locator("table")).to_contain_text("CCG invited")
    a11y(page)

    page.go_back()
    page.get_by_role("link", name="RACI matrix").click()
    page.get_by_role("button", name="Start from the default matrix").click()
    expect(page.locator("#raci")).to_contain_text("Decide service change or reconfiguration")
    a11y(page)
    page.get_by_label("Contract with providers — NHS England regional team").select_option("R")
    page.get_by_role("button", name="Save the matrix").click()
    expect(page.get_by_text("No one accountable")).to_be_visible()
    a11y(page)


def test_ccg_lead_accepts_and_another_nominates_representation(
    page, live_server, nec_hub_officer, sunderland_lead, sign_in, a11y
):
    group = make_group(by=nec_hub_officer)
    ccgs = [CCG.objects.get(ods_code=c) for c in ("00P", "00N")]
    services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=ccgs)
    # The same lead also answers for South Tyneside (00N) in this journey.
    from accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=sunderland_lead, role=Role.CCG_LEAD, ccg=ccgs[1])

    sign_in(page, sunderland_lead)
    invitations = page.locator(".app-invitation")
    expect(invitations).to_have_count(2)
    page.get_by_role("link", name="Answer the invitation").first.click()
    expect(heading(page)).to_contain_text("Your place in the NEC Oversight Group")
    a11y(page)
    page.get_by_label("Join the group as a member").check()
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("NHS Sunderland CCG's answer is recorded")).to_be_visible()
    a11y(page)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Answer the invitation").click()
    page.get_by_label("Be represented by another CCG that is a member").check()
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("#id_represented_by_error")).to_contain_text(
        "Choose the CCG that will represent you"
    )
    a11y(page)
    page.get_by_label("Be represented by another CCG that is a member").check()
    page.locator("#id_represented_by").select_option("00P")
    page.get_by_role("button", name="Send answer").click()
    # Asked, not yet agreed (issue 13): not covered until Sunderland's lead confirms.
    expect(page.locator("#coverage-heading")).to_have_text("CCG coverage: 1 of 11 (9%)")
    expect(page.locator("#ccg-places")).to_contain_text(
        "Representation requested from NHS Sunderland CCG"
    )
    a11y(page)
    south_tyneside = CCGMembership.objects.get(group=group, ccg__ods_code="00N")
    assert south_tyneside.represented_by.ods_code == "00P"

    page.get_by_role("link", name="Withdraw NHS Sunderland CCG").click()
    expect(page.locator("#representation-warning")).to_contain_text("NHS South Tyneside CCG")
    a11y(page)
