"""Oversight at a glance: one row per hub, in a fixed number of queries however large."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from governance.selectors import agreed_versions
from hubs.models import Hub
from meetings.models import Action, Meeting, Recommendation
from oversight.models import CCGMembership, GroupMember, OversightGroup
from oversight.permissions import glance_hubs
from oversight.services import group_coverage


@dataclass
class GlanceRow:
    hub: Hub
    group: OversightGroup | None
    terms_agreed: datetime.date | None
    agreement_agreed: datetime.date | None
    coverage_percent: int | None
    covered: int
    footprint: int
    members: int
    last_meeting: datetime.datetime | None
    next_meeting: datetime.datetime | None
    open_recommendations: int
    overdue_actions: int


COLUMNS = [
    ("hub", "Hub"),
    ("group", "Group"),
    ("terms", "Terms of reference agreed"),
    ("agreement", "Collaboration agreement agreed"),
    ("coverage", "CCG coverage %"),
    ("members", "Members"),
    ("last", "Last meeting"),
    ("next", "Next meeting"),
    ("recommendations", "Open recommendations"),
    ("actions", "Overdue actions"),
]

# The page shows first what a region acts on (issue 18): its open recommendations and the
# overdue actions, after the hub. The CSV keeps COLUMNS' order, so downloads stay comparable.
PAGE_COLUMNS = [
    COLUMNS[0],
    *[c for c in COLUMNS if c[0] in {"recommendations", "actions"}],
    *[c for c in COLUMNS[1:] if c[0] not in {"recommendations", "actions"}],
]

_SORT_KEYS = {
    "hub": lambda r: r.hub.name,
    "group": lambda r: (r.group is None, r.group.name if r.group else ""),
    "terms": lambda r: (r.terms_agreed is None, r.terms_agreed or datetime.date.min),
    "agreement": lambda r: (r.agreement_agreed is None, r.agreement_agreed or datetime.date.min),
    "coverage": lambda r: r.coverage_percent if r.coverage_percent is not None else -1,
    "members": lambda r: r.members,
    "last": lambda r: r.last_meeting or datetime.datetime.min.replace(tzinfo=datetime.UTC),
    "next": lambda r: r.next_meeting or datetime.datetime.max.replace(tzinfo=datetime.UTC),
    "recommendations": lambda r: r.open_recommendations,
    "actions": lambda r: r.overdue_actions,
}


def glance_rows(user, *, sort: str = "hub", descending: bool = False) -> list[GlanceRow]:
    now = timezone.now()
    today = timezone.localdate()
    hubs = list(glance_hubs(user).prefetch_related("ccgs"))
    groups = {
        g.hub_id: g
        for g in OversightGroup.objects.filter(hub__in=hubs)
        .exclude(status=OversightGroup.Status.CLOSED)
        .select_related("hub")
    }
    group_list = list(groups.values())
    for group in group_list:  # the hub (with its CCGs) is already loaded
        group.hub = next(h for h in hubs if h.pk == group.hub_id)
    places: dict[int, list[CCGMembership]] = {}
    for place in CCGMembership.objects.filter(group__in=group_list):
        places.setdefault(place.group_id, []).append(place)
    agreed = agreed_versions(group_list)
    members = dict(
        GroupMember.objects.filter(group__in=group_list)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .values_list("group")
        .annotate(n=Count("pk"))
    )
    meetings = {
        row["group"]: row
        for row in Meeting.objects.filter(group__in=group_list)
        .values("group")
        .annotate(
            last=Max("starts_at", filter=Q(status=Meeting.Status.HELD)),
            next=Min("starts_at", filter=Q(status=Meeting.Status.SCHEDULED, starts_at__gte=now)),
        )
    }
    recommendations = dict(
        Recommendation.objects.filter(
            meeting__group__in=group_list, status=Recommendation.Status.AWAITING
        )
        .values_list("meeting__group")
        .annotate(n=Count("pk"))
    )
    overdue = dict(
        Action.objects.filter(
            meeting__group__in=group_list, status=Action.Status.OPEN, due_date__lt=today
        )
        .values_list("meeting__group")
        .annotate(n=Count("pk"))
    )
    rows = []
    for hub in hubs:
        group = groups.get(hub.pk)
        if group is None:
            footprint = sum(1 for c in hub.ccgs.all() if c.is_valid_on(today))
            rows.append(GlanceRow(hub, None, None, None, None, 0, footprint, 0, None, None, 0, 0))
            continue
        coverage = group_coverage(group, places.get(group.pk, []), group.footprint_day)
        docs = agreed.get(group.pk, {})
        terms, agreement = docs.get("terms_of_reference"), docs.get("collaboration_agreement")
        meeting = meetings.get(group.pk, {})
        rows.append(
            GlanceRow(
                hub=hub,
                group=group,
                terms_agreed=terms.agreed_on if terms else None,
                agreement_agreed=agreement.agreed_on if agreement else None,
                coverage_percent=coverage.percent,
                covered=coverage.covered_count,
                footprint=len(coverage.footprint),
                members=members.get(group.pk, 0),
                last_meeting=meeting.get("last"),
                next_meeting=meeting.get("next"),
                open_recommendations=recommendations.get(group.pk, 0),
                overdue_actions=overdue.get(group.pk, 0),
            )
        )
    rows.sort(key=_SORT_KEYS.get(sort, _SORT_KEYS["hub"]), reverse=descending)
    return rows
