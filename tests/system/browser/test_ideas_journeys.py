"""The idea exchange (issue 17, "What to build" 5; seed 000 §4.2, "a web-based platform for
exchanging ideas"), in a real browser, with no axe-core violation at all on its pages.

A CCG lead (David, Sunderland) shares an idea: an empty form is refused beside its fields, then
the idea is posted with a Programme of Care and themes. A London hub officer (Sam) finds it by
searching, follows it and comments. David signs in again: My work lists the ideas he follows
(his own), his notifications have Sam's comment, he has been emailed it, and he reads it.
"""

import os
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from ideas.models import Post

pytestmark = pytest.mark.browser
TITLE = "One-stop renal assessment clinic"
SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def to_the_exchange(page: Page, a11y) -> None:
    # The header's All services lists it for every role (issue 18: at most seven header links).
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="All services").click()
    page.get_by_role("main").get_by_role("link", name="Idea exchange").click()
    expect(heading(page)).to_have_text("Idea exchange")
    a11y.strict(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_ccg_lead_shares_an_idea_another_hub_follows_and_comments(
    page, live_server, sunderland_lead, london_hub_officer, sign_in, a11y
):
    sign_in(page, sunderland_lead)
    to_the_exchange(page, a11y)
    expect(page.locator("#ideas")).to_contain_text("No ideas shared yet.")

    page.get_by_role("button", name="Share an idea").click()
    expect(heading(page)).to_have_text("Share an idea")
    a11y.strict(page)
    page.get_by_role("button", name="Share the idea").click()
    expect(page.locator("#id_title_error")).to_contain_text("Enter a title for the idea")
    expect(page.locator("#id_problem_error")).to_contain_text(
        "Describe the problem the idea answers"
    )
    a11y.strict(page)
    shot(page, "ideas-1-form-errors")
    assert not Post.objects.exists()

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The problem").fill("Patients travelled twice for assessment.")
    page.get_by_label("What was tried (optional)").fill("A joint renal and transplant clinic.")
    page.get_by_label("Results (optional)").fill("Half the journeys, at no extra cost.")
    page.get_by_label("Internal Medicine").check()
    page.get_by_label("Pathway redesign").check()
    page.get_by_label("Patient experience").check()
    page.get_by_role("button", name="Share the idea").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("Idea shared.")).to_be_visible()
    expect(page.locator("#post-meta")).to_contain_text("David Lowe, NHS Sunderland CCG")
    expect(page.locator("#post-tags")).to_contain_text("Internal Medicine")
    expect(page.locator("#follow")).to_contain_text("You follow it")
    a11y.strict(page)
    shot(page, "ideas-2-detail")
    sign_out(page)

    # Sam, London hub staff, finds it by searching and follows it, then comments.
    sign_in(page, london_hub_officer)
    to_the_exchange(page, a11y)
    page.get_by_label("Search ideas").fill("transplant clinic")
    page.get_by_label("Theme").select_option(label="Pathway redesign")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#ideas-count")).to_have_text("1 idea matches.")
    a11y.strict(page)
    shot(page, "ideas-3-search")
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    a11y.strict(page)
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_text("You follow this idea")).to_be_visible()
    expect(page.get_by_role("button", name="Stop following")).to_be_visible()
    a11y.strict(page)
    page.get_by_label("Comment").fill("We would like to try this in two London units.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    expect(page.locator("#comments")).to_have_text("Comments (1)")
    a11y.strict(page)
    shot(page, "ideas-4-commented")
    sign_out(page)

    # David reads the comment: the post's author follows it, so My work lists it with its
    # comment, his notifications have it, and he was emailed it (his settings: at once).
    sign_in(page, sunderland_lead)
    followed = page.locator("section", has=page.get_by_role("heading", name="Ideas you follow"))
    expect(followed).to_contain_text(f"{TITLE}: 1 comment, the latest on")
    a11y.strict(page)
    shot(page, "ideas-5-my-work")
    page.get_by_role("link", name="Notifications").first.click()
    expect(
        page.get_by_role("link", name=f"Sam Patel commented on the idea “{TITLE}”")
    ).to_be_visible()
    a11y(page)
    to_the_exchange(page, a11y)
    expect(page.locator("#ideas")).to_contain_text("1 comment")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("We would like to try this in two London units.")).to_be_visible()
    expect(page.get_by_text("Sam Patel")).to_be_visible()
    a11y.strict(page)
    assert [m.to for m in mail.outbox if TITLE in m.subject] == [[sunderland_lead.email]]
