"""Issue 18, finding 1: a CCG lead checks the co-commissioning application before submitting
it to the region (GET shows the page, POST submits); what would stop it is listed with a link
to fix it and no button; only the application's lead CCG's leads see the page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cocommissioning import services
from cocommissioning.models import Application, ConflictsReview, Document

from .conftest import attach, delegated_draft, ready_delegated

pytestmark = pytest.mark.django_db
BEFORE_DEADLINE = datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _before_the_deadline():
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        yield


def _submit(application):
    return reverse("cocommissioning:application-act", args=[application.pk, "submit"])


def test_submitting_asks_to_check_first(client, windows, sunderland, sunderland_lead):
    application = ready_delegated(sunderland_lead, sunderland)
    client.force_login(sunderland_lead)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert f'href="{_submit(application)}"' in detail
    page = client.get(_submit(application))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check the application before you submit it" in html
    assert "Confirm and submit to the region" in html
    assert "Conflicts of interest arrangements" in html
    assert 'name="submit-version"' in html
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    done = client.post(_submit(application), {"submit-version": application.version})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_missing_document_is_listed_with_a_link_and_no_button(
    client, windows, sunderland, sunderland_lead
):
    application = delegated_draft(sunderland_lead, sunderland)
    attach(sunderland_lead, application, Document.Kind.CONSTITUTION)
    client.force_login(sunderland_lead)
    html = client.get(_submit(application)).content.decode()
    assert "The conflicts of interest arrangements is not attached." in html or (
        "not attached" in html
    )
    assert reverse("cocommissioning:application-attach", args=[application.pk]) in html
    assert "The application cannot be submitted until these are done." in html
    assert "Confirm and submit to the region" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("north_reviewer", 403),  # reads it, does not submit it
        ("london_hub_officer", 404),  # sees nothing of it
    ],
)
def test_only_the_lead_ccgs_leads_see_the_confirm_page(
    client, request, windows, sunderland, sunderland_lead, persona, status
):
    application = ready_delegated(sunderland_lead, sunderland)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_submit(application)).status_code == status


def _under_review(lead, ccg, reviewer):
    application = ready_delegated(lead, ccg)
    application = services.application_submit(by=lead, application=application, version=1)
    return services.review_start(by=reviewer, application=application, version=application.version)


def test_recommending_waits_for_the_conflicts_review_then_asks_to_check(
    client, windows, sunderland, sunderland_lead, north_reviewer
):
    application = _under_review(sunderland_lead, sunderland, north_reviewer)
    url = reverse("cocommissioning:application-act", args=[application.pk, "recommend"])
    client.force_login(north_reviewer)
    assert f'href="{url}"' in client.get(application.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    assert "Check the application before you recommend it" in html
    assert "The conflicts of interest review is not complete" in html
    assert reverse("cocommissioning:application-conflicts", args=[application.pk]) in html
    assert "Confirm and recommend to the Commissioning Committee" not in html
    review = ConflictsReview.objects.get(application=application)
    checks = {name: "met" for name, _ in ConflictsReview.CHECKS}
    evidence = {f"{name}_evidence": "In the constitution." for name, _ in ConflictsReview.CHECKS}
    services.conflicts_review_save(
        by=north_reviewer, review=review, version=1, **checks, **evidence,
        outcome="assured", outcome_note="Robust.",
    )  # fmt: skip
    html = client.get(url).content.decode()
    assert "Confirm and recommend to the Commissioning Committee" in html
    assert 'name="recommend-note"' in html
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    done = client.post(url, {"recommend-version": application.version, "recommend-note": ""})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.RECOMMENDED


def test_only_the_region_sees_the_recommend_page(
    client, windows, sunderland, sunderland_lead, north_reviewer
):
    application = _under_review(sunderland_lead, sunderland, north_reviewer)
    url = reverse("cocommissioning:application-act", args=[application.pk, "recommend"])
    client.force_login(sunderland_lead)
    assert client.get(url).status_code == 403
