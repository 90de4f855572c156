"""Representation agreed by both sides (issue 13, part 4), in a real browser with axe-core on
every page visited: a representative's lead confirms (or declines) a request on My work."""

import pytest
from playwright.sync_api import Page, expect

from hubs.models import CCG
from oversight import services
from oversight.models import CCGMembership
from oversight.services import Answer
from tests.factories import make_group

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def asked(nec_hub_officer, sunderland_lead):
    """The NEC group: Sunderland (00P) a member; South Tyneside (00N) asks Sunderland to
    represent it (its answer given at the workshop, recorded by the hub's staff)."""
    group = make_group(by=nec_hub_officer)
    ccgs = [CCG.objects.get(ods_code=c) for c in ("00P", "00N")]
    services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=ccgs)
    member = CCGMembership.objects.get(group=group, ccg=ccgs[0])
    services.membership_respond(
        by=sunderland_lead, membership=member, version=member.version, answer=Answer.ACCEPT
    )
    place = CCGMembership.objects.get(group=group, ccg=ccgs[1])
    return services.membership_respond(
        by=nec_hub_officer,
        membership=place,
        version=place.version,
        answer=Answer.REPRESENT,
        represented_by=ccgs[0],
        note="Agreed in principle at the March workshop.",
    )


def test_a_ccg_lead_confirms_a_request_on_my_work_and_coverage_changes(
    page, live_server, asked, sunderland_lead, sign_in, a11y
):
    group = asked.group
    sign_in(page, sunderland_lead)  # lands on My work (axe checked there)
    requests = page.locator(".app-representation-request")
    expect(requests).to_have_count(1)
    expect(requests).to_contain_text(
        "NHS South Tyneside CCG asks NHS Sunderland CCG to represent it in the NEC Oversight Group"
    )
    expect(requests).to_contain_text("Agreed in principle at the March workshop.")

    requests.get_by_role("link", name="NEC Oversight Group").click()
    expect(heading(page)).to_have_text("NEC Oversight Group")
    expect(page.locator("#coverage-heading")).to_have_text("CCG coverage: 1 of 11 (9%)")
    expect(page.locator("#ccg-places")).to_contain_text(
        "Representation requested from NHS Sunderland CCG"
    )
    expect(page.locator("#not-covered")).to_contain_text(
        "NHS South Tyneside CCG (representation requested)"
    )
    a11y(page)

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Confirm representing NHS South Tyneside CCG").click()
    expect(
        page.get_by_text("NHS Sunderland CCG now represents NHS South Tyneside CCG")
    ).to_be_visible()
    expect(page.locator(".app-representation-request")).to_have_count(0)
    expect(page.locator("#represents-00p")).to_contain_text(
        "NHS South Tyneside CCG, in the NEC Oversight Group"
    )
    a11y(page)
    asked.refresh_from_db()
    assert asked.status == CCGMembership.Status.REPRESENTED

    page.locator("#represents-00p").get_by_role("link", name="NEC Oversight Group").click()
    expect(heading(page)).to_have_text(group.name)
    expect(page.locator("#coverage-heading")).to_have_text("CCG coverage: 2 of 11 (18%)")
    expect(page.locator("#ccg-places")).to_contain_text("Represented by NHS Sunderland CCG")
    a11y(page)


def test_a_ccg_lead_declines_without_javascript(
    no_js_page, live_server, asked, sunderland_lead, sign_in, a11y
):
    page = no_js_page
    sign_in(page, sunderland_lead)
    page.get_by_label("Reason for declining to represent NHS South Tyneside CCG (optional)").fill(
        "We cannot take on another population this year"
    )
    page.get_by_role("button", name="Decline representing NHS South Tyneside CCG").click()
    expect(
        page.get_by_text("NHS Sunderland CCG declined to represent NHS South Tyneside CCG")
    ).to_be_visible()
    expect(page.locator(".app-representation-request")).to_have_count(0)
    a11y(page)
    asked.refresh_from_db()
    assert (asked.status, asked.represented_by) == (CCGMembership.Status.INVITED, None)

    page.goto(f"{live_server.url}{asked.group.get_absolute_url()}")
    expect(page.locator("#ccg-places")).to_contain_text(
        "NHS Sunderland CCG declined to represent it: We cannot take on another population"
    )
    a11y(page)
