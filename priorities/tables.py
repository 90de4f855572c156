"""The plan's proposals and priorities as tables, for CSV and XLSX downloads.

Cells are guarded against formula injection: text a spreadsheet would read as a formula
(starting = + - @, or a tab or carriage return) gets a leading apostrophe, so it shows as typed.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from hubs.models import commissioner_label, financial_year_day

from .models import PrioritiesPlan
from .permissions import proposals_visible_to
from .selectors import dashboard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Table = tuple[list[str], list[list]]


def safe_cell(value):
    """Numbers stay numbers; text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def proposal_table(user, plan: PrioritiesPlan) -> Table:
    """Every proposal the user can see, with status and money. The proposer's column is "CCG"
    or "ICB", as the plan's financial year's local commissioners were called (issue 13)."""
    header = [
        "Title",
        commissioner_label(financial_year_day(plan.year, timezone.localdate())),
        "Programme of Care",
        "Status",
        "QIPP savings (£)",
        "Costs (£)",
        "Rationale",
    ]
    rows = [
        [
            p.title,
            p.ccg.name if p.ccg else "Hub staff",
            p.programme_of_care.name if p.programme_of_care else "",
            p.get_status_display(),
            p.qipp_savings,
            p.costs,
            p.rationale,
        ]
        for p in proposals_visible_to(user, plan).order_by("title")
    ]
    return header, rows


def priority_table(user, plan: PrioritiesPlan, today: datetime.date) -> Table:
    """The included priorities the user can see, with how each is being delivered."""
    header = [
        "Priority",
        commissioner_label(financial_year_day(plan.year, today)),
        "Programme of Care",
        "Lead",
        "Delivery sub-group",
        "QIPP target (£)",
        "Latest RAG",
        "QIPP realised (£)",
        "Milestones done",
        "Milestones in all",
    ]
    rows = []
    for r in dashboard(plan, today, proposals=proposals_visible_to(user, plan)):
        p, d = r.proposal, r.delivery
        rows.append(
            [
                p.title,
                p.ccg.name if p.ccg else "Hub staff",
                p.programme_of_care.name if p.programme_of_care else "",
                d.lead if d else "",
                d.subgroup.name if d and d.subgroup else "",
                r.target,
                r.rag.capitalize() if r.rag else "Not reported",
                r.realised,
                r.milestones_done,
                r.milestones_total,
            ]
        )
    return header, rows


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    header, rows = table
    writer.writerow(header)
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return response


def xlsx_bytes(sheets: Iterable[tuple[str, Table]]) -> bytes:
    """A workbook with one sheet per (name, table): bold headings, money as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets:
        sheet = book.create_sheet(title=name)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([int(c) if isinstance(c, Decimal) else safe_cell(c) for c in row])
        for column, heading in zip(sheet.columns, header, strict=True):
            widest = max([len(str(c.value or "")) for c in column] + [len(heading)])
            sheet.column_dimensions[column[0].column_letter].width = min(widest + 2, 60)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
