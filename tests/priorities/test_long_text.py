"""Long text has a limit (issue 14, probe finding 6): 20,000 characters in every free-text field,
said in the hint, refused beside the field on the page and keyed by the field in the API."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from commissioning.errors import RuleError
from commissioning.limits import LONG_TEXT
from priorities.models import Proposal
from tests.priorities.helpers import propose

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (LONG_TEXT + 1)
MESSAGE = "Enter 20,000 characters or fewer"

# Text only the system writes (render errors, inbox bodies): no limit, never typed by a person.
SYSTEM_TEXT = {
    ("exports", "export", "error"),
    ("priorities", "planversion", "pdf_error"),
    ("timeline", "reminderclaim", "error"),
    ("timeline", "notification", "body"),
}


PROJECT_APPS = {
    "hubs",
    "accounts",
    "exports",
    "oversight",
    "governance",
    "meetings",
    "accountability",
    "priorities",
    "reviews",
    "timeline",
    "workspace",
    "commissioning",
}


def _body(plan, **fields):
    return {"plan": plan.pk, "ccg": "00P", "title": "Long", "problem": "Evidence", **fields}


def test_a_proposal_field_over_the_limit_is_refused_by_the_api(api_client, plan, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    refused = api_client.post("/api/v1/proposals/", _body(plan, problem=TOO_LONG), format="json")
    assert refused.status_code == 400
    assert refused.json()["problem"] == [MESSAGE]
    assert not Proposal.objects.exists()
    at_limit = "x" * LONG_TEXT
    made = api_client.post("/api/v1/proposals/", _body(plan, problem=at_limit), format="json")
    assert made.status_code == 201
    assert len(Proposal.objects.get().problem) == LONG_TEXT


def test_a_proposal_field_over_the_limit_is_refused_beside_the_field(client, plan, sunderland_lead):
    client.force_login(sunderland_lead)
    url = reverse("priorities:proposal-create", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Up to 20,000 characters." in page  # the hint says the limit
    form = {"title": "Long", "problem": "Evidence", "qipp_savings": "0", "costs": "0"}
    response = client.post(url, {**form, "risks": TOO_LONG})
    html = response.content.decode()
    assert 'id="id_risks_error"' in html
    assert MESSAGE in html
    assert not Proposal.objects.exists()
    client.post(url, {**form, "risks": "x" * LONG_TEXT})
    assert len(Proposal.objects.get().risks) == LONG_TEXT


def test_any_save_of_too_long_text_is_refused_naming_the_field(plan, sunderland_lead):
    proposal = propose(plan, sunderland_lead)
    proposal.benefits = TOO_LONG
    with pytest.raises(RuleError) as refused:
        proposal.save()
    assert refused.value.field == "benefits"
    assert str(refused.value) == MESSAGE


def test_every_free_text_field_has_the_limit():
    unlimited = [
        (m._meta.app_label, m._meta.model_name, f.name)
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS
        for f in m._meta.concrete_fields
        if isinstance(f, models.TextField) and not isinstance(f, models.JSONField)
        if f.max_length is None
    ]
    assert set(unlimited) == SYSTEM_TEXT
