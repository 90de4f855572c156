"""The dashboard's status and milestone charts; CSV and XLSX of proposals and priorities, guarded
against formula injection; the ranking's per-row decisions."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from priorities import services, tables
from priorities.models import Milestone, Proposal
from tests.priorities.helpers import included, propose, submitted

pytestmark = pytest.mark.django_db


def test_safe_cell_guards_formulas_only_in_text():
    assert tables.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [tables.safe_cell(v) for v in ("+1", "-1", "@SUM(A1)", "\tx")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert tables.safe_cell("Vascular = better") == "Vascular = better"
    assert tables.safe_cell(Decimal(-5)) == Decimal(-5)


@pytest.fixture
def delivered(plan, nec_hub_officer, sunderland_lead):
    """Three included priorities in different states, and one proposal still a draft."""
    rows = []
    for title, rag, statuses in (
        ("=cmd|' /C calc'!A0", "red", ["done", "planned"]),
        ("Vascular", "green", ["done", "done", "missed"]),
        ("Neonatal cots", None, ["in_progress"]),
    ):
        priority = included(plan, sunderland_lead, nec_hub_officer, title)
        services.delivery_set(
            by=nec_hub_officer,
            proposal=priority,
            lead="@Dr Mehta",
            subgroup=None,
            kpis="",
            qipp_target=Decimal(100000),
        )
        for i, status in enumerate(statuses):
            milestone = services.milestone_add(
                by=nec_hub_officer,
                proposal=priority,
                title=f"M{i}",
                due_date=datetime.date(2015, 6 + 2 * i, 15),
            )
            Milestone.objects.filter(pk=milestone.pk).update(status=status)
        if rag:
            services.update_add(
                by=nec_hub_officer,
                proposal=priority,
                rag=rag,
                commentary="Report",
                qipp_realised=Decimal(40000),
                reported_on=datetime.date(2015, 7, 1),
            )
        rows.append(priority)
    propose(plan, sunderland_lead, title="Still a draft")
    return rows


@time_machine.travel(datetime.datetime(2015, 7, 20, 12, tzinfo=datetime.UTC))
def test_dashboard_charts(client, plan, delivered, nec_hub_officer):
    client.force_login(nec_hub_officer)
    page = client.get(reverse("priorities:plan-dashboard", args=[plan.pk]))
    status = {b.label: b.value for b in page.context["status_chart"].bars}
    assert status == {"Red": 1, "Amber": 0, "Green": 1, "No update yet": 1}
    milestones = {b.label: b.value for b in page.context["milestone_chart"].bars}
    # On 20 July: three done; one planned for 15 August (due soon); one in progress since
    # 15 June (overdue) and one marked missed.
    assert milestones == {
        "Done": 3,
        "Due in the next 30 days": 1,
        "Overdue or missed": 2,
        "Planned for later": 0,
    }
    html = page.content.decode()
    for chart in ("status", "milestones"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html
        assert f'id="{chart}-table"' in html
    assert "Red: 1; Amber: 0; Green: 1; No update yet: 1." in html


@pytest.mark.parametrize(
    ("persona", "proposals_rows", "priority_rows"),
    [
        (None, None, None),
        ("london_hub_officer", None, None),
        ("sunderland_lead", 4, 3),  # all from Sunderland here
        ("north_reviewer", 4, 3),
        ("nec_hub_officer", 4, 3),
    ],
)
def test_exports_ladder_and_injection_guard(
    client, request, plan, delivered, persona, proposals_rows, priority_rows
):
    from openpyxl import load_workbook

    if persona:
        client.force_login(request.getfixturevalue(persona))
    urls = {
        name: reverse(f"priorities:{name}", args=[plan.pk])
        for name in ("plan-csv", "plan-priorities-csv", "plan-xlsx")
    }
    responses = {name: client.get(url) for name, url in urls.items()}
    if persona is None:
        assert {r.status_code for r in responses.values()} == {302}
        return
    if proposals_rows is None:
        assert {r.status_code for r in responses.values()} == {404}
        return
    proposals = list(csv.reader(io.StringIO(responses["plan-csv"].content.decode())))
    priorities = list(csv.reader(io.StringIO(responses["plan-priorities-csv"].content.decode())))
    assert len(proposals) == 1 + proposals_rows
    assert len(priorities) == 1 + priority_rows
    assert priorities[0][:4] == ["Priority", "CCG", "Programme of Care", "Lead"]
    by_title = {r[0]: r for r in priorities[1:]}
    assert by_title["'=cmd|' /C calc'!A0"][3:] == [
        "'@Dr Mehta",
        "",
        "100000",
        "Red",
        "40000",
        "1",
        "2",
    ]
    assert by_title["Neonatal cots"][6:] == ["Not reported", "0", "0", "1"]
    assert "=cmd|' /C calc'!A0" not in [r[0] for r in proposals]
    book = load_workbook(io.BytesIO(responses["plan-xlsx"].content))
    assert book.sheetnames == ["Proposals", "Priorities"]
    sheet = book["Priorities"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    first = next(r for r in cells if r[0].startswith("'="))
    assert first[0] == "'=cmd|' /C calc'!A0"
    assert first[5] == 100000  # money stays a number
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert book["Proposals"].max_row == 1 + proposals_rows


def test_a_ccg_lead_exports_only_their_own_proposals(
    client, plan, delivered, nec_hub_officer, sunderland_lead
):
    propose(plan, nec_hub_officer, ods=None, title="Hub idea")
    client.force_login(sunderland_lead)
    body = client.get(reverse("priorities:plan-csv", args=[plan.pk])).content.decode()
    assert "Hub idea" not in body
    client.force_login(nec_hub_officer)
    body = client.get(reverse("priorities:plan-csv", args=[plan.pk])).content.decode()
    assert "Hub idea" in body


def test_export_queries_are_bounded(
    client, plan, nec_hub_officer, sunderland_lead, django_assert_max_num_queries
):
    for i in range(100):
        proposal = propose(plan, sunderland_lead, title=f"Priority {i}")
        if i < 40:
            Proposal.objects.filter(pk=proposal.pk).update(status="included", rationale="ok")
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(12):
        client.get(reverse("priorities:plan-priorities-csv", args=[plan.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("priorities:plan-xlsx", args=[plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- decisions from the ranking ------------------------------------------------------------


def test_hub_staff_decide_from_the_ranking(
    client, plan, nec_hub_officer, north_reviewer, sunderland_lead
):
    proposal = submitted(plan, sunderland_lead, "Vascular")
    ranking = reverse("priorities:ranking", args=[plan.pk])
    url = reverse("priorities:proposal-action", args=[proposal.pk, "decide"])
    prefix = f"decide-{proposal.pk}"
    data = {
        "return": "ranking",
        f"{prefix}-version": proposal.version,
        f"{prefix}-status": "included",
        f"{prefix}-rationale": "Strong evidence",
    }
    client.force_login(north_reviewer)
    assert f'name="{prefix}-status"' not in client.get(ranking).content.decode()
    assert client.post(url, data).status_code == 403
    client.force_login(nec_hub_officer)
    page = client.get(ranking).content.decode()
    assert f'name="{prefix}-status"' in page
    refused = client.post(url, {**data, f"{prefix}-rationale": ""})
    assert refused.status_code == 200
    assert "priorities/ranking.html" in [t.name for t in refused.templates]
    assert f'id="id_{prefix}-rationale_error"' in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    done = client.post(url, data)
    assert done["Location"] == f"{ranking}#proposal-{proposal.pk}"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rationale) == ("included", "Strong evidence")
    stale = client.post(url, {**data, f"{prefix}-status": "deferred"})
    html = stale.content.decode()
    assert "saved this while you were editing" in html
    assert f'name="{prefix}-version" value="{proposal.version}"' in html
    proposal.refresh_from_db()
    assert proposal.status == "included"
