"""Geometry for the dashboard's server-drawn SVG bar charts: figures in, bar positions out.

The templates draw each chart with role="img", a <title> and <desc>, and the same figures in a
table beside it, so nothing depends on seeing the bars (or on JavaScript).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# NHS.UK colours; each bar also carries its label and figure as text.
RED, AMBER, GREEN, GREY, BLUE, DARK_GREY = (
    "#d5281b",
    "#ffb81c",
    "#007f3b",
    "#768692",
    "#005eb8",
    "#425563",
)

LABEL_WIDTH = 200  # where the bars start, after their labels
BAR_SPACE = 360  # the longest bar's length
ROW = 34


def svg_number(value: float) -> str:
    """A length or position as the templates' `floatformat:1` writes it ("240.0"), worked
    out once here rather than by a filter per bar (a plan's chart has a bar per priority)."""
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str
    y: int
    width: float

    @property
    def text_y(self) -> int:
        return self.y + 15

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 8


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = LABEL_WIDTH + BAR_SPACE + 60

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)


def bar_chart(items: list[tuple[str, int, str]]) -> BarChart:
    """Horizontal bars for (label, count, colour), scaled to the largest count."""
    biggest = max([value for _, value, _ in items] + [1])
    bars = [
        Bar(
            label=label,
            value=value,
            colour=colour,
            y=8 + i * ROW,
            width=round(BAR_SPACE * value / biggest, 1),
        )
        for i, (label, value, colour) in enumerate(items)
    ]
    return BarChart(bars=bars, height=16 + ROW * len(items))


def status_chart(rows) -> BarChart:
    """Priorities by their latest RAG status (rows: services.PriorityProgress)."""
    count = {rag: sum(1 for r in rows if r.rag == rag) for rag in ("red", "amber", "green")}
    return bar_chart(
        [
            ("Red", count["red"], RED),
            ("Amber", count["amber"], AMBER),
            ("Green", count["green"], GREEN),
            ("No update yet", sum(1 for r in rows if r.rag is None), GREY),
        ]
    )


def milestone_chart(rows) -> BarChart:
    """The plan's milestones: done, due in the next 30 days, overdue or missed, and planned
    later (every milestone falls in exactly one)."""
    done = sum(r.milestones_done for r in rows)
    soon = sum(r.milestones_soon for r in rows)
    late = sum(r.milestones_overdue + r.milestones_missed for r in rows)
    later = sum(r.milestones_total for r in rows) - done - soon - late
    return bar_chart(
        [
            ("Done", done, GREEN),
            ("Due in the next 30 days", soon, BLUE),
            ("Overdue or missed", late, RED),
            ("Planned for later", later, DARK_GREY),
        ]
    )


@dataclass(frozen=True)
class SavingsBar:
    title: str
    y: int
    target_width: float
    realised_width: float
    target: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)


# The PDF's delivery chart (templates/pdf/priorities_plan.html), in its viewBox's units: the
# priority's name on its own line, then two bars, each with its figure written after it (issue
# 18, finding 11: "a delivery chart with no values on it").
SAVINGS_BARS_AT = 110  # where the bars start, after the "QIPP target" / "Realised" labels
SAVINGS_ROW = 46


def savings_chart(delivery: list[dict], *, space: int = 400) -> dict:
    """Target and realised QIPP bars per priority, from a frozen plan's `delivery` list, with
    room after the longest bar for its figure ("£1,000,000")."""
    target = [Decimal(d["target"]) for d in delivery]
    realised = [Decimal(d["realised"]) for d in delivery]
    biggest = max([*target, *realised, Decimal(1)])
    bars = [
        SavingsBar(
            title=d["title"],
            y=4 + i * SAVINGS_ROW,
            target_width=round(float(space * t / biggest), 1),
            realised_width=round(float(space * r / biggest), 1),
            target=t,
            realised=r,
        )
        for i, (d, t, r) in enumerate(zip(delivery, target, realised, strict=True))
    ]
    return {
        "bars": bars,
        "height": 8 + SAVINGS_ROW * len(bars),
        "bars_at": SAVINGS_BARS_AT,
        "space": space,
    }
