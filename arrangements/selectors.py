"""Reads for the arrangements pages, API and exports, each in a fixed number of queries
whatever the number of arrangements, parties and contributions."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from exemplars.models import Exemplar
from hubs.models import CCG, IntegratedCareSystem, ProgrammeOfCare, Region
from hubs.querysets import valid_on_q
from hubs.selectors import ccgs_of_system
from oversight.models import OversightGroup

from .models import NHS_ENGLAND, Arrangement, Contribution, year_label
from .permissions import visible_arrangements

Status = Arrangement.Status


def with_parts(arrangements: QuerySet[Arrangement]) -> QuerySet[Arrangement]:
    """Arrangements with what a list or the API shows of each: system, hub, region, host,
    board, parties, Programmes of Care and contributions (five queries in all)."""
    return arrangements.select_related(
        "system__hub__region", "host", "board", "exemplar"
    ).prefetch_related(
        Prefetch("parties", queryset=CCG.objects.order_by("name")),
        Prefetch("programmes", queryset=ProgrammeOfCare.objects.order_by("name")),
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related("party").order_by("year", "party__name"),
        ),
    )


def system_arrangements(user, system: IntegratedCareSystem) -> list[Arrangement]:
    rows = visible_arrangements(user).filter(system=system).order_by("-start_date", "title")
    return list(with_parts(rows))


def api_arrangements(user) -> QuerySet[Arrangement]:
    if user is None:
        return Arrangement.objects.none()
    return with_parts(visible_arrangements(user)).order_by("pk")


def arrangement_full(arrangement: Arrangement) -> Arrangement:
    return with_parts(Arrangement.objects.filter(pk=arrangement.pk)).get()


def total_of(arrangement: Arrangement) -> Decimal:
    """The sum of every contribution (from the preloaded rows)."""
    return sum((c.amount for c in arrangement.contributions.all()), Decimal(0))


@dataclass
class YearRow:
    year: int
    cells: list  # one Contribution or None per column
    total: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        return year_label(self.year)


@dataclass
class ContributionTable:
    columns: list[str]  # "NHS England", then each party's name
    rows: list[YearRow] = field(default_factory=list)
    column_totals: list[Decimal] = field(default_factory=list)
    total: Decimal = Decimal(0)


def contribution_table(arrangement: Arrangement) -> ContributionTable:
    """Contributions by financial year (rows) and party (columns, NHS England first), with the
    total of each year and party. A former party's contributions keep their column."""
    parties = list(arrangement.parties.all())
    contributions = list(arrangement.contributions.all())
    party_ids: list[int | None] = [None, *[p.pk for p in parties]]
    names = [NHS_ENGLAND, *[p.name for p in parties]]
    for c in contributions:
        if c.party_id not in party_ids:
            party_ids.append(c.party_id)
            names.append(c.party_name)
    table = ContributionTable(columns=names)
    by_year: dict[int, YearRow] = {}
    for c in contributions:
        row = by_year.setdefault(c.year, YearRow(c.year, [None] * len(party_ids)))
        row.cells[party_ids.index(c.party_id)] = c
        row.total += c.amount
    table.rows = [by_year[y] for y in sorted(by_year)]
    table.column_totals = [
        sum((r.cells[i].amount for r in table.rows if r.cells[i] is not None), Decimal(0))
        for i in range(len(party_ids))
    ]
    table.total = sum((r.total for r in table.rows), Decimal(0))
    return table


def status_history(arrangement: Arrangement) -> list:
    """Each status the arrangement has had, oldest first, with when and who (its history)."""
    records = list(
        arrangement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    moves, last = [], None
    for record in records:
        if record.status != last:
            moves.append(record)
            last = record.status
    return moves


def agreements_of(arrangement: Arrangement) -> list:
    return list(arrangement.agreements.select_related("uploaded_by").order_by("-number"))


def party_choices(system: IntegratedCareSystem) -> QuerySet[CCG]:
    """Every commissioner that has been in the system (the service checks the start date)."""
    return ccgs_of_system(system.pk)


def members_on(system: IntegratedCareSystem, day) -> QuerySet[CCG]:
    return CCG.objects.filter(
        valid_on_q(day, "system_memberships__"), system_memberships__system=system
    ).order_by("name")


def boards_of(system: IntegratedCareSystem) -> QuerySet[OversightGroup]:
    return OversightGroup.objects.filter(
        kind=OversightGroup.Kind.STRATEGY_BOARD, system=system
    ).order_by("-start_date", "name")


def programmes() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.order_by("name")


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


# --- the national view ---------------------------------------------------------------------


def national_arrangements(
    user, *, kind: str = "", status: str = "", region: Region | None = None
) -> QuerySet[Arrangement]:
    rows = visible_arrangements(user)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if region is not None:
        rows = rows.filter(system__hub__region=region)
    return rows.order_by("system__hub__region__name", "system__name", "-start_date", "title", "pk")


@dataclass
class TotalsTable:
    years: list[int]
    rows: list[tuple[str, list[Decimal], Decimal]]  # label, per year, all years

    @property
    def year_labels(self) -> list[str]:
        return [year_label(y) for y in self.years]


def totals(arrangements: QuerySet[Arrangement]) -> tuple[TotalsTable, TotalsTable]:
    """The sum of contributions per financial year, by type and by region (two queries)."""
    sums = list(
        Contribution.objects.filter(arrangement__in=arrangements.values("pk"))
        .values("arrangement__kind", "arrangement__system__hub__region__name", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    years = sorted({s["year"] for s in sums})
    kinds = dict(Arrangement.Kind.choices)

    def table(key, labels) -> TotalsTable:
        grid: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for s in sums:
            grid[labels(s[key])][s["year"]] += s["total"]
        rows = [
            (label, [grid[label][y] for y in years], sum(grid[label].values(), Decimal(0)))
            for label in sorted(grid)
        ]
        return TotalsTable(years, rows)

    return (
        table("arrangement__kind", lambda k: str(kinds[k])),
        table("arrangement__system__hub__region__name", str),
    )


def all_commissioners() -> QuerySet[CCG]:
    return CCG.objects.all()


def exemplars_of(system: IntegratedCareSystem) -> QuerySet[Exemplar]:
    """The system's exemplar projects an arrangement may come from."""
    return Exemplar.objects.filter(system=system).order_by("-start_date", "title")


def all_exemplars() -> QuerySet[Exemplar]:
    return Exemplar.objects.all()


def all_boards() -> QuerySet[OversightGroup]:
    return OversightGroup.objects.filter(kind=OversightGroup.Kind.STRATEGY_BOARD)


def no_contributions() -> QuerySet[Contribution]:
    """The contributions API reads one row at a time through its access check."""
    return Contribution.objects.none()
