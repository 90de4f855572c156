"""Issue 18, finding 1: a CCG lead checks the co-commissioning application before submitting
it to the region (GET shows the page, POST submits); what would stop it is listed with a link
to fix it and no button; only the application's lead CCG's leads see the page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cocommissioning.models import Application, Document

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
