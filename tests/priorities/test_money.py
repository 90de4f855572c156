"""Money as people read and type it (issue 18, finding 8): "£250,000" on pages, money boxes
that take "£250,000", and every money refusal reported at once (form and API)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.numbers import money, number, parse_money
from priorities import services
from priorities.models import Proposal
from tests.priorities.helpers import included, propose

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (250000, "£250,000"),
        ("250000", "£250,000"),  # frozen content keeps its amounts as strings
        (Decimal("1250000"), "£1,250,000"),
        (Decimal("12.5"), "£12.50"),
        (0, "£0"),
        (-1000, "-£1,000"),
        (None, ""),
        ("", ""),
        ("n/a", "n/a"),
    ],
)
def test_money_reads_as_the_nhs_writes_it(value, expected):
    assert money(value) == expected


def test_counts_have_thousands_separators():
    assert number(1250) == "1,250"
    assert number("999") == "999"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("250000", "250000"),
        ("250,000", "250000"),
        ("£250,000", "250000"),
        (" £ 250,000.00 ", "250000"),
        ("2,50", "2,50"),  # not thousands: left for the field to refuse
        ("£25k", "£25k"),
    ],
)
def test_typed_money_loses_its_pound_sign_and_commas(typed, read):
    assert parse_money(typed) == read


def _form(plan, **money_fields):
    return {
        "title": "Vascular surgery",
        "problem": "Too many small units",
        "qipp_savings": "0",
        "costs": "0",
        **money_fields,
    }


def test_a_money_box_takes_pounds_as_people_type_them(client, plan, sunderland_lead):
    client.force_login(sunderland_lead)
    url = reverse("priorities:proposal-create", args=[plan.pk])
    response = client.post(url, _form(plan, qipp_savings="£250,000", costs="1,500"))
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get()
    assert proposal.qipp_savings == Decimal(250000)
    assert proposal.costs == Decimal(1500)
    # and shows it back with its commas, on the page and in the box
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "£250,000 / £1,500" in page
    edit = client.get(reverse("priorities:proposal-edit", args=[proposal.pk])).content.decode()
    assert 'value="250,000"' in edit


def test_money_that_is_not_an_amount_is_refused_beside_its_box(client, plan, sunderland_lead):
    client.force_login(sunderland_lead)
    url = reverse("priorities:proposal-create", args=[plan.pk])
    html = client.post(url, _form(plan, qipp_savings="£25k")).content.decode()
    assert 'id="id_qipp_savings_error"' in html
    assert "Enter an amount in whole pounds, like £250,000" in html
    assert not Proposal.objects.exists()


def test_every_money_refusal_is_reported_at_once(client, plan, sunderland_lead):
    too_much = "£5,000,000,000"
    client.force_login(sunderland_lead)
    url = reverse("priorities:proposal-create", args=[plan.pk])
    html = client.post(url, _form(plan, qipp_savings=too_much, costs=too_much)).content.decode()
    assert 'id="id_qipp_savings_error"' in html
    assert 'id="id_costs_error"' in html
    assert "QIPP savings of more than £1bn" in html
    assert "Costs of more than £1bn" in html
    assert not Proposal.objects.exists()


def test_the_service_reports_every_refusal_and_the_api_each_by_its_field(
    api_client, plan, sunderland_lead
):
    with pytest.raises(services.PlanError) as raised:
        propose(plan, sunderland_lead, qipp_savings=Decimal(-1), costs=Decimal(5_000_000_000))
    assert [e.field for e in raised.value.errors] == ["qipp_savings", "costs"]
    api_client.force_authenticate(sunderland_lead)
    body = {
        "plan": plan.pk,
        "ccg": "00P",
        "title": "Via the API",
        "problem": "Evidence",
        "qipp_savings": "5000000000",
        "costs": "5000000000",
    }
    answer = api_client.post("/api/v1/proposals/", body, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) >= {"qipp_savings", "costs"}
    assert not Proposal.objects.exists()


def test_pages_show_money_with_thousands_separators(client, plan, nec_hub_officer, sunderland_lead):
    included(plan, sunderland_lead, nec_hub_officer, "Two arterial centres")
    client.force_login(nec_hub_officer)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "£250,000" in page
    assert "£250000" not in page
