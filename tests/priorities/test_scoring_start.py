"""Issue 18, finding 4: scoring starts from the plan page. The hub's staff score without
first typing their own email address (they become assessors with their first score, or with
"I will assess"); the score form shows the proposal and what 0-5 mean; labels read well."""

import pytest
from django.urls import reverse

from priorities.forms import criterion_phrase, score_form
from priorities.models import Assessor, Score
from tests.priorities.helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Value and QIPP", "value and QIPP"),
        ("Reducing inequalities", "reducing inequalities"),
        ("QIPP delivery", "QIPP delivery"),
        ("NHS England fit", "NHS England fit"),
        ("A", "a"),
    ],
)
def test_criterion_names_read_well_inside_a_label(name, phrase):
    assert criterion_phrase(name) == phrase


def test_score_labels_keep_acronyms(plan):
    form = score_form(list(plan.criteria.active()))
    labels = [f.label for f in form.fields.values()]
    assert "Note on value and QIPP (optional)" in labels
    assert "Score for value and QIPP" in labels
    assert not any("qipp" in label for label in labels)


def test_hub_staff_are_asked_to_score_from_the_plan_page(
    client, plan, nec_hub_officer, sunderland_lead
):
    proposal = submitted(plan, sunderland_lead, "Two arterial centres")
    client.force_login(nec_hub_officer)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Score these proposals" in page
    assert reverse("priorities:proposal-score", args=[proposal.pk]) in page
    assert reverse("priorities:assessor-self-add", args=[plan.pk]) in page


def test_hub_staff_become_assessors_with_their_first_score(
    client, plan, nec_hub_officer, sunderland_lead
):
    proposal = submitted(plan, sunderland_lead, "Two arterial centres")
    client.force_login(nec_hub_officer)
    url = reverse("priorities:proposal-score", args=[proposal.pk])
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Two arterial centres" in html
    assert "NHS Sunderland CCG" in html
    assert "Too many small units" in html  # the proposal's problem and evidence
    assert 'id="score-scale"' in html
    assert "5: excellent" in html
    criteria = list(plan.criteria.active())
    refused = client.post(url, {f"score-{c.pk}": "4" for c in criteria[1:]})
    assert f'id="id_score-{criteria[0].pk}_error"' in refused.content.decode()
    assert not Assessor.objects.exists()
    assert not Score.objects.exists()
    saved = client.post(url, {f"score-{c.pk}": "4" for c in criteria})
    assert saved.status_code == 302
    assert Assessor.objects.filter(plan=plan, user=nec_hub_officer).exists()
    assert Score.objects.filter(assessor=nec_hub_officer).count() == len(criteria)
    again = client.get(plan.get_absolute_url()).content.decode()
    assert "Change your scores" in again
    assert reverse("priorities:assessor-self-add", args=[plan.pk]) not in again


def test_i_will_assess_in_one_click(client, plan, nec_hub_officer):
    client.force_login(nec_hub_officer)
    url = reverse("priorities:assessor-self-add", args=[plan.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith("#score")
    assert client.post(url).status_code == 302  # twice: still one assessor
    assert list(Assessor.objects.values_list("user_id", flat=True)) == [nec_hub_officer.pk]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sunderland_lead", 403), ("north_reviewer", 403), ("london_hub_officer", 404)],
)
def test_only_the_hubs_staff_add_themselves(client, request, plan, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert (
        client.post(reverse("priorities:assessor-self-add", args=[plan.pk])).status_code == status
    )
    assert not Assessor.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sunderland_lead", 403), ("north_reviewer", 403), ("london_hub_officer", 404)],
)
def test_others_still_cannot_score(client, request, plan, sunderland_lead, persona, status):
    proposal = submitted(plan, sunderland_lead, "A")
    client.force_login(request.getfixturevalue(persona))
    url = reverse("priorities:proposal-score", args=[proposal.pk])
    assert client.get(url).status_code == status
    data = {f"score-{c.pk}": "4" for c in plan.criteria.active()}
    assert client.post(url, data).status_code == status
    assert not Score.objects.exists()
    if persona == "sunderland_lead":
        assert "Score these proposals" not in client.get(plan.get_absolute_url()).content.decode()
