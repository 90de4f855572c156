"""Review cycles and their lines of enquiry."""

import datetime

from django.db import IntegrityError, transaction

from commissioning import audit
from commissioning.concurrency import attribute_to

from ..events import Event
from ..models import LineOfEnquiry, LineRating, ReviewCycle
from ._base import ReviewError, _text

# --- cycles ---------------------------------------------------------------------------------

# Seed 000 section 4.1: the first review assures the plan and governance at the point of
# readiness; the second identifies improvements, reviews how the collaborative functions,
# finds further areas for improvement and shares learning.
DEFAULT_LINES: dict[str, list[tuple[str, str]]] = {
    ReviewCycle.Kind.FIRST: [
        (
            "Priorities plan",
            "Priorities are evidenced, reduce inequalities and improve quality, value and "
            "sustainability; CCGs proposed them and the group agreed them against its criteria.",
        ),
        (
            "Governance arrangements",
            "Terms of reference and a collaboration agreement are agreed; quorum, decisions and "
            "recommendations to the regional team are recorded.",
        ),
        (
            "CCG engagement and representation",
            "Every CCG in the footprint is a member or represented by a member CCG, and takes "
            "part.",
        ),
        (
            "Membership and voices",
            "NHS England, Public Health England, patients and the public, local authorities and "
            "the voluntary sector are members; conflicts of interest are declared and managed.",
        ),
        (
            "Delivery and QIPP",
            "Each priority has a lead, a sub-group, milestones and a QIPP target that add up.",
        ),
    ],
    ReviewCycle.Kind.SECOND: [
        ("Improvements made", "What the collaborative has improved since the first review."),
        (
            "How the collaborative arrangements function",
            "Meetings, sub-groups, decision making and CCG participation in practice.",
        ),
        ("Further areas for improvement", "What should change before next year's plan."),
        ("Learning and good practice to share", "What other hubs should learn from this one."),
    ],
}


@transaction.atomic
def cycle_create(
    *,
    by,
    year: int,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    purpose: str = "",
) -> ReviewCycle:
    """A new review cycle with the default lines of enquiry for its kind."""
    if closes_on < opens_on:
        raise ReviewError("The window must close on or after the day it opens.", field="closes_on")
    cycle = ReviewCycle(year=year, kind=kind, opens_on=opens_on, closes_on=closes_on)
    cycle.purpose = _text(purpose)
    attribute_to(cycle, by)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as clash:
        raise ReviewError(
            f"There is already a {cycle.get_kind_display().lower()} cycle for {cycle.year_label}.",
            field="kind",
        ) from clash
    for order, (title, prompt) in enumerate(DEFAULT_LINES[kind], start=1):
        line = LineOfEnquiry(cycle=cycle, order=order, title=title, prompt=prompt)
        attribute_to(line, by)
        line.save()
    audit.record(actor=by, verb=Event.CYCLE_CREATED, target=cycle)
    return cycle


@transaction.atomic
def line_add(*, by, cycle: ReviewCycle, title: str, prompt: str = "") -> LineOfEnquiry:
    """Add a line of enquiry; only before any reviewer has started rating."""
    if LineRating.objects.filter(line__cycle=cycle).exists():
        raise ReviewError("Reviewers have started rating: the lines of enquiry are fixed now.")
    title = _text(title)
    if not title:
        raise ReviewError("Give the line of enquiry a title.", field="title")
    if cycle.lines.filter(title__iexact=title).exists():
        raise ReviewError("The cycle already has that line of enquiry.", field="title")
    order = (cycle.lines.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    line = LineOfEnquiry(cycle=cycle, order=order, title=title, prompt=_text(prompt))
    attribute_to(line, by)
    line.save()
    audit.record(actor=by, verb=Event.CYCLE_LINE_ADDED, target=cycle, line=title)
    return line
