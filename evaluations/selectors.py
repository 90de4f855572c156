"""Reads for the evaluations' pages and API, each in a fixed number of queries whatever the
number of priorities or evaluations (issue 17, "What to build" 6)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from hubs.models import ProgrammeOfCare, Region
from ideas.models import Theme
from priorities.models import Delivery, PrioritiesPlan, Proposal

from .models import Evaluation, Rating, evaluation_opens_on
from .permissions import evaluations_visible_to

ON_PAGE = (
    "proposal__plan__group__hub__region",
    "proposal__programme_of_care",
    "evaluated_by",
)


def plan_priorities(plan: PrioritiesPlan) -> list[Proposal]:
    """The plan's included priorities, each with its delivery (if set) and its standing
    evaluation (`evaluation`, or None). Two queries."""
    standing = Evaluation.objects.filter(archived_at__isnull=True).select_related("evaluated_by")
    priorities: list[Proposal] = list(
        plan.proposals.filter(status=Proposal.Status.INCLUDED)
        .select_related("programme_of_care", "ccg", "delivery")
        .prefetch_related(Prefetch("evaluations", queryset=standing, to_attr="standing"))
        .order_by("title", "pk")
    )
    for p in priorities:
        standing = p.standing  # type: ignore[attr-defined]
        p.evaluation = standing[0] if standing else None  # type: ignore[attr-defined]
    return priorities


def delivery_of(proposal: Proposal) -> Delivery | None:
    """The priority's delivery (its QIPP target and KPIs), or None."""
    return Delivery.objects.filter(proposal=proposal).first()


def archived_of(proposal: Proposal) -> QuerySet[Evaluation]:
    """The priority's archived evaluations, newest first."""
    return (
        Evaluation.objects.filter(proposal=proposal, archived_at__isnull=False)
        .select_related("archived_by")
        .order_by("-archived_at", "-pk")
    )


def evaluation_history(evaluation: Evaluation):
    """The evaluation's saved versions, newest first, with who saved each."""
    last = evaluation.history.order_by().values("version").annotate(last=Max("history_id"))
    return (
        evaluation.history.filter(history_id__in=last.values("last"))
        .select_related("history_user")
        .order_by("-history_id")
    )


def for_api(user) -> QuerySet[Evaluation]:
    return (
        evaluations_visible_to(user)
        .select_related(*ON_PAGE, "idea_post")
        .order_by("-proposal__plan__year", "proposal__plan__group__hub__name", "-pk")
    )


# --- the learning library's shared evaluations -----------------------------------------------


SEARCHED = (
    "title",
    "hub",
    "benefits",
    "working",
    "perverse_incentives",
    "blockages",
    "good_practice",
)


def shared(
    *, q: str = "", programme: ProgrammeOfCare | None = None, theme: str = ""
) -> QuerySet[Evaluation]:
    """Evaluations shared to the learning library (archived ones leave it), newest shared
    first; searched by words in their shared text, the priority's Programme of Care and the
    theme."""
    evaluations = Evaluation.objects.filter(
        library_shared_at__isnull=False, archived_at__isnull=True
    )
    for word in q.split()[:10]:
        match = Q()
        for key in SEARCHED:
            match |= Q(**{f"shared_content__{key}__icontains": word})
        evaluations = evaluations.filter(match)
    if programme is not None:
        evaluations = evaluations.filter(proposal__programme_of_care=programme)
    if theme:
        evaluations = evaluations.filter(shared_content__theme=theme)
    return evaluations.only("pk", "library_shared_at", "shared_content").order_by(
        "-library_shared_at", "-pk"
    )


def programmes() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.order_by("name")


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def region_by_slug(slug: str) -> Region | None:
    return Region.objects.filter(slug=slug).first()


# --- the national summary ----------------------------------------------------------------------


@dataclass
class Row:
    """One line of the summary: a Programme of Care or a theme."""

    key: str
    label: str
    included: int = 0
    evaluated: int = 0
    ratings: dict = field(default_factory=lambda: dict.fromkeys(Rating.values, 0))
    planned: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)

    @property
    def met(self) -> int:
        return self.ratings[Rating.MET]

    @property
    def partly_met(self) -> int:
        return self.ratings[Rating.PARTLY_MET]

    @property
    def not_met(self) -> int:
        return self.ratings[Rating.NOT_MET]

    @property
    def difference(self) -> Decimal:
        return self.realised - self.planned


@dataclass
class Summary:
    year: int
    regions: list[Region] | None  # None: every region
    by_programme: list[Row]
    by_theme: list[Row]
    total: Row

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


NONE = "none"


def _in_scope(queryset, prefix: str, year: int, regions: list[Region] | None):
    queryset = queryset.filter(**{f"{prefix}plan__year": year})
    if regions is not None:
        queryset = queryset.filter(
            **{f"{prefix}plan__group__hub__region__in": [r.pk for r in regions]}
        )
    return queryset


def standing_evaluations(year: int, regions: list[Region] | None) -> QuerySet[Evaluation]:
    """The year's standing evaluations in the regions (all when None), for the summary's list
    and CSV: by hub, then priority."""
    return (
        _in_scope(Evaluation.objects.filter(archived_at__isnull=True), "proposal__", year, regions)
        .select_related(*ON_PAGE)
        .order_by("proposal__plan__group__hub__name", "proposal__title", "pk")
    )


def summary(year: int, regions: list[Region] | None) -> Summary:
    """Evaluations of the year's included priorities by Programme of Care and by theme: how
    many priorities were included and evaluated, the ratings, QIPP planned and realised. Four
    queries."""
    included = (
        _in_scope(Proposal.objects.filter(status=Proposal.Status.INCLUDED), "", year, regions)
        .order_by()
        .values("programme_of_care")
        .annotate(n=Count("pk"))
    )
    evaluations = _in_scope(
        Evaluation.objects.filter(archived_at__isnull=True), "proposal__", year, regions
    ).order_by()
    money = {
        "n": Count("pk"),
        "planned": Coalesce(Sum("planned_qipp"), Decimal(0)),
        "realised": Coalesce(Sum("qipp_realised"), Decimal(0)),
        **{r: Count("pk", filter=Q(rating=r)) for r in Rating.values},
    }
    by_poc = evaluations.values("proposal__programme_of_care").annotate(**money)
    by_theme = evaluations.values("theme").annotate(**money)
    names = {p.pk: p for p in programmes()}

    def fill(row: Row, data: dict) -> Row:
        row.evaluated += data["n"]
        row.planned += data["planned"]
        row.realised += data["realised"]
        for r in Rating.values:
            row.ratings[r] += data[r]
        return row

    poc_rows: dict = {}
    for data in included:
        pk = data["programme_of_care"]
        poc_rows.setdefault(pk, _poc_row(pk, names)).included += data["n"]
    for data in by_poc:
        pk = data["proposal__programme_of_care"]
        fill(poc_rows.setdefault(pk, _poc_row(pk, names)), data)
    theme_rows = {t: Row(key=t, label=label) for t, label in Theme.choices}
    for data in by_theme:
        theme = data["theme"]
        fill(theme_rows.setdefault(theme, Row(key=theme, label=theme)), data)
    total = Row(key="all", label="All priorities")
    total.included = sum(r.included for r in poc_rows.values())
    for row in poc_rows.values():
        total.evaluated += row.evaluated
        total.planned += row.planned
        total.realised += row.realised
        for r in Rating.values:
            total.ratings[r] += row.ratings[r]
    ordered = sorted(poc_rows.values(), key=lambda r: (r.key == NONE, r.label))
    return Summary(
        year=year,
        regions=regions,
        by_programme=ordered,
        by_theme=list(theme_rows.values()),
        total=total,
    )


def _poc_row(pk, names: dict) -> Row:
    if pk is None:
        return Row(key=NONE, label="No Programme of Care named")
    programme = names.get(pk)
    return Row(key=programme.slug if programme else str(pk), label=str(programme or pk))


def ended_years(today: datetime.date) -> list[int]:
    """Financial years with plans whose evaluation is open (their year has ended), newest
    first."""
    years = PrioritiesPlan.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [y for y in years if evaluation_opens_on(y) <= today]


def default_year(today: datetime.date) -> int:
    """The summary's year unless one is chosen: the newest year whose evaluation is open."""
    years = ended_years(today)
    if years:
        return years[0]
    return today.year - 2 if today.month < 4 else today.year - 1


def no_evaluations() -> QuerySet[Evaluation]:
    """An empty queryset of evaluations (for the API schema's generation)."""
    return Evaluation.objects.none()
