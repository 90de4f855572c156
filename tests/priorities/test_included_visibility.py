"""Who sees a plan's included priorities: they are the group's agreed plan, so every reader of
the plan sees them all; drafts and undecided proposals stay with their CCG and hub staff. The
plan page's list and totals, the dashboard, the CSVs and the XLSX give the same answer."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from priorities import services
from tests.priorities.helpers import included, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(plan, nec_hub_officer, sunderland_lead):
    """Sunderland's included priority, the hub staff's own included priority, and a draft of
    each: the Sunderland lead sees both priorities and only their own draft."""
    theirs = included(plan, sunderland_lead, nec_hub_officer, "Sunderland priority")
    hubs = propose(
        plan, nec_hub_officer, ods=None, title="Hub priority", qipp_savings=Decimal(70000)
    )
    services.proposal_submit(by=nec_hub_officer, proposal=hubs, version=hubs.version)
    hubs.refresh_from_db()
    services.proposal_decide(
        by=nec_hub_officer, proposal=hubs, version=hubs.version, status="included", rationale="Y"
    )
    propose(plan, sunderland_lead, title="Sunderland draft")
    propose(plan, nec_hub_officer, ods=None, title="Hub draft")
    return theirs, hubs


def _rows(response) -> list[str]:
    return [r[0] for r in csv.reader(io.StringIO(response.content.decode()))][1:]


def test_the_plan_page_lists_every_included_priority(client, plan, agreed, sunderland_lead):
    client.force_login(sunderland_lead)
    page = client.get(plan.get_absolute_url())
    assert sorted(p.title for p in page.context["included"]) == [
        "Hub priority",
        "Sunderland priority",
    ]
    assert sorted(p.title for p in page.context["proposals"]) == [
        "Hub priority",
        "Sunderland draft",
        "Sunderland priority",
    ]


def test_the_plan_totals_count_every_included_priority(client, plan, agreed, sunderland_lead):
    client.force_login(sunderland_lead)
    page = client.get(plan.get_absolute_url())
    assert page.context["totals"]["qipp"] == Decimal(250000 + 70000)
    assert "Total QIPP savings of included priorities: <strong>£320,000</strong>" in (
        page.content.decode()
    )


def test_the_dashboard_shows_every_included_priority(client, plan, agreed, sunderland_lead):
    client.force_login(sunderland_lead)
    html = client.get(reverse("priorities:plan-dashboard", args=[plan.pk])).content.decode()
    assert "Hub priority" in html
    assert "Sunderland priority" in html
    assert "draft" not in html


def test_the_csvs_give_the_same_answer(client, plan, agreed, sunderland_lead):
    client.force_login(sunderland_lead)
    proposals = _rows(client.get(reverse("priorities:plan-csv", args=[plan.pk])))
    assert proposals == ["Hub priority", "Sunderland draft", "Sunderland priority"]
    priorities = _rows(client.get(reverse("priorities:plan-priorities-csv", args=[plan.pk])))
    assert priorities == ["Hub priority", "Sunderland priority"]


def test_the_xlsx_gives_the_same_answer(client, plan, agreed, sunderland_lead):
    from openpyxl import load_workbook

    client.force_login(sunderland_lead)
    book = load_workbook(
        io.BytesIO(client.get(reverse("priorities:plan-xlsx", args=[plan.pk])).content)
    )
    titles = {
        name: [row[0].value for row in book[name].iter_rows(min_row=2)]
        for name in ("Proposals", "Priorities")
    }
    assert titles == {
        "Proposals": ["Hub priority", "Sunderland draft", "Sunderland priority"],
        "Priorities": ["Hub priority", "Sunderland priority"],
    }


def test_a_reader_opens_any_included_priority_but_not_anothers_draft(
    client, plan, agreed, sunderland_lead
):
    _, hubs = agreed
    client.force_login(sunderland_lead)
    assert client.get(hubs.get_absolute_url()).status_code == 200
    assert client.get(reverse("priorities:priority-delivery", args=[hubs.pk])).status_code == 200
    draft = plan.proposals.get(title="Hub draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
