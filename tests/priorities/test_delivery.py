"""Delivery monitoring of included priorities (issue 4): the rules, the dashboard's figures and
the delivery page's forms."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from commissioning.concurrency import ConflictError
from priorities import services
from tests.priorities.helpers import (
    included,
    propose,
)

pytestmark = pytest.mark.django_db


# --- delivery monitoring ----------------------------------------------------------------------


def test_delivery_rules(plan, nec_hub_officer, sunderland_lead):
    draft = propose(plan, sunderland_lead, title="Not yet included")
    with pytest.raises(services.PlanError, match="Only priorities included"):
        services.milestone_add(
            by=nec_hub_officer, proposal=draft, title="M", due_date=datetime.date(2015, 6, 1)
        )
    priority = included(plan, sunderland_lead, nec_hub_officer, "Vascular")
    with pytest.raises(services.PlanError, match="must fall in 2015/16") as raised:
        services.milestone_add(
            by=nec_hub_officer,
            proposal=priority,
            title="Too late",
            due_date=datetime.date(2016, 4, 1),
        )
    assert raised.value.field == "due_date"
    with pytest.raises(services.PlanError, match="cannot be negative"):
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            lead="X",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(-1),
        )
    delivery = services.delivery_set(
        by=nec_hub_officer,
        proposal=priority,
        lead="Dr Mehta",
        subgroup=None,
        kpis="30-day mortality",
        qipp_target=Decimal(200000),
    )
    stale = delivery.version
    services.delivery_set(
        by=nec_hub_officer,
        proposal=priority,
        version=stale,
        lead="A",
        subgroup=None,
        kpis="",
        qipp_target=Decimal(1),
    )
    with pytest.raises(ConflictError):
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            version=stale,
            lead="B",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(2),
        )


def test_dashboard_figures(
    client, plan, nec_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    today = datetime.date(2015, 10, 1)
    for i in range(40):
        priority = included(plan, sunderland_lead, nec_hub_officer, f"Priority {i:02d}")
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            lead="L",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(100000),
        )
        for month in (5, 8, 11, 2):
            year = 2016 if month == 2 else 2015
            services.milestone_add(
                by=nec_hub_officer,
                proposal=priority,
                title=f"M{month}",
                due_date=datetime.date(year, month, 1),
            )
        services.update_add(
            by=nec_hub_officer,
            proposal=priority,
            rag=["green", "amber", "red"][i % 3],
            commentary="On track",
            qipp_realised=Decimal(25000),
            reported_on=datetime.date(2015, 9, 30),
        )
    for i in range(60):  # 100 proposals in all, 40 of them included priorities
        propose(plan, sunderland_lead, title=f"Not included {i}")
    rows = services.dashboard(plan, today)
    assert len(rows) == 40
    assert rows[0].target == Decimal(100000)
    assert rows[0].realised == Decimal(25000)
    assert (rows[0].milestones_overdue, rows[0].milestones_due) == (2, 2)
    client.force_login(nec_hub_officer)
    noon = datetime.datetime(2015, 10, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(noon), django_assert_max_num_queries(12):
        page = client.get(reverse("priorities:plan-dashboard", args=[plan.pk]))
    html = page.content.decode()
    assert html.count('class="app-chart"') == 3  # QIPP, status by priority, milestones
    assert 'role="img"' in html
    assert page.context["totals"]["target"] == Decimal(4000000)
    status = {b.label: b.value for b in page.context["status_chart"].bars}
    assert status == {"Red": 13, "Amber": 13, "Green": 14, "No update yet": 0}
    milestones = {b.label: b.value for b in page.context["milestone_chart"].bars}
    # 1 October: May and August overdue; November is 31 days off; February later.
    assert milestones == {
        "Done": 0,
        "Due in the next 30 days": 0,
        "Overdue or missed": 80,
        "Planned for later": 80,
    }
    assert page.context["milestone_chart"].total == 160
    priority = plan.proposals.first()
    with django_assert_max_num_queries(16):
        client.get(reverse("priorities:priority-delivery", args=[priority.pk]))


def test_delivery_page_forms(client, plan, nec_hub_officer, north_reviewer, sunderland_lead):
    priority = included(plan, sunderland_lead, nec_hub_officer, "Vascular")
    url = reverse("priorities:priority-delivery", args=[priority.pk])
    client.force_login(north_reviewer)
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"form": "milestone", "milestone-title": "M", "milestone-due_date": "2015-06-01"}
    )
    assert refused.status_code == 403
    client.force_login(nec_hub_officer)
    bad = client.post(
        url, {"form": "milestone", "milestone-title": "M", "milestone-due_date": "2017-06-01"}
    )
    assert 'id="id_milestone-due_date_error"' in bad.content.decode()
    assert (
        client.post(
            url,
            {
                "form": "milestone",
                "milestone-title": "Consultation",
                "milestone-due_date": "2015-06-01",
            },
        ).status_code
        == 302
    )
    assert priority.milestones.count() == 1
