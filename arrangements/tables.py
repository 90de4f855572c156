"""The national view's tables, for CSV and XLSX (cells guarded as priorities/tables.py does)."""

from collections.abc import Iterable
from decimal import Decimal

from .models import Arrangement, year_label
from .selectors import TotalsTable, total_of

Table = tuple[list[str], list[list]]


def arrangement_table(arrangements: Iterable[Arrangement]) -> Table:
    """One row per arrangement, with each financial year's contributions (all parties) and the
    total; the arrangements come with their parts preloaded (`selectors.with_parts`)."""
    rows = list(arrangements)
    years = sorted({c.year for a in rows for c in a.contributions.all()})
    header = [
        "Title",
        "Type",
        "Status",
        "Integrated care system",
        "Hub",
        "Region",
        "Parties",
        "Host",
        "Legal basis",
        "Programmes of Care",
        "Services in scope",
        "Start date",
        "End date",
        "Review date",
        "Strategy board",
        "Accountable officer",
        *[f"{year_label(y)} (£)" for y in years],
        "Total (£)",
    ]
    out = []
    for a in rows:
        by_year: dict[int, Decimal] = {}
        for c in a.contributions.all():
            by_year[c.year] = by_year.get(c.year, Decimal(0)) + c.amount
        officer = ", ".join(x for x in (a.officer_name, a.officer_title) if x)
        out.append(
            [
                a.title,
                a.get_kind_display(),
                a.get_status_display(),
                a.system.name,
                a.system.hub.name,
                a.system.hub.region.name,
                "; ".join(["NHS England", *[p.name for p in a.parties.all()]]),
                a.host_name,
                a.legal_basis_label,
                "; ".join(p.name for p in a.programmes.all()),
                a.services,
                a.start_date.isoformat(),
                a.end_date.isoformat() if a.end_date else "",
                a.review_date.isoformat() if a.review_date else "",
                a.board.name if a.board else "",
                officer,
                *[by_year.get(y, Decimal(0)) for y in years],
                total_of(a),
            ]
        )
    return header, out


def totals_table(label: str, totals: TotalsTable) -> Table:
    header = [label, *[f"{y} (£)" for y in totals.year_labels], "Total (£)"]
    return header, [[name, *amounts, total] for name, amounts, total in totals.rows]
