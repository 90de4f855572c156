"""My work's co-commissioning panels (issue 15) in a real browser, with no axe violation at all:
a Commissioning Committee member's recommended application awaiting sign-off, and a CCG lead's
question awaiting an answer."""

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from cocommissioning import services
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from tests.factories import make_user
from tests.timeline.sweeps import D, at
from tests.workspace.test_co_my_work import _assure_and_recommend, _submitted

pytestmark = pytest.mark.browser


def test_a_committee_member_and_a_ccg_lead_find_their_tasks_on_my_work(
    page, sign_in, a11y, sunderland_lead, north_reviewer, tmp_path
):
    windows_seed()
    cara = make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))
    with time_machine.travel(at(D(2014, 12, 15)), tick=False):
        app = _submitted(sunderland_lead, CCG.objects.get(ods_code="00P"), north_reviewer)
        services.message_add(
            by=north_reviewer, application=app, kind="question", text="Who chairs it?"
        )
        services.message_add(by=sunderland_lead, application=app, kind="answer", text="Lay chair.")
        _assure_and_recommend(app, north_reviewer)
        other = _submitted(sunderland_lead, CCG.objects.get(ods_code="00L"), north_reviewer)
        services.message_add(
            by=north_reviewer, application=other, kind="question", text="Which practices?"
        )
    grace = make_user(
        "grace@example.nhs.uk", "Grace Armstrong", (Role.CCG_LEAD, CCG.objects.get(ods_code="00L"))
    )
    sign_in(page, cara)
    a11y.strict(page)
    expect(page.locator("#co-sign-off")).to_contain_text(
        "Recommended, awaiting sign-off: NHS Sunderland CCG, delegated from 1 April 2015"
    )
    page.screenshot(path=str(tmp_path / "committee.png"), full_page=True)
    page.context.clear_cookies()
    sign_in(page, grace)
    a11y.strict(page)
    expect(page.locator(".app-co-tasks")).to_contain_text("A question awaits your answer")
    page.screenshot(path=str(tmp_path / "lead.png"), full_page=True)
    page.context.clear_cookies()
    sign_in(page, north_reviewer)
    a11y.strict(page)
    expect(page.locator(".app-co-tasks")).to_contain_text("Under your review")
    page.screenshot(path=str(tmp_path / "region.png"), full_page=True)
