"""Meeting and recommendation journeys in a real browser, with axe-core on every page."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from hubs.models import CCG
from meetings import services
from meetings.models import Recommendation
from oversight import services as group_services
from tests.factories import make_group
from tests.system.browser.screens import shots

pytestmark = pytest.mark.browser

START = datetime.date(2015, 4, 1)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def group(nec_hub_officer):
    from governance import services as document_services

    group = make_group(by=nec_hub_officer)
    for name, role, sector, ods in (
        ("Asha Rao", "chair", "nhs_england", None),
        ("Ruth Adams", "member", "ccg", "00P"),
        ("Tom Lee", "member", "ccg", "00L"),
        ("Liz Turner", "member", "phe", None),
    ):
        group_services.member_add(
            by=nec_hub_officer,
            group=group,
            full_name=name,
            email="",
            organisation="Org",
            sector=sector,
            ccg=CCG.objects.get(ods_code=ods) if ods else None,
            role=role,
            voting=True,
            start_date=START,
            end_date=None,
        )
    draft = document_services.version_draft_create(
        by=nec_hub_officer,
        group=group,
        kind="terms_of_reference",
        body="The group is quorate when the chair or a vice chair and two CCG members attend.",
        file=None,
        change_summary="First version",
        quorum_chair_or_vice_required=True,
        quorum_min_ccg_members=2,
    )
    document_services.version_agree(
        by=nec_hub_officer,
        version_obj=draft,
        version=draft.version,
        agreed_on=START,
        agreed_at_meeting="Shadow meeting, March 2015",
    )
    return group


def test_hub_staff_record_a_quorate_meeting_and_a_recommendation(
    page, live_server, group, nec_hub_officer, sign_in, a11y
):
    sign_in(page, nec_hub_officer)
    page.goto(f"{live_server.url}{group.get_absolute_url()}")
    page.get_by_role("link", name="All meetings, and schedule one").click()
    a11y(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    a11y(page)
    page.locator("#id_title").fill("April meeting")
    # Issue 18: the date as the hint shows it; an empty place is refused unless online.
    expect(page.locator("#id_starts_at_helptext")).to_have_text("For example, 21 April 2015 at 2pm")
    page.locator("#id_starts_at").fill("21 April 2015 at 2pm")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_location_error")).to_contain_text("tick “Online”")
    expect(page).to_have_title(re.compile(r"Error"))
    a11y.strict(page)
    shots(page, "meeting-form-error")
    page.locator("#id_location").fill("Durham County Hall")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("April meeting")
    expect(page.locator("#quorum-heading")).to_have_text("Attendance not taken yet")
    a11y(page)

    page.get_by_role("link", name="Record attendance and apologies").click()
    a11y.strict(page)
    shots(page, "attendance")
    for name in ("Asha Rao", "Ruth Adams", "Tom Lee"):
        page.get_by_role("group", name=name).get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    # Issue 18: the one left out is named and linked in the error summary; the title says so.
    expect(page).to_have_title(re.compile(r"^Error: Attendance"))
    summary = page.locator("#attendance-missing")
    expect(summary.get_by_role("link")).to_have_count(1)
    a11y.strict(page)
    shots(page, "attendance-error")
    summary.get_by_role("link", name="Choose present, apologies or absent for Liz Turner").click()
    expect(page.get_by_role("group", name="Liz Turner").get_by_label("Present")).to_be_focused()
    expect(page.get_by_role("group", name="Asha Rao").get_by_label("Present")).to_be_checked()
    page.get_by_role("group", name="Liz Turner").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#quorum-heading")).to_have_text("Quorate")
    expect(page.locator("#attendance")).to_contain_text("Apologies")
    a11y(page)

    page.get_by_role("link", name="Add an agenda item").click()
    page.locator("#id_title").fill("Vascular services")
    page.locator("#id_purpose").select_option("decision")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#item-1")).to_contain_text("Vascular services")

    page.get_by_role("link", name="Change the meeting or its minutes").click()
    page.locator("#id_status").select_option("held")
    page.locator("#id_minutes").fill("The group agreed to recommend two arterial centres.")
    page.get_by_role("button", name="Save").click()
    a11y(page)
    page.get_by_role("link", name="Make a recommendation to the region").click()
    a11y(page)
    page.locator("#id_title").fill("Two arterial centres for the North East")
    page.locator("#id_detail").fill("Concentrate complex vascular surgery in two centres.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#response-status")).to_contain_text("Awaiting the region's response")
    a11y(page)


def test_regional_team_responds_to_a_recommendation(
    page, live_server, group, nec_hub_officer, north_reviewer, sign_in, a11y
):
    meeting = services.meeting_schedule(
        by=nec_hub_officer,
        group=group,
        title="April meeting",
        starts_at=datetime.datetime(2015, 4, 21, 14, tzinfo=datetime.UTC),
        location="Durham",
        online=False,
    )
    meeting = services.meeting_update(
        by=nec_hub_officer, meeting=meeting, version=meeting.version, status="held"
    )
    recommendation = services.recommendation_make(
        by=nec_hub_officer,
        meeting=meeting,
        title="Two arterial centres",
        detail="Concentrate complex vascular surgery.",
    )
    sign_in(page, north_reviewer)
    page.get_by_role("link", name="Two arterial centres").click()
    expect(heading(page)).to_have_text("Two arterial centres")
    a11y(page)
    page.get_by_role("button", name="Record response").click()
    expect(page.locator("#id_status_error")).to_contain_text("Choose the region's response")
    a11y(page)
    page.get_by_label("Accepted with changes").check()
    page.locator("#id_rationale").fill("Agreed, subject to public consultation.")
    page.get_by_role("button", name="Record response").click()
    expect(page.locator("#response-status")).to_have_text("Accepted with changes")
    a11y(page)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ACCEPTED_WITH_CHANGES

    page.get_by_role("link", name="Recommendations", exact=True).click()
    expect(page.locator("#recommendation-table")).to_contain_text("No recommendations to show")
    a11y(page)

    page.get_by_role("link", name="At a glance", exact=True).click()
    expect(heading(page)).to_have_text("Oversight at a glance")
    expect(page.locator("#glance")).to_contain_text("NEC Oversight Group")
    a11y(page)
    page.get_by_role("link", name="CCG coverage %").click()
    expect(page.locator("#glance th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    a11y(page)
