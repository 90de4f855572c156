"""Reads for the national structures' pages and API, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.permissions import scopes
from hubs.models import CCG, ProgrammeOfCare, Region
from meetings.models import Meeting

from .models import (
    BoardHolding,
    ClinicalReferenceGroup,
    CRGDocument,
    CRGDocumentVersion,
    CRGSeat,
    LeadershipSeat,
    Nomination,
    SeatTerm,
    ServiceReview,
)
from .permissions import nominations_visible_to

SORTS = {"crg": "CRG", "poc": "Programme of Care", "vacancies": "Vacancies"}


def programmes() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.order_by("name")


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def commissioners() -> QuerySet[CCG]:
    return CCG.objects.select_related("hub").order_by("name")


@dataclass
class SeatRow:
    seat: str
    label: str
    holder: BoardHolding | None


def _seats_on(holdings: list[BoardHolding], day: datetime.date) -> list[SeatRow]:
    rows = []
    for value, label in LeadershipSeat.choices:
        holder = next((h for h in holdings if h.seat == value and h.is_valid_on(day)), None)
        rows.append(SeatRow(value, label, holder))
    return rows


def boards_index(day: datetime.date) -> list[dict]:
    """The six boards, each with who holds its three seats on `day` and its CRG count."""
    holdings = list(BoardHolding.objects.order_by("programme_id", "seat", "-start_date"))
    boards = programmes().annotate(
        crg_count=Count("crgs", filter=Q(crgs__archived=False), distinct=True)
    )
    return [
        {
            "programme": p,
            "seats": _seats_on([h for h in holdings if h.programme_id == p.pk], day),
        }
        for p in boards
    ]


def board_page(programme: ProgrammeOfCare, day: datetime.date) -> dict:
    holdings = list(programme.board_holdings.order_by("seat", "-start_date"))
    return {
        "seats": _seats_on(holdings, day),
        "holdings": holdings,
        "crgs": list(programme.crgs.order_by("archived", "name")),
    }


def _terms_prefetch() -> Prefetch:
    return Prefetch(
        "terms", queryset=SeatTerm.objects.select_related("ccg").order_by("-start_date")
    )


def crg_choices() -> QuerySet[ClinicalReferenceGroup]:
    """The CRGs a form offers: current ones first, archived ones after (an older record's)."""
    return ClinicalReferenceGroup.objects.select_related("programme").order_by("archived", "name")


def crg_list(*, archived: bool = False) -> QuerySet[ClinicalReferenceGroup]:
    return ClinicalReferenceGroup.objects.filter(archived=archived).select_related("programme")


@dataclass
class RegionSeat:
    seat: CRGSeat
    holder: SeatTerm | None
    terms: list[SeatTerm] = field(default_factory=list)

    @property
    def vacant(self) -> bool:
        return self.holder is None


def _region_seats(seats, day: datetime.date) -> list[RegionSeat]:
    rows = []
    for seat in seats:
        terms = list(seat.terms.all())
        holder = next((t for t in terms if t.is_valid_on(day)), None)
        rows.append(RegionSeat(seat, holder, terms))
    return rows


def crg_page(user, crg: ClinicalReferenceGroup, day: datetime.date) -> dict:
    """The CRG on `day`: its documents with their versions, its seats by region (holder and
    terms) and the nominations the person may read, in a fixed number of queries."""
    seats = (
        CRGSeat.objects.filter(crg=crg)
        .select_related("region")
        .prefetch_related(_terms_prefetch())
        .order_by("region__name")
    )
    documents = crg.documents.prefetch_related(
        Prefetch("versions", queryset=CRGDocumentVersion.objects.order_by("-number"))
    ).order_by("kind", "title")
    nominations = nominations_visible_to(user).filter(seat__crg=crg).order_by("-created_at")
    return {
        "seats": _region_seats(seats, day),
        "documents": list(documents),
        "nominations": list(nominations),
    }


@dataclass
class SeatsRow:
    crg: ClinicalReferenceGroup
    seats: list[RegionSeat]

    @property
    def vacancies(self) -> int:
        return sum(1 for s in self.seats if s.vacant)


def seats_table(
    day: datetime.date, *, region: Region | None = None, sort: str = "crg"
) -> tuple[list[Region], list[SeatsRow]]:
    """Every open CRG's seats by region on `day` (a seat it lacks counts as vacant), sorted by
    CRG, PoC or vacancies (most first); only `region`'s column when one is given."""
    shown = [region] if region is not None else list(regions())
    seats = CRGSeat.objects.select_related("region").prefetch_related(_terms_prefetch())
    if region is not None:
        seats = seats.filter(region=region)
    crgs = crg_list().prefetch_related(Prefetch("seats", queryset=seats)).order_by("name")
    rows = []
    for crg in crgs:
        by_region = {s.seat.region_id: s for s in _region_seats(crg.seats.all(), day)}
        cells = [by_region.get(r.pk) or RegionSeat(CRGSeat(crg=crg, region=r), None) for r in shown]
        rows.append(SeatsRow(crg, cells))
    if sort == "poc":
        rows.sort(key=lambda r: (r.crg.programme.name, r.crg.name))
    elif sort == "vacancies":
        rows.sort(key=lambda r: (-r.vacancies, r.crg.name))
    return shown, rows


def seats_csv(day: datetime.date, rows: list[SeatsRow], shown: list[Region]) -> tuple:
    header = ["CRG", "Programme of Care", "Vacancies"]
    for region in shown:
        header += [f"{region.name} holder", f"{region.name} CCG or ICB", f"{region.name} term"]
    table = []
    for row in rows:
        line = [row.crg.name, row.crg.programme.name, row.vacancies]
        for cell in row.seats:
            if cell.holder is None:
                line += ["Vacant", "", ""]
            else:
                h = cell.holder
                line += [h.holder_name, h.ccg.name, h.term_label]
        table.append(line)
    return header, table


def default_region(user) -> Region | None:
    """A regional team's own region (the first, if it has several): its view of vacancies."""
    ids = scopes(user).region_ids
    return Region.objects.filter(pk__in=ids).order_by("name").first() if ids else None


def region_by_slug(slug: str) -> Region | None:
    return Region.objects.filter(slug=slug).first()


def meetings_run_by(user) -> QuerySet[Meeting]:
    """The meetings of the oversight groups whose hub the person staffs."""
    return Meeting.objects.filter(group__hub_id__in=scopes(user).hub_ids).select_related(
        "group__hub__region"
    )


def held_meetings_for(user) -> QuerySet[Meeting]:
    """The held meetings of the person's hub's groups (where their group may nominate)."""
    return meetings_run_by(user).filter(status=Meeting.Status.HELD).order_by("-starts_at")


def seat_of(crg: ClinicalReferenceGroup, region_slug: str) -> CRGSeat | None:
    return (
        CRGSeat.objects.select_related("crg__programme", "region")
        .filter(crg=crg, region__slug=region_slug)
        .first()
    )


def nominations_for_api(user) -> QuerySet[Nomination]:
    return nominations_visible_to(user).order_by("-created_at")


def holdings_for_api() -> QuerySet[BoardHolding]:
    return BoardHolding.objects.select_related("programme").order_by("programme__name", "seat")


def boards_for_api() -> QuerySet[ProgrammeOfCare]:
    return programmes().prefetch_related(
        Prefetch("board_holdings", queryset=BoardHolding.objects.order_by("seat", "-start_date")),
        Prefetch("crgs", queryset=ClinicalReferenceGroup.objects.order_by("name")),
    )


def crgs_for_api() -> QuerySet[ClinicalReferenceGroup]:
    return ClinicalReferenceGroup.objects.select_related("programme").order_by("name")


def documents_for_api() -> QuerySet[CRGDocument]:
    return CRGDocument.objects.prefetch_related(
        Prefetch("versions", queryset=CRGDocumentVersion.objects.order_by("-number"))
    ).order_by("crg_id", "title")


def seats_for_api() -> QuerySet[CRGSeat]:
    return CRGSeat.objects.select_related("region", "crg").prefetch_related(_terms_prefetch())


# --- national service reviews (issue 17 part 4) ---------------------------------------------


def current_financial_year(day: datetime.date) -> int:
    """2015 for any day from 1 April 2015 to 31 March 2016."""
    return day.year if day.month >= 4 else day.year - 1


def service_reviews(year: int, *, archived: bool = False) -> QuerySet[ServiceReview]:
    """A year's national service reviews (open or archived), with their PoC and CRG."""
    return (
        ServiceReview.objects.filter(year=year, archived=archived)
        .select_related("programme", "crg")
        .order_by("programme__name", "title", "pk")
    )


def service_review_years() -> set[int]:
    return set(ServiceReview.objects.values_list("year", flat=True).distinct())


def service_reviews_for_api() -> QuerySet[ServiceReview]:
    return ServiceReview.objects.select_related("programme", "crg").order_by(
        "-year", "programme__name", "title", "pk"
    )
