"""The records that satisfy milestones, for many hubs and years, read in one query (issue 20).

Each source (plans, their frozen versions, groups, meetings, engagement meetings, governance
drafts, submitted proposals, peer reviews, review cycles, completions, the hubs' CCGs) is one
branch of a UNION ALL. Every branch selects the same typed columns, in the same order; a
column a source has no use for is a typed NULL, so the databases can match the branches. Each
row comes back as (source, pk, hub, ccg, year, kind, status, at, at2, at3, day, until)."""

import datetime

from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Q,
    Value,
)
from django.db.models.functions import Cast

from governance.models import DocumentVersion
from hubs.models import CCG
from hubs.querysets import valid_on_q
from meetings.models import Meeting
from oversight.models import OversightGroup
from priorities.models import PlanVersion, PrioritiesPlan, Proposal
from reviews.models import PeerReview, ReviewCycle

from .models import EngagementMeeting, MilestoneCompletion, Satisfier

# (column, its type): every branch selects these, in this order.
COLUMNS = (
    ("r_source", CharField),
    ("r_pk", IntegerField),
    ("r_hub", IntegerField),
    ("r_ccg", IntegerField),
    ("r_year", IntegerField),
    ("r_kind", CharField),
    ("r_status", CharField),
    ("r_at", DateTimeField),
    ("r_at2", DateTimeField),
    ("r_at3", DateTimeField),
    ("r_day", DateField),
    ("r_until", DateField),
)


def _branch(queryset, source: str, **fields):
    """One source's rows as the common columns: `fields` maps a column's short name ("hub",
    "at", ...) to the source's field path; the others are NULL cast to the column's type (an
    untyped NULL in two branches would make PostgreSQL take the column for text)."""
    columns = {}
    for name, kind in COLUMNS:
        short = name.removeprefix("r_")
        if short == "source":
            columns[name] = Value(source, output_field=CharField())
        elif short in fields:
            columns[name] = F(fields[short])
        else:
            columns[name] = Cast(Value(None), output_field=kind())
    return queryset.order_by().annotate(**columns).values_list(*(n for n, _ in COLUMNS))


def record_rows(hub_ids: list[int], years: set[int], days: set, wanted: set) -> list[tuple]:
    """Every row that satisfies a milestone for these hubs and years (see the module's
    docstring), and the hubs' CCGs open on any of `days`: one query. Sources the satisfiers
    in `wanted` never read (meetings, engagement meetings, governance drafts) are left out."""
    spread = years | {y + 1 for y in years}
    first, last = min(years), max(years)
    branches = [
        _branch(
            PrioritiesPlan.objects.filter(group__hub_id__in=hub_ids, year__in=spread),
            "plan",
            pk="pk",
            hub="group__hub_id",
            year="year",
            at="created_at",
        ),
        _branch(
            PlanVersion.objects.filter(plan__group__hub_id__in=hub_ids, plan__year__in=years),
            "version",
            hub="plan__group__hub_id",
            year="plan__year",
            at="frozen_at",
        ),
        _branch(
            OversightGroup.objects.filter(hub_id__in=hub_ids),
            "group",
            pk="pk",
            hub="hub_id",
            status="status",
            day="start_date",
            until="closed_on",
        ),
    ]
    if Satisfier.MEETING_HELD in wanted:
        held = Meeting.objects.filter(
            group__hub_id__in=hub_ids,
            status=Meeting.Status.HELD,
            starts_at__date__gte=datetime.date(first, 1, 1),
            starts_at__date__lte=datetime.date(last + 1, 3, 31),
        )
        branches.append(_branch(held, "meeting", hub="group__hub_id", at="starts_at"))
    if Satisfier.ENGAGEMENT_HELD in wanted:
        engagements = EngagementMeeting.objects.filter(
            hub_id__in=hub_ids, held_on__gte=datetime.date(first - 1, 1, 1)
        )
        branches.append(_branch(engagements, "engagement", hub="hub_id", day="held_on"))
    if Satisfier.GOVERNANCE_DRAFTED in wanted:
        drafts = DocumentVersion.objects.filter(document__group__hub_id__in=hub_ids)
        branches.append(_branch(drafts, "draft", hub="document__group__hub_id", at="created_at"))
    submitted = Proposal.objects.filter(
        plan__group__hub_id__in=hub_ids, plan__year__in=years
    ).exclude(status=Proposal.Status.DRAFT)
    branches += [
        _branch(
            submitted,
            "proposal",
            ccg="ccg_id",
            hub="plan__group__hub_id",
            year="plan__year",
            at="created_at",
        ),
        _branch(
            PeerReview.objects.filter(hub_id__in=hub_ids, cycle__year__in=years),
            "review",
            pk="pk",
            hub="hub_id",
            year="cycle__year",
            kind="cycle__kind",
            at="declared_at",
            at2="invited_at",
            at3="reports__issued_at",
        ),
        _branch(
            ReviewCycle.objects.filter(year__in=years), "cycle", pk="pk", year="year", kind="kind"
        ),
        _branch(
            MilestoneCompletion.objects.filter(
                Q(hub_id__in=hub_ids) | Q(hub__isnull=True), milestone__year__in=years
            ),
            "completion",
            pk="milestone_id",
            hub="hub_id",
            at="completed_at",
        ),
    ]
    if days:
        on_a_day = Q(pk__in=[])
        for day in days:
            on_a_day |= valid_on_q(day)
        ccgs = CCG.objects.filter(on_a_day, hub_id__in=hub_ids)
        branches.append(
            _branch(ccgs, "ccg", pk="pk", hub="hub_id", day="valid_from", until="valid_to")
        )
    return list(branches[0].union(*branches[1:], all=True))
