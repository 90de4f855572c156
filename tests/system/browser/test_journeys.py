"""One journey per role, in a real browser, with axe-core run on every page visited."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def error_summary(page: Page):
    return page.locator(".nhsuk-error-summary")


def expect_field_error(page: Page, field_id: str, message: str) -> None:
    """The message sits next to the field, and the field points screen readers at it."""
    error = page.locator(f"#{field_id}_error")
    expect(error).to_contain_text(message)
    expect(page.locator(f"#{field_id}")).to_have_attribute(
        "aria-describedby", re.compile(rf"(^|\s){field_id}_error(\s|$)")
    )
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    expect(error_summary(page).get_by_role("link", name=message)).to_have_attribute(
        "href", f"#{field_id}"
    )


def test_anonymous_visitor_signs_in_or_resets_password(
    page, live_server, roleless_user, a11y, mailoutbox
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(heading(page)).to_have_text("Sign in to Collaborative Commissioning")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    a11y(page)

    # Nothing entered: an error summary, and each message next to its field.
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(error_summary(page)).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Sign in - Error - "))
    expect_field_error(page, "id_username", "Enter your email address")
    expect_field_error(page, "id_password", "Enter your password")
    a11y(page)

    # A real account, the wrong password.
    page.locator("#id_username").fill(roleless_user.email)
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(error_summary(page)).to_contain_text(
        "Enter a correct email address and password. The password is case-sensitive."
    )
    expect(heading(page)).to_have_text("Sign in to Collaborative Commissioning")
    expect(page.locator("#id_username")).to_have_value(roleless_user.email)
    a11y(page)

    page.get_by_role("link", name="Forgotten your password?").click()
    expect(heading(page)).to_have_text("Reset your password")
    a11y(page)

    page.get_by_role("button", name="Email me a link", exact=True).click()
    expect(error_summary(page)).to_contain_text("There is a problem")
    expect_field_error(page, "id_email", "Enter your email address")
    a11y(page)

    page.locator("#id_email").fill(roleless_user.email)
    page.get_by_role("button", name="Email me a link", exact=True).click()
    expect(heading(page)).to_have_text("Check your email")
    expect(page.get_by_role("link", name="Back to sign in")).to_be_visible()
    a11y(page)
    assert [m.to for m in mailoutbox] == [[roleless_user.email]]


def test_national_admin_explores_england_and_manages_a_role(
    page, live_server, national_admin, sign_in, a11y, mailoutbox
):
    sign_in(page, national_admin)
    panel = page.locator(".app-role-panel")
    expect(panel).to_have_count(1)
    expect(panel.get_by_role("heading", level=2)).to_have_text("National admin: England")

    panel.get_by_role("link", name="England overview: regions, hubs and CCGs").click()
    expect(heading(page)).to_have_text("Specialised commissioning in England")
    expect(page.locator("#stat-regions .app-stat__number")).to_have_text("4")
    expect(page.locator("#stat-hubs .app-stat__number")).to_have_text("10")
    expect(page.locator("#stat-footprint .app-stat__number")).to_have_text("211")
    expect(page.locator("#stat-footprint")).to_contain_text("CCGs in the 2015 footprints")
    a11y(page)

    # Region, then hub, then CCG, each by its link.
    page.get_by_role("heading", level=2).get_by_role("link", name="North", exact=True).click()
    expect(heading(page)).to_have_text("North")
    expect(page.get_by_role("table").get_by_role("link")).to_have_text(
        ["North East and Cumbria", "North West", "Yorkshire and Humber"]
    )
    a11y(page)

    page.get_by_role("link", name="North East and Cumbria").click()
    expect(heading(page)).to_have_text("North East and Cumbria")
    # Today the hub's footprint is one ICB; its CCGs are listed as closed, each linked.
    expect(page.locator("#footprint-count")).to_have_text("1 ICB")
    a11y(page)

    page.get_by_role("link", name="NHS Sunderland CCG").first.click()
    expect(heading(page)).to_have_text("NHS Sunderland CCG")
    expect(page.locator(".nhsuk-summary-list").first).to_contain_text("00P")
    # Its primary care co-commissioning model on its last day (issue 15).
    expect(page.get_by_text("Model on 30 June 2022")).to_be_visible()
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text(
        "Functions passed to NHS North East and North Cumbria Integrated Care Board"
    )
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(
        "North East and Cumbria"
    )
    a11y(page)

    # People and roles, from the header's All services (issue 18: at most seven header links).
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="All services").click()
    page.get_by_role("main").get_by_role("link", name="People and roles").click()
    expect(heading(page)).to_have_text("People and roles")
    expect(page.get_by_role("table")).to_contain_text("Nadia Shah")
    a11y(page)

    page.get_by_role("link", name="Give someone a role").click()
    expect(heading(page)).to_have_text("Give someone a role")
    a11y(page)

    page.get_by_role("button", name="Give role", exact=True).click()
    expect(error_summary(page)).to_contain_text("There is a problem")
    expect_field_error(page, "id_email", "Enter the person's email address")
    expect_field_error(page, "id_role", "Choose a role")
    a11y(page)

    page.locator("#id_email").fill("priya@example.nhs.uk")
    page.locator("#id_full_name").fill("Priya Kaur")
    page.locator("#id_role").select_option(label="Hub staff")
    page.locator("#id_hub").select_option(label="London")
    page.get_by_role("button", name="Give role", exact=True).click()

    expect(heading(page)).to_have_text("Priya Kaur")
    expect(page.get_by_role("status")).to_contain_text("Priya Kaur is now Hub staff, London.")
    role_row = page.get_by_role("row").filter(has_text="Hub staff, London")
    expect(role_row).to_have_count(1)
    expect(role_row).to_contain_text("Current")
    expect(role_row).to_contain_text("by Nadia Shah")
    a11y(page)
    assert [m.to for m in mailoutbox] == [["priya@example.nhs.uk"]]

    role_row.get_by_role("link", name="End role: Hub staff, London").click()
    expect(heading(page)).to_have_text("End Priya Kaur's role as Hub staff, London?")
    a11y(page)

    page.get_by_role("button", name="End role", exact=True).click()
    expect(heading(page)).to_have_text("Priya Kaur")
    expect(page.get_by_role("status")).to_contain_text("Ended: Hub staff, London for Priya Kaur.")
    role_row = page.get_by_role("row").filter(has_text="Hub staff, London")
    expect(role_row).not_to_contain_text("Current")
    expect(role_row).to_contain_text("by Nadia Shah")
    expect(role_row.get_by_role("link", name=re.compile("^End"))).to_have_count(0)
    a11y(page)


def test_regional_team_sees_its_regions_hubs(page, live_server, north_reviewer, sign_in, a11y):
    sign_in(page, north_reviewer)
    panel = page.locator(".app-role-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Regional team: North")
    expect(panel.get_by_role("listitem").get_by_role("link")).to_have_text(
        ["North East and Cumbria", "North West", "Yorkshire and Humber"]
    )
    expect(panel.get_by_role("listitem")).to_contain_text([re.compile(r"\(\d+ ICBs?\)")] * 3)
    expect(page.get_by_role("navigation", name="Menu")).not_to_contain_text("People and roles")

    panel.get_by_role("link", name="North region in the register").click()
    expect(page).to_have_url(f"{live_server.url}/register/regions/north/")
    expect(heading(page)).to_have_text("North")
    expect(page.get_by_text(re.compile(r"^3 hubs and \d+ (CCGs|ICBs) on "))).to_be_visible()
    expect(page.get_by_role("table").get_by_role("link")).to_have_text(
        ["North East and Cumbria", "North West", "Yorkshire and Humber"]
    )
    a11y(page)


def test_hub_staff_sees_the_footprint_change_over_time(
    page, live_server, nec_hub_officer, sign_in, a11y
):
    sign_in(page, nec_hub_officer)
    panel = page.locator(".app-role-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Hub staff: North East and Cumbria")

    panel.get_by_role("link", name="North East and Cumbria", exact=True).click()
    expect(heading(page)).to_have_text("North East and Cumbria")
    a11y(page)

    # A date before CCGs existed is refused beside the field.
    page.locator("#id_on").fill("1 April 2012")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(error_summary(page)).to_contain_text("There is a problem")
    expect_field_error(page, "id_on", "Enter a date on or after 1 April 2013")
    a11y(page)

    # The day before the 2015 mergers.
    page.locator("#id_on").fill("2015-03-31")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?on=2015-03-31$"))
    expect(error_summary(page)).to_have_count(0)
    expect(page.locator("#footprint-count")).to_have_text("13 CCGs")
    footprint = page.get_by_role("table")
    expect(footprint.get_by_role("link", name="NHS Gateshead CCG", exact=True)).to_be_visible()
    expect(footprint.get_by_role("cell", name="13T", exact=True)).to_have_count(0)
    a11y(page)

    # A year later: the merged CCG, with where it came from.
    page.locator("#id_on").fill("2016-04-01")
    page.get_by_role("button", name="Show", exact=True).click()
    merged = page.get_by_role("row").filter(has_text="NHS Newcastle Gateshead CCG")
    expect(merged).to_contain_text("Formed from")
    expect(merged).to_contain_text("NHS Gateshead CCG")
    expect(page.locator("#footprint-count")).to_have_text("11 CCGs")
    a11y(page)

    page.get_by_role("listitem").filter(has_text="(00F)").get_by_role(
        "link", name="NHS Gateshead CCG", exact=True
    ).click()
    expect(page).to_have_url(f"{live_server.url}/register/ccgs/00F/")
    expect(heading(page)).to_have_text("NHS Gateshead CCG")
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("Closed organisation")
    succeeded = page.locator(".nhsuk-summary-list__row").filter(has_text="Succeeded by")
    expect(succeeded).to_contain_text("NHS Newcastle Gateshead CCG (13T) from 1 April 2015")
    a11y(page)


def test_ccg_lead_searches_and_is_kept_out_of_admin_pages(
    page, live_server, sunderland_lead, sign_in, a11y
):
    sign_in(page, sunderland_lead)
    panel = page.locator(".app-role-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text("CCG lead: NHS Sunderland CCG")
    expect(panel).to_contain_text("in the North East and Cumbria hub")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu).not_to_contain_text("People and roles")
    expect(menu).not_to_contain_text("Admin")

    menu.get_by_role("link", name="Search CCGs").click()
    expect(heading(page)).to_have_text("Search CCGs and ICBs")
    a11y(page)

    # NHS Sunderland CCG closed on 30 June 2022: search the register as on 1 April 2015.
    page.locator("#id_on").fill("2015-04-01")
    page.locator("#id_q").fill("00P")
    # With JavaScript, htmx fetches just the results (the no-JavaScript journey covers the rest).
    with page.expect_request(lambda r: "q=00P" in r.url and "hx-request" in r.headers):
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#result-count")).to_have_text(
        re.compile(r"^1 organisation found for “00P”")
    )
    results = page.locator("#ccg-results")
    expect(results.get_by_role("link", name="NHS Sunderland CCG")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=00P(&|$)"))
    a11y(page)

    response = page.goto(f"{live_server.url}/people/")
    assert response.status == 403
    expect(heading(page)).to_have_text("You do not have access to this page")
    expect(page.get_by_role("link", name="Go to My work")).to_be_visible()
    a11y(page)

    response = page.goto(f"{live_server.url}/register/ccgs/ZZZ/")
    assert response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    a11y(page)

    # Django's admin sends people it does not permit to its own sign-in page.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_text("Site administration")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("not authorized to access this page")
    a11y(page)


def test_ccg_search_works_without_javascript(
    no_js_page, live_server, sunderland_lead, sign_in, a11y
):
    page = no_js_page
    sign_in(page, sunderland_lead)

    page.goto(f"{live_server.url}/register/ccgs/")
    expect(heading(page)).to_have_text("Search CCGs and ICBs")
    a11y(page)

    page.locator("#id_q").fill("Newcastle")
    page.locator("#id_on").fill("2016-04-01")
    with page.expect_request(re.compile(r"/register/ccgs/\?q=Newcastle")) as search:
        page.get_by_role("button", name="Search", exact=True).click()
    # An ordinary form submission loading a whole page, not htmx fetching a fragment.
    assert search.value.resource_type == "document"
    assert "hx-request" not in search.value.headers
    assert page.evaluate("() => typeof window.htmx") == "undefined"
    expect(page).to_have_url(re.compile(r"/register/ccgs/\?q=Newcastle(&|$)"))
    expect(page.locator("#result-count")).to_have_text(
        re.compile(r"^1 organisation found for “Newcastle”")
    )
    expect(
        page.locator("#ccg-results").get_by_role("link", name="NHS Newcastle Gateshead CCG")
    ).to_be_visible()
    a11y(page)
