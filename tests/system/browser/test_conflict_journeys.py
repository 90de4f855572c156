"""Two hub officers edit one draft of the terms of reference at once (issue 18, finding 2), each
in their own browser: the second to save sees, field by field, what the first saved against
what they typed, keeps both in a merged version, and the group's history shows the old text
as a word diff. axe-core finds no violation of any impact on the conflict and history pages.
Set SHOTS_DIR to keep screenshots at 1280 and 320 px (never in the repository)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Role
from governance import services
from hubs.models import Hub
from tests.factories import make_group, make_user

pytestmark = pytest.mark.browser

BASE = "1. Purpose. The group oversees specialised commissioning.\n2. Membership. One lead per CCG."
CLAUSE = "2a. Deputies may attend with the chair's agreement."


def _shots(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_two_editors_of_the_terms_of_reference_keep_both_changes(
    page, browser, live_server, nec_hub_officer, sign_in, a11y
):
    owen = make_user(
        "owen@example.nhs.uk",
        "Owen Reid",
        (Role.HUB_STAFF, Hub.objects.get(slug="north-east-and-cumbria")),
    )
    group = make_group(by=nec_hub_officer)
    terms = services.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body=BASE
    )
    edit = f"{live_server.url}{reverse('governance:draft-edit', args=[terms.pk])}"

    # Both open the draft.
    sign_in(page, nec_hub_officer)
    page.goto(edit)
    other = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    sign_in(other, owen)
    other.goto(edit)

    # Owen adds a clause and saves first.
    other.locator("#id_body").fill(f"{BASE}\n{CLAUSE}")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Terms of reference, version 1")
    other.context.close()

    # Helen, still on the version she opened, rewrites the purpose and saves.
    page.locator("#id_body").fill(BASE.replace("1. Purpose.", "1. Purpose and scope."))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Owen Reid saved this while you were editing"
    )
    theirs = page.locator("#conflict-body-their-version")
    expect(theirs.locator("ins")).to_contain_text("Deputies may attend")
    expect(page.locator("#conflict-body-your-version ins")).to_contain_text("and scope.")
    expect(page.locator("#conflict-body-merged")).to_be_checked()
    expect(page.locator("#id_body")).to_have_value(
        f"1. Purpose and scope. The group oversees specialised commissioning.\n"
        f"2. Membership. One lead per CCG.\n{CLAUSE}"
    )
    a11y.strict(page)
    _shots(page, "conflict-page")

    # Keeping both saves Owen's clause and Helen's words.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".nhsuk-card")).to_contain_text("Purpose and scope.")
    expect(page.locator(".nhsuk-card")).to_contain_text("Deputies may attend")

    # The group's history keeps the old text, as a word diff.
    page.goto(f"{live_server.url}{reverse('workspace:group-history', args=[group.pk])}")
    details = page.locator("details", has_text="Text: what changed").first
    details.locator("summary").click()
    expect(details.locator("ins").first).to_be_visible()
    a11y.strict(page)
    _shots(page, "history-page")


def test_without_javascript_taking_theirs_keeps_the_colleagues_text(
    no_js_page, live_server, nec_hub_officer, sign_in, a11y
):
    page = no_js_page
    owen = make_user(
        "owen@example.nhs.uk",
        "Owen Reid",
        (Role.HUB_STAFF, Hub.objects.get(slug="north-east-and-cumbria")),
    )
    group = make_group(by=nec_hub_officer)
    terms = services.version_draft_create(
        by=nec_hub_officer, group=group, kind="terms_of_reference", body=BASE
    )
    sign_in(page, nec_hub_officer)
    page.goto(f"{live_server.url}{reverse('governance:draft-edit', args=[terms.pk])}")
    services.version_update(
        by=owen, version_obj=terms, version=terms.version, body=f"{BASE}\n{CLAUSE}"
    )
    page.locator("#id_body").fill(BASE.replace("One lead", "Two leads"))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#conflict-body-their-version ins")).to_contain_text("Deputies may attend")
    a11y.strict(page)
    page.get_by_label("Take theirs (Owen Reid)").check()
    page.get_by_role("button", name="Save draft").click()
    card = page.locator(".nhsuk-card")
    expect(card).to_contain_text("Deputies may attend")
    expect(card).to_contain_text("One lead per CCG.")
    expect(card).not_to_contain_text("Two leads")
