"""Layout journeys (issue 18, findings 3 and 10) at 1280 px and 320 px wide: a regional team,
hub staff and a CCG lead visit at a glance, the RACI matrix, the timeline grid and the group
page. The page never scrolls sideways (wide tables scroll in their own labelled region), the
header keeps one row at 1280 px, and axe finds nothing of any impact. Screenshots go to
/tmp/shots/layout18/ (LAYOUT_SHOTS overrides), never into the repository."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accountability import services as raci_services
from hubs.models import CCG
from oversight import services as group_services
from tests.factories import make_group, make_user
from timeline import services as timeline_services
from timeline.models import CalendarMilestone

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("LAYOUT_SHOTS", "/tmp/shots/layout18"))  # noqa: S108 (not committed)
WIDTHS = [1280, 320]


@pytest.fixture
def nec_group(nec_hub_officer, sunderland_lead, national_admin):
    """The NEC group with its places (Sunderland a member), the default RACI matrix and the
    2015/16 calendar of 11 milestones."""
    group = make_group(by=nec_hub_officer, name="North East and Cumbria Oversight Group")
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=list(CCG.objects.filter(ods_code__in=["00P", "00L"]))
    )
    place = group.ccgs.get(ccg__ods_code="00P")
    group_services.membership_respond(
        by=sunderland_lead, membership=place, version=place.version, answer="accept"
    )
    raci_services.raci_seed_default(by=nec_hub_officer, group=group)
    if not CalendarMilestone.objects.filter(year=2015).exists():
        timeline_services.calendar_seed(by=national_admin, year=2015)
    return group


def _look(page: Page, a11y, name: str, width: int) -> None:
    """The checks every page gets: no sideways page scroll, no axe finding, a screenshot."""
    page.wait_for_load_state("load")
    overflow = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"{name} at {width} px scrolls sideways: {overflow}"
    a11y.strict(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _region_reaches(page: Page, table_id: str, header: str) -> None:
    """The table's scroll region takes focus and, scrolled, shows the column `header`."""
    region = page.locator(f".app-scrolltable__region:has(#{table_id})")
    region.focus()
    expect(region).to_be_focused()
    expect(region).to_have_attribute("role", "region")
    cell = page.locator(f"#{table_id} thead th", has_text=header)
    cell.evaluate("c => c.scrollIntoView({inline: 'center', block: 'nearest'})")
    box, frame = cell.bounding_box(), region.bounding_box()
    assert box
    assert frame
    assert frame["x"] - 1 <= box["x"]
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1


def _header_rows(page: Page) -> int:
    return page.evaluate(
        "new Set([...document.querySelectorAll('.nhsuk-header__navigation-item')]"
        ".filter(li => li.offsetParent).map(li => li.offsetTop)).size"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("persona", ["north_reviewer", "nec_hub_officer", "sunderland_lead"])
def test_wide_pages_fit_the_screen(
    page, live_server, request, nec_group, sign_in, a11y, persona, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, request.getfixturevalue(persona))
    who = persona.replace("_", "-")
    menu = page.get_by_role("navigation", name="Menu")
    assert page.locator(".nhsuk-header__navigation-list a").count() <= 7
    # One row at 1280 px; at 320 px My work, the current area and All services (was five rows).
    assert _header_rows(page) == 1 if width == 1280 else _header_rows(page) <= 2
    if width == 320:
        # The design system's header script keeps what fits and puts the rest, All services
        # included, under its "More" menu.
        assert (
            page.evaluate(
                "[...document.querySelectorAll('.nhsuk-header__navigation-list > li > a')]"
                ".filter(a => a.offsetParent).length"
            )
            <= 3
        )
        menu.get_by_role("button", name="More").click()
        expect(menu.get_by_role("link", name="All services")).to_be_visible()
        menu.get_by_role("button", name="More").click()
    _look(page, a11y, f"{who}-my-work", width)

    page.goto(live_server.url + reverse("workspace:services"))
    expect(page.get_by_role("heading", level=1)).to_have_text("All services")
    expect(page.get_by_role("link", name="Organisation register").first).to_be_visible()
    _look(page, a11y, f"{who}-services", width)

    if persona == "north_reviewer":
        page.goto(live_server.url + reverse("workspace:oversight-glance"))
        expect(page.locator("#glance thead th").nth(1)).to_have_text("Open recommendations")
        expect(page.locator("#glance thead th").nth(2)).to_have_text("Overdue actions")
        if width == 1280:  # the columns a region needs most are in view without scrolling
            box = page.locator("#glance thead th").nth(2).bounding_box()
            assert box
            assert box["x"] + box["width"] <= width
        _region_reaches(page, "glance", "Next meeting")
        _look(page, a11y, f"{who}-glance", width)

    page.goto(live_server.url + reverse("accountability:raci", args=[nec_group.pk]))
    expect(page.locator("#raci th[scope=rowgroup]")).to_have_text(
        ["Plan", "Specify", "Change", "Deliver"]
    )
    _region_reaches(page, "raci", "Oversight group")
    _region_reaches(page, "raci", "Patients and the public")
    _look(page, a11y, f"{who}-raci", width)

    page.goto(live_server.url + reverse("timeline:grid") + "?year=2015")
    expect(page.locator("#timeline-grid thead th")).to_have_count(12)
    region = page.locator(".app-scrolltable__region:has(#timeline-grid)")
    if width == 1280:  # all 11 milestones fit: nothing to scroll, so no scroll cue
        assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
        expect(page.locator(".app-scrolltable__cue")).to_be_hidden()
    else:
        expect(page.locator(".app-scrolltable__cue")).to_be_visible()
        _region_reaches(page, "timeline-grid", "Planning and contracting for next year")
    _look(page, a11y, f"{who}-timeline", width)

    page.goto(live_server.url + nec_group.get_absolute_url())
    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="Members").click()
    expect(page).to_have_url(f"{live_server.url}{nec_group.get_absolute_url()}#group-members")
    if persona == "nec_hub_officer":
        options = page.locator("#id_ccg option").all_text_contents()
        assert "NHS Sunderland CCG" not in options
        assert "NHS Northumberland CCG" not in options
    _look(page, a11y, f"{who}-group", width)


def test_long_names_and_emails_wrap_at_320_px(
    page, live_server, nec_group, nec_hub_officer, national_admin, sign_in, a11y
):
    """The lead's own 320 px walk: the people list (long email addresses) and a meeting's
    attendance table (a long name and organisation) pushed the page sideways."""
    import datetime

    from meetings import services as meeting_services
    from oversight import services as oversight_services

    member = oversight_services.member_add(
        by=nec_hub_officer,
        group=nec_group,
        full_name="Professor Bartholomew Featherstonehaugh-Cholmondeley",
        email="bartholomew.featherstonehaugh-cholmondeley@newcastle-hospitals.example.nhs.uk",
        organisation="The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        sector="provider",
        ccg=None,
        role="observer",
        voting=False,
        start_date=datetime.date(2015, 4, 1),
        end_date=None,
    )
    starts = datetime.datetime(2015, 6, 9, 13, tzinfo=datetime.UTC)
    meeting = meeting_services.meeting_schedule(
        by=nec_hub_officer,
        group=nec_group,
        title="June meeting",
        starts_at=starts,
        location="",
        online=True,
    )
    meeting_services.attendance_record(
        by=nec_hub_officer, meeting=meeting, statuses={member.pk: "apologies"}
    )
    page.set_viewport_size({"width": 320, "height": 900})
    sign_in(page, nec_hub_officer)
    page.goto(live_server.url + reverse("meetings:meeting-detail", args=[meeting.pk]))
    expect(page.locator("#attendance")).to_contain_text("Featherstonehaugh-Cholmondeley")
    _look(page, a11y, "hub-meeting-attendance", 320)

    make_user(
        "bartholomew.featherstonehaugh-cholmondeley@newcastle-hospitals.example.nhs.uk",
        "Professor Bartholomew Featherstonehaugh-Cholmondeley",
    )
    page.context.clear_cookies()
    sign_in(page, national_admin)
    page.goto(live_server.url + reverse("accounts:people") + "?q=featherstonehaugh")
    _look(page, a11y, "national-people", 320)


def test_the_design_systems_scripts_start_and_the_header_fits_without_them(
    page, no_js_page, north_reviewer, sign_in, a11y
):
    """NHS.UK frontend's components start only on a body marked "nhsuk-frontend-supported"
    (static/js/app.mjs marks it); before, initAll() started nothing. Without JavaScript the
    320 px header still keeps My work, the current area and All services on view."""
    page.set_viewport_size({"width": 320, "height": 900})
    sign_in(page, north_reviewer)
    expect(page.locator("body")).to_have_class(re.compile("nhsuk-frontend-supported"))
    expect(page.locator("header[data-nhsuk-header-init]")).to_have_count(1)
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("button", name="More")
    ).to_be_visible()
    a11y.strict(page)

    no_js_page.set_viewport_size({"width": 320, "height": 900})
    sign_in(no_js_page, north_reviewer)
    menu = no_js_page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="All services")).to_be_visible()
    expect(menu.get_by_role("link", name="My work")).to_be_visible()
    visible = no_js_page.evaluate(
        "[...document.querySelectorAll('.nhsuk-header__navigation-list a')]"
        ".filter(a => a.offsetParent).length"
    )
    assert visible <= 3
    a11y.strict(no_js_page)
