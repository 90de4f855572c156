"""Peer review journeys (issue 5), with axe-core on every page visited: hub staff declare
readiness, the regional team invites the review and builds a panel (the conflicted reviewer is
not offered), a reviewer completes the form, the lead issues the report, the hub responds and
the region signs off, and anyone reads the learning library."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from reviews import services
from reviews.models import PeerReview, Reviewer
from tests.reviews import conftest as review_fixtures

pytestmark = pytest.mark.browser

# The peer review fixtures live in tests/reviews/conftest.py, out of this folder's reach;
# binding them here makes pytest register them for this module.
cycle = review_fixtures.cycle
nec_group = review_fixtures.nec_group
submitted_plan = review_fixtures.submitted_plan
ready_review = review_fixtures.ready_review
invited_review = review_fixtures.invited_review
review_in_progress = review_fixtures.review_in_progress
issued_review = review_fixtures.issued_review
wessex_officer = review_fixtures.wessex_officer
yorkshire_officer = review_fixtures.yorkshire_officer
conflicted_officer = review_fixtures.conflicted_officer

NEC = "North East and Cumbria"
# Screenshots for people reviewing the pages by eye; outside the repository on purpose.
SCREENSHOTS = Path("/tmp")  # noqa: S108


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def open_review_from_board(page: Page, a11y, status: str) -> None:
    """Peer reviews in the header → the cycle's status board → NEC's review."""
    page.get_by_role("link", name="Peer reviews", exact=True).click()
    expect(heading(page)).to_have_text("Peer reviews")
    a11y(page)
    page.get_by_role("link", name="First peer review 2015/16").click()
    expect(heading(page)).to_have_text("First peer review 2015/16")
    a11y(page)
    nec_row = page.locator("#status-board tr", has_text=NEC)
    nec_row.get_by_role("link", name=re.compile(f"^{status}")).click()
    expect(heading(page)).to_have_text(f"Peer review of {NEC}")
    a11y(page)


def test_hub_staff_declare_readiness(
    page, live_server, nec_hub_officer, cycle, submitted_plan, sign_in, a11y
):
    sign_in(page, nec_hub_officer)
    page.get_by_role("link", name="Peer reviews", exact=True).click()
    expect(heading(page)).to_have_text("Peer reviews")
    a11y(page)
    page.get_by_role("link", name="First peer review 2015/16").click()
    expect(page.locator("#status-board")).to_contain_text(NEC)
    a11y(page)
    page.get_by_role("link", name=NEC, exact=True).click()
    expect(heading(page)).to_have_text(f"Is {NEC} ready for review?")
    checklist = page.locator("#checklist")
    expect(checklist.get_by_text("Met", exact=True).first).to_be_visible()
    expect(checklist.get_by_text("Not met", exact=True).first).to_be_visible()
    a11y(page)

    declare = page.get_by_role("button", name=f"Declare {NEC} ready for review")
    declare.click()
    expect(page.locator("#id_note_error")).to_contain_text("Some checks are not met yet")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    a11y(page)
    assert not PeerReview.objects.exists()

    page.locator("#id_note").fill("Ten CCGs are still to answer their invitations.")
    declare.click()
    expect(heading(page)).to_have_text(f"Peer review of {NEC}")
    expect(page.locator("#review-status")).to_have_text("Ready for review")
    expect(page.get_by_text("Readiness declared.")).to_be_visible()
    expect(page.get_by_text("The hub's note: Ten CCGs")).to_be_visible()
    a11y(page)


def test_regional_team_invites_the_review_and_builds_a_panel(
    page,
    live_server,
    north_reviewer,
    ready_review,
    wessex_officer,
    yorkshire_officer,
    conflicted_officer,
    sign_in,
    a11y,
):
    sign_in(page, north_reviewer)
    page.get_by_role("link", name="Peer reviews", exact=True).click()
    a11y(page)
    page.get_by_role("link", name="First peer review 2015/16").click()
    nec_row = page.locator("#status-board tr", has_text=NEC)
    expect(nec_row).to_contain_text("Declared")
    a11y(page)
    nec_row.get_by_role("link", name=re.compile("^Ready for review")).click()
    expect(heading(page)).to_have_text(f"Peer review of {NEC}")
    expect(page.locator("#review-status")).to_have_text("Ready for review")
    page.screenshot(path=SCREENSHOTS / "review-ready.png", full_page=True)
    a11y(page)

    page.get_by_role("button", name="Invite the review").click()
    expect(heading(page)).to_have_text("Build the panel")
    expect(page.get_by_text("Review invited: now build the panel.")).to_be_visible()
    a11y(page)
    reviewer_select = page.locator("#id_user")
    offered = reviewer_select.locator("option").all_inner_texts()
    assert any("Will Turner" in o for o in offered)
    assert any("Yasmin Akhtar" in o for o in offered)
    assert not any("Connor Quinn" in o for o in offered)
    expect(page.locator("#candidates")).not_to_contain_text("Connor Quinn")
    page.locator("#excluded summary").click()
    excluded = page.locator("#excluded")
    expect(
        excluded.get_by_text("Connor Quinn (North West hub): A member of the hub's oversight group")
    ).to_be_visible()
    a11y(page)

    reviewer_select.select_option(str(wessex_officer.pk))
    page.get_by_role("radio", name="Lead reviewer").check()
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Will Turner is invited")).to_be_visible()
    expect(page.locator("#panel")).to_contain_text("Lead reviewer")
    a11y(page)
    page.locator("#id_user").select_option(str(yorkshire_officer.pk))
    page.get_by_role("radio", name="Reviewer", exact=True).check()
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Yasmin Akhtar is invited")).to_be_visible()
    expect(page.locator("#panel tbody tr")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "review-panel.png", full_page=True)
    a11y(page)

    page.get_by_role("link", name="Back to the review").click()
    expect(page.locator("#review-status")).to_have_text("Review invited: panel forming")
    a11y(page)
    # Issue 18, finding 10: nobody has accepted yet, so the button says why it cannot work.
    expect(page.get_by_role("button", name="Start the review")).to_be_disabled()
    expect(page.locator("#start-blocked")).to_have_text(
        "No panel reviewer has accepted yet. The review starts once a lead reviewer and at "
        "least one other reviewer have accepted."
    )
    expect(page.locator("#review-status")).to_have_text("Review invited: panel forming")
    a11y.strict(page)
    places = Reviewer.objects.filter(review=ready_review)
    assert sorted(places.values_list("user__email", "role")) == [
        (wessex_officer.email, Reviewer.Role.LEAD),
        (yorkshire_officer.email, Reviewer.Role.REVIEWER),
    ]
    assert not places.filter(user=conflicted_officer).exists()


def test_reviewer_accepts_and_completes_the_form(
    page,
    live_server,
    north_reviewer,
    invited_review,
    wessex_officer,
    yorkshire_officer,
    sign_in,
    a11y,
):
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    services.panel_invite(
        by=north_reviewer,
        review=invited_review,
        user=yorkshire_officer,
        role=Reviewer.Role.REVIEWER,
    )
    review_fixtures.accept(lead, wessex_officer)

    sign_in(page, yorkshire_officer)
    page.get_by_role("link", name=f"first peer review 2015/16 of {NEC}").click()
    expect(heading(page)).to_have_text(f"Peer review of {NEC}")
    expect(page.locator("#invitation")).to_contain_text("You are invited onto the panel")
    a11y(page)
    page.locator("#invitation").get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Thank you: you are on the panel.")).to_be_visible()
    a11y(page)

    review = PeerReview.objects.get(pk=invited_review.pk)
    review = services.review_start(by=north_reviewer, review=review, version=review.version)
    lead.refresh_from_db()
    review_fixtures.rate_all(review, lead, submit=False, rating="not_assured")

    page.reload()
    expect(page.locator("#review-status")).to_have_text("In review")
    expect(
        page.get_by_text("Colleagues' ratings show here once you have submitted")
    ).to_be_visible()
    expect(page.locator("#ratings")).to_have_count(0)
    a11y(page)
    page.get_by_role("link", name="Your review", exact=True).click()
    expect(heading(page)).to_have_text("Your review")
    a11y(page)

    lines = list(review.cycle.lines.all())
    assert len(lines) >= 2
    first, rest = lines[0], lines[1:]
    page.locator(f"#line-{first.pk}").get_by_label("Assured", exact=True).check()
    page.locator(f"#id_evidence_{first.pk}").fill("Plan agreed at the April meeting.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved. Only you can see it.")).to_be_visible()
    expect(page.locator(f"#line-{first.pk}").get_by_label("Assured", exact=True)).to_be_checked()
    a11y(page)

    page.get_by_role("button", name="Submit your review").click()
    expect(page.locator(f"#id_rating_{rest[0].pk}_error")).to_contain_text(
        f"Rate “{rest[0].title}” before you submit."
    )
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    a11y(page)

    for line in rest:
        page.locator(f"#line-{line.pk}").get_by_label("Partially assured", exact=True).check()
        page.locator(f"#id_evidence_{line.pk}").fill(f"Minutes and papers on {line.title}.")
    page.get_by_role("button", name="Submit your review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    expect(heading(page)).to_have_text(f"Peer review of {NEC}")
    ratings = page.locator("#ratings")
    expect(ratings).to_contain_text("Plan agreed at the April meeting.")
    expect(ratings).not_to_contain_text("Will Turner")
    expect(ratings).not_to_contain_text("Evidence on")
    a11y(page)


def test_lead_consolidates_issues_the_report_and_downloads_it(
    page, live_server, review_in_progress, wessex_officer, yorkshire_officer, sign_in, a11y
):
    review = review_in_progress
    member = review.panel.get(user=yorkshire_officer)
    review_fixtures.rate_all(review, member)

    sign_in(page, wessex_officer)
    page.get_by_role("link", name=f"Your review of {NEC}").click()
    expect(heading(page)).to_have_text("Your review")
    a11y(page)
    for line in review.cycle.lines.all():
        page.locator(f"#line-{line.pk}").get_by_label("Assured", exact=True).check()
        page.locator(f"#id_evidence_{line.pk}").fill(f"Seen at the group: {line.title}.")
    page.get_by_role("button", name="Submit your review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    expect(page.locator("#ratings")).to_contain_text("Yasmin Akhtar")
    page.screenshot(path=SCREENSHOTS / "review-lead.png", full_page=True)
    a11y(page)

    page.get_by_role("link", name="Overall rating and summary").click()
    expect(heading(page)).to_have_text("Overall rating and summary")
    a11y(page)
    page.get_by_label("Partially assured").check()
    page.locator("#id_summary").fill("A well-run group with gaps in CCG coverage.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#consolidation")).to_contain_text("Partially assured")
    a11y(page)

    page.get_by_role("link", name="Add a finding or good practice").click()
    a11y(page)
    page.get_by_label("Good practice to share", exact=True).check()
    page.locator("#id_title").fill("Patient panel co-chairs the group")
    page.locator("#id_detail").fill("The patient and public voice members co-chair meetings.")
    page.locator("#id_theme").select_option("patients")
    page.get_by_label("Share with all hubs in the learning library").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#findings")).to_contain_text("Patient panel co-chairs the group")
    expect(page.locator("#findings")).to_contain_text("shared with all hubs")
    a11y(page)

    page.get_by_role("link", name="Add a recommendation").click()
    a11y(page)
    page.locator("#id_title").fill("Secure representation for every CCG")
    page.locator("#id_due_date").fill("2015-09-30")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_owner_error")).to_contain_text("Name who owns the recommendation")
    a11y(page)
    page.locator("#id_owner").fill("Hub director")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#recommendations")).to_contain_text("Hub director")
    expect(page.locator("#recommendations")).to_contain_text("Not issued yet")
    a11y(page)

    page.get_by_role("link", name="Issue the report to the hub").click()
    # Issue 18, finding 1: check the report before it is frozen and the hub reads it.
    expect(heading(page)).to_have_text("Check the report before you issue it")
    expect(page.locator("#confirm-summary")).to_contain_text("Version 1")
    expect(page.locator("#confirm-consequences")).to_contain_text("frozen as version 1")
    a11y.strict(page)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"confirm-issue-{width}.png", full_page=True)
        a11y.strict(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Confirm and issue the report").click()
    expect(page.get_by_text("Report version 1 issued to the hub.")).to_be_visible()
    expect(heading(page)).to_have_text(f"Peer review report: {NEC}")
    expect(page.locator("#report-good-practice")).to_contain_text("Patient panel co-chairs")
    expect(page.locator("#report-recommendations")).to_contain_text("Hub director")
    a11y(page)

    page.get_by_role("button", name="Download the report as a PDF").click()
    expect(page.get_by_text("Your PDF is ready")).to_be_visible(timeout=30000)
    a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download ")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert NEC in " ".join(text.split())


def test_hub_responds_and_the_region_signs_off(
    page, browser, live_server, issued_review, nec_hub_officer, north_reviewer, sign_in, a11y
):
    sign_in(page, nec_hub_officer)
    open_review_from_board(page, a11y, "Report issued")
    expect(page.locator("#review-status")).to_have_text("Report issued")
    expect(page.locator("#recommendations")).to_contain_text("Secure representation for every CCG")
    expect(page.locator("#ratings")).to_have_count(0)
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(heading(page)).to_have_text(f"Peer review report: {NEC}")
    expect(page.locator("#report-recommendations")).to_contain_text("Hub director")
    a11y(page)
    page.get_by_role("link", name="Back to the review").click()
    a11y(page)

    page.get_by_role("link", name="Respond to the report").click()
    expect(heading(page)).to_have_text("Respond to the peer review report")
    a11y(page)
    rec = issued_review.recommendations.get()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#id_action_{rec.pk}_error")).to_contain_text(
        "Give the hub's action for “Secure representation for every CCG”."
    )
    a11y(page)
    page.locator("#id_summary").fill("We accept the report.")
    page.locator(f"#id_action_{rec.pk}").fill("Write to the ten CCGs by July.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#review-status")).to_have_text("Hub has responded")
    expect(page.locator("#recommendations")).to_contain_text("Write to the ten CCGs by July.")
    a11y(page)

    region = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    region.context.set_default_timeout(10_000)
    try:
        sign_in(region, north_reviewer)
        region.goto(f"{live_server.url}{issued_review.get_absolute_url()}")
        expect(region.locator("#review-status")).to_have_text("Hub has responded")
        a11y(region)
        region.locator("#id_note").fill("Actions are proportionate.")
        region.get_by_role("button", name="Sign off the response").click()
        expect(region.get_by_text("Response signed off.")).to_be_visible()
        expect(region.locator("#review-status")).to_have_text("Response signed off")
        a11y(region)
    finally:
        region.context.close()


def test_anyone_signed_in_reads_the_learning_library(
    page, live_server, issued_review, london_hub_officer, sign_in, a11y
):
    sign_in(page, london_hub_officer)
    page.get_by_role("link", name="Peer reviews", exact=True).click()
    a11y(page)
    page.get_by_role("link", name=re.compile("^Good practice and findings shared")).click()
    expect(heading(page)).to_have_text("Learning library")
    a11y(page)
    page.locator("#id_theme").select_option("finance")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#learning")).to_contain_text("Nothing shared matches.")
    a11y(page)
    page.locator("#id_theme").select_option("patients")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#learning")).to_contain_text("Patient panel co-chairs the group")
    expect(page.locator("#learning")).to_contain_text(NEC)
    a11y(page)


def test_lead_corrects_the_issued_report_while_the_hub_reads_it_as_issued(
    page, browser, live_server, issued_review, wessex_officer, nec_hub_officer, sign_in, a11y
):
    """Issue 14: a correction is drafted by the panel, labelled as such; the hub reads the
    report as issued until the corrected version is issued with its reason."""
    sign_in(page, wessex_officer)
    page.goto(f"{live_server.url}{issued_review.get_absolute_url()}")
    expect(page.get_by_role("link", name="Overall rating and summary")).to_have_count(0)
    page.get_by_role("button", name="Start a correction").click()
    expect(page.get_by_text("Correction started.")).to_be_visible()
    page.get_by_role("link", name="Overall rating and summary").click()
    page.locator("#id_summary").fill("Corrected: every CCG is now invited.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#draft-correction")).to_contain_text("Draft correction, not issued")
    expect(page.locator("#consolidation")).to_contain_text("Corrected: every CCG is now invited.")
    a11y(page)

    hub = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    hub.context.set_default_timeout(10_000)
    try:
        sign_in(hub, nec_hub_officer)
        hub.goto(f"{live_server.url}{issued_review.get_absolute_url()}")
        expect(hub.locator("#correction-note")).to_contain_text("correction of this report")
        expect(hub.locator("#issued-report")).to_contain_text("gaps in CCG coverage")
        expect(hub.locator("#issued-report")).not_to_contain_text("Corrected:")
        a11y(hub)

        page.get_by_role("link", name="Issue a corrected report").click()
        expect(heading(page)).to_have_text("Check the corrected report before you issue it")
        a11y.strict(page)
        page.locator("#id_reason").fill("The summary was out of date.")
        page.get_by_role("button", name="Confirm and issue the correction").click()
        expect(page.get_by_text("Report version 2 issued to the hub.")).to_be_visible()
        a11y(page)

        hub.reload()
        expect(hub.locator("#correction-note")).to_have_count(0)
        expect(hub.locator("#issued-report")).to_contain_text(
            "Corrected: every CCG is now invited."
        )
        a11y(hub)
    finally:
        hub.context.close()
