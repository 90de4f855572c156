"""Committees that meet (issue 15, "What to build" 5; seed 002, "Model 2: Joint commissioning",
"Model 3: Delegated arrangements" and "Sign-off and approvals"), in a real browser, with no
axe-core violation at all on the new pages: the committee list and page, the committee forms,
and the application page's Commissioning Committee section.

A Commissioning Committee member schedules a meeting, puts a recommended delegated application
on its agenda, records attendance and a member's declared interest (the member takes no part),
marks the meeting held and records the sign-off, which names who took part and who was
excluded. A CCG lead of a joint committee's CCG keeps its members and meetings; a regional team
of another region cannot see it.
"""

import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Application
from cocommissioning.timetable import windows_seed
from hubs.models import CCG, Region
from meetings.models import Meeting
from oversight import committees
from oversight import services as oversight
from oversight.models import Committee
from tests.cocommissioning.rules import joint_draft, partner_ccg, under_review
from tests.factories import make_user
from tests.timeline.sweeps import D, at
from tests.workspace.test_co_my_work import _assure_and_recommend, _submitted

pytestmark = pytest.mark.browser
COMMITTEE_START = datetime.date(2014, 10, 1)
# Screenshots of the new pages, for a person to look at: set SCREENSHOTS_DIR to keep them.
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def other_page(browser) -> Page:
    return browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()


def earlier_today() -> str:
    """A meeting time earlier today (so that the meeting may be marked held), as the form's
    date and time field takes it."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(hours=1), midnight).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def recommended(register, sunderland_lead, north_reviewer) -> Application:
    """NHS Sunderland CCG's delegated application, recommended by the North's regional team."""
    windows_seed()
    with time_machine.travel(at(D(2014, 12, 15)), tick=False):
        app = _submitted(sunderland_lead, CCG.objects.get(ods_code="00P"), north_reviewer)
        return _assure_and_recommend(app, north_reviewer)


@pytest.fixture
def cara(register):
    """Cara, a member of NHS England's Commissioning Committee, who keeps its records."""
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


@pytest.fixture
def commissioning_committee(cara) -> Committee:
    """The Commissioning Committee with three voting members, the first its chair."""
    committee = committees.commissioning_committee_ensure(by=cara, start_date=COMMITTEE_START)
    for name, role in (("Asha Rao", "chair"), ("Ben Cole", "member"), ("Chloe Dunn", "member")):
        oversight.member_add(
            by=cara,
            group=committee,
            full_name=name,
            email="",
            organisation="NHS England",
            sector="nhs_england",
            ccg=None,
            role=role,
            voting=True,
            start_date=COMMITTEE_START,
            end_date=None,
        )
    return committee


def test_a_committee_member_signs_off_a_delegated_application_at_a_meeting(
    page, live_server, recommended, commissioning_committee, cara, sign_in, a11y
):
    base = live_server.url
    app_url = f"{base}{recommended.get_absolute_url()}"
    sign_in(page, cara)

    # Committees → the Commissioning Committee.
    page.goto(f"{base}/committees/")
    expect(heading(page)).to_have_text("Committees")
    a11y.strict(page)
    page.get_by_role("link", name="NHS England Commissioning Committee").click()
    expect(heading(page)).to_have_text("NHS England Commissioning Committee")
    expect(page.locator(".nhsuk-caption-l")).to_have_count(0)  # its kind is its name
    expect(page.locator("#members")).to_contain_text("Chloe Dunn")
    a11y.strict(page)
    shot(page, "committee-1-page")

    # Its quorum is three voting members: with one of three excluded from the item, two must do.
    page.get_by_role("link", name="Change the committee's name, purpose or quorum").click()
    expect(heading(page)).to_have_text("Change the committee's terms")
    a11y.strict(page)
    page.get_by_label("Voting members present for a quorum, at least").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_quorum_min_voting_members_error")).to_contain_text(
        "At least one voting member"
    )
    a11y.strict(page)
    page.get_by_label("Voting members present for a quorum, at least").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#committee-summary")).to_contain_text("at least 2 voting members present")

    # Schedule a meeting, earlier today.
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(heading(page)).to_have_text("Schedule a meeting")
    a11y.strict(page)
    page.locator("#id_title").fill("Commissioning Committee")
    page.locator("#id_starts_at").fill(earlier_today())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_location_error")).to_contain_text("tick “Online”")
    a11y.strict(page)
    page.locator("#id_location").fill("Skipton House")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Commissioning Committee")
    a11y.strict(page)
    meeting = Meeting.objects.get(committee=commissioning_committee)

    # The application page: put it on that meeting's agenda.
    page.goto(app_url)
    expect(page.locator("#status")).to_have_text("Assured and recommended by the region")
    expect(page.locator("#committee ~ p").first).to_contain_text("Not yet on a meeting's agenda")
    a11y.strict(page)
    page.locator("#id_agenda-meeting").select_option(str(meeting.pk))
    page.get_by_role("button", name="Put on the agenda").click()
    entry = page.locator(".app-agenda-entry")
    expect(entry).to_contain_text("Not yet decided")
    expect(entry).to_contain_text("once the meeting is marked as held")
    a11y.strict(page)
    shot(page, "committee-2-on-agenda")

    # Follow the link to the meeting: attendance, a declared interest, held.
    entry.get_by_role("link").click()
    expect(heading(page)).to_have_text("Commissioning Committee")
    expect(page.locator("#item-1")).to_contain_text("Delegated commissioning: NHS Sunderland CCG")
    a11y.strict(page)
    page.get_by_role("link", name="Record attendance and apologies").click()
    expect(heading(page)).to_have_text("Attendance and apologies")
    a11y.strict(page)
    for name in ("Asha Rao", "Ben Cole", "Chloe Dunn"):
        page.get_by_role("group", name=name).get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#quorum-heading")).to_have_text("Quorate")
    expect(page.locator("#quorum")).to_contain_text("Voting members present: 3.")
    expect(page.locator("#quorum")).not_to_contain_text("CCG members")  # it has none
    a11y.strict(page)

    page.get_by_role("link", name="Record a declared interest for item 1").click()
    a11y.strict(page)
    page.get_by_label("Member", exact=True).select_option(label="Chloe Dunn (Member, NHS England)")
    page.get_by_label("Interest declared").fill("GP partner at a practice in Sunderland")
    page.get_by_label("How it was managed").fill("Left the room for the item")
    page.get_by_label("They took no part in the item's decision").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#item-1 .app-declaration")).to_contain_text("Took no part in the decision")
    a11y.strict(page)

    page.get_by_role("link", name="Change the meeting or its minutes").click()
    a11y.strict(page)
    page.locator("#id_status").select_option("held")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("dl").first).to_contain_text("Held")
    a11y.strict(page)

    # Back to the application: the decision. Not approved needs reasons; nothing changes.
    page.goto(app_url)
    a11y.strict(page)
    page.get_by_label("Not approved").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#id_decide-reasons_error")).to_contain_text(
        "Give the reasons the application is not approved"
    )
    expect(page.locator("#status")).to_have_text("Assured and recommended by the region")
    expect(page.locator(".app-agenda-entry")).to_contain_text("Not yet decided")
    a11y.strict(page)
    recommended.refresh_from_db()
    assert recommended.status == Application.Status.RECOMMENDED

    page.get_by_label("Signed off").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#status")).to_have_text("Approved: implementing")
    entry = page.locator(".app-agenda-entry")
    expect(entry).to_contain_text("Signed off (recorded on")
    expect(entry).to_contain_text("Quorate")
    expect(entry).to_contain_text("Took part: Asha Rao (Chair, NHS England); Ben Cole (Member")
    expect(entry).not_to_contain_text("Chloe Dunn (Member")
    expect(entry).to_contain_text(
        "Excluded for a declared interest: Chloe Dunn (GP partner at a practice in Sunderland;"
        " Left the room for the item)."
    )
    a11y.strict(page)
    shot(page, "committee-3-signed-off")

    # The meeting's minutes of the item say the same.
    entry.get_by_role("link").click()
    expect(page.locator("#item-1")).to_contain_text("Outcome: Signed off")
    expect(page.locator("#item-1")).to_contain_text("Excluded for a declared interest: Chloe Dunn")
    a11y.strict(page)
    shot(page, "committee-4-meeting")


@pytest.fixture
def joint_committee(register, sunderland_lead, north_reviewer) -> Committee:
    """Sunderland's joint application with a partner CCG of its hub, approved by the North:
    their primary care joint committee with NHS England."""
    windows_seed()
    sunderland = CCG.objects.get(ods_code="00P")
    with time_machine.travel(at(D(2014, 12, 15)), tick=False):
        partner = partner_ccg(sunderland)
        partner_lead = make_user("pat@example.nhs.uk", "Pat Lead", (Role.CCG_LEAD, partner))
        app = joint_draft(sunderland_lead, sunderland, partner)
        services.party_confirm(by=partner_lead, application=app, ccg=partner)
        app = under_review(sunderland_lead, north_reviewer, app)
        services.application_approve(by=north_reviewer, application=app, version=app.version)
    return Committee.objects.get(kind=Committee.Kind.JOINT_COMMITTEE, ccgs=sunderland)


def test_a_ccg_lead_keeps_the_joint_committee_and_another_region_cannot_see_it(
    page, browser, live_server, joint_committee, sunderland_lead, sign_in, a11y
):
    base = live_server.url
    sign_in(page, sunderland_lead)
    page.goto(f"{base}/committees/")
    expect(page.locator("#committees")).to_contain_text("Primary care joint committee")
    expect(page.locator("#committees")).not_to_contain_text("Commissioning Committee")
    a11y.strict(page)
    page.get_by_role("link", name=joint_committee.name).click()
    expect(heading(page)).to_have_text(joint_committee.name)
    expect(page.locator("#committee-summary")).to_contain_text("NHS Sunderland CCG (00P)")
    expect(page.locator("#members")).to_contain_text("No members yet.")
    a11y.strict(page)

    page.get_by_role("link", name="Add a member").click()
    expect(heading(page)).to_have_text("Add a member")
    a11y.strict(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_full_name_error")).to_contain_text("Enter the member's full name")
    a11y.strict(page)
    page.get_by_label("Full name").fill("Ruth Adams")
    page.get_by_label("Organisation").fill("NHS Sunderland CCG")
    page.get_by_label("Sector").select_option("ccg")
    page.get_by_label("CCG (for CCG members)").select_option("00P")
    page.get_by_label("Role on the committee").select_option("chair")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#members")).to_contain_text("Ruth Adams (NHS Sunderland CCG)")
    expect(page.locator("#members")).to_contain_text("Chair")
    a11y.strict(page)

    page.get_by_role("link", name="Schedule a meeting").click()
    a11y.strict(page)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.locator("#id_title").fill("Joint committee")
    page.locator("#id_starts_at").fill(f"{tomorrow.isoformat()}T14:00")
    page.get_by_label("Online (or with an online option)").check()
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Joint committee")
    expect(page.locator("#quorum-heading")).to_have_text("Attendance not taken yet")
    a11y.strict(page)
    shot(page, "joint-1-meeting")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=joint_committee.name
    ).click()
    expect(page.locator("#meetings")).to_contain_text("Joint committee")
    expect(page.locator("#meetings")).to_contain_text("Scheduled")
    a11y.strict(page)
    shot(page, "joint-2-committee")

    # A regional team of another region: the committee is not there for them.
    lena = make_user(
        "lena@example.nhs.uk", "Lena Ortiz", (Role.REGIONAL_TEAM, Region.objects.get(slug="london"))
    )
    london = other_page(browser)
    sign_in(london, lena)
    london.goto(f"{base}/committees/")
    expect(london.locator("#committees")).not_to_contain_text("Primary care joint committee")
    a11y.strict(london)
    response = london.goto(f"{base}{joint_committee.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
    meeting = Meeting.objects.get(committee=joint_committee)
    response = london.goto(f"{base}{meeting.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
    london.context.close()
