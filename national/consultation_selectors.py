"""Reads for the consultation pages and API (issue 17, "What to build" 3), each in a fixed
number of queries: the lists, a consultation with the answers the person may give, the
national team's and regions' view of responses by region and hub, and My work's entries."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from accounts.permissions import scopes
from hubs.models import Hub, Region

from .consultation_models import STATE_TAGS
from .consultation_permissions import (
    Slot,
    consultations_visible_to,
    open_groups,
    responses_visible_to,
    slots_for,
)
from .models import (
    ClinicalReferenceGroup,
    Consultation,
    ConsultationResponse,
    CRGDocumentVersion,
)


def document_versions_of(crg: ClinicalReferenceGroup) -> QuerySet[CRGDocumentVersion]:
    """The uploaded versions of the CRG's documents (what a consultation may be on)."""
    return (
        CRGDocumentVersion.objects.filter(document__crg=crg)
        .select_related("document")
        .order_by("document__title", "-number")
    )


def document_version(pk) -> CRGDocumentVersion | None:
    return CRGDocumentVersion.objects.select_related("document__crg").filter(pk=pk).first()


def crg_by_pk(pk) -> ClinicalReferenceGroup | None:
    return ClinicalReferenceGroup.objects.filter(pk=pk).first()


def _key(consultation: Consultation, slot: Slot) -> tuple:
    return (consultation.pk, slot.group.pk, slot.ccg.pk if slot.ccg else None)


def _with_slots(slots: list[Slot], consultations: Sequence[Consultation]) -> dict:
    """The person's responses to `consultations`, by (consultation, group, ccg)."""
    if not slots or not consultations:
        return {}
    rows = ConsultationResponse.objects.filter(
        consultation__in=consultations, group__in={s.group.pk for s in slots}
    ).select_related("ccg")
    return {(r.consultation_id, r.group_id, r.ccg_id): r for r in rows}


@dataclass
class ListRow:
    consultation: Consultation
    state: str
    slots: list[Slot] = field(default_factory=list)

    @property
    def awaiting(self) -> list[Slot]:
        return [s for s in self.slots if s.response is None]

    @property
    def label(self) -> str:
        return Consultation.State(self.state).label

    @property
    def tag(self) -> str:
        return STATE_TAGS[Consultation.State(self.state)]


def consultation_list(user, day: datetime.date, *, crg=None) -> dict[str, list[ListRow]]:
    """The consultations the person sees, by state on `day` (open first), each with how many
    groups and CCGs have answered and the person's own answers."""
    rows = consultations_visible_to(user, day).annotate(
        group_answers=Count("responses", filter=Q(responses__ccg__isnull=True)),
        ccg_answers=Count("responses", filter=Q(responses__ccg__isnull=False)),
    )
    if crg is not None:
        rows = rows.filter(crg=crg)
    consultations = list(rows.order_by("closes_on", "title"))
    slots = slots_for(user, day)
    given = _with_slots(slots, consultations)
    sections: dict[str, list[ListRow]] = {state: [] for state in Consultation.State.values}
    for c in consultations:
        mine = [Slot(s.group, s.ccg, given.get(_key(c, s))) for s in slots]
        state = c.state_on(day)
        sections[state].append(ListRow(c, state, mine))
    sections[Consultation.State.CLOSED].reverse()  # the latest closed first
    return sections


def page_slots(user, consultation: Consultation, day: datetime.date) -> list[Slot]:
    """The answers the person may give to this consultation, with those given."""
    slots = slots_for(user, day)
    given = _with_slots(slots, [consultation])
    for s in slots:
        s.response = given.get(_key(consultation, s))
    return slots


def responses_of(user, consultation: Consultation) -> list[ConsultationResponse]:
    """Every response to the consultation that the person may read, by region, hub, CCG."""
    return list(
        responses_visible_to(user)
        .filter(consultation=consultation)
        .order_by("group__hub__region__name", "group__hub__name", "ccg__name")
    )


@dataclass
class HubRow:
    hub: Hub
    groups: list = field(default_factory=list)
    group_responses: list[ConsultationResponse] = field(default_factory=list)
    ccg_responses: list[ConsultationResponse] = field(default_factory=list)

    @property
    def responded(self) -> bool:
        return bool(self.group_responses)


@dataclass
class RegionRow:
    region: Region
    hubs: list[HubRow]

    @property
    def responded(self) -> int:
        return sum(1 for h in self.hubs if h.responded)


def summary_regions(user) -> list[int] | None:
    """The regions whose responses the person sees in the summary: None for every region
    (national admins), a regional team's own, or [] (no summary: hubs see their own)."""
    s = scopes(user)
    if s.national:
        return None
    return sorted(s.region_ids)


def summary(consultation: Consultation, day: datetime.date, region_ids) -> list[RegionRow]:
    """Each region (all, or `region_ids`), each hub open on `day` with its groups open that
    day, whether each group has answered, and each response, by hub and region."""
    regions = Region.objects.order_by("name")
    hubs = Hub.objects.valid_on(day).order_by("name")
    responses = ConsultationResponse.objects.filter(consultation=consultation).select_related(
        "group__hub", "ccg", "submitted_by"
    )
    groups = open_groups(day).order_by("name")
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
        hubs = hubs.filter(region_id__in=region_ids)
        responses = responses.filter(group__hub__region_id__in=region_ids)
        groups = groups.filter(hub__region_id__in=region_ids)
    by_hub = {h.pk: HubRow(h) for h in hubs}
    for g in groups:
        if g.hub_id in by_hub:
            by_hub[g.hub_id].groups.append(g)
    for r in responses.order_by("ccg__name"):
        row = by_hub.get(r.group.hub_id)
        if row is None:  # a hub closed since: still shown with its answer
            row = by_hub[r.group.hub_id] = HubRow(r.group.hub)
        (row.group_responses if r.ccg_id is None else row.ccg_responses).append(r)
    rows = []
    for region in regions:
        mine = [h for h in by_hub.values() if h.hub.region_id == region.pk]
        if mine:
            rows.append(RegionRow(region, sorted(mine, key=lambda h: h.hub.name)))
    return rows


CSV_HEADER = [
    "Region",
    "Hub",
    "Responded for",
    "Oversight group",
    "CCG or ICB",
    "Position",
    "Submitted",
    "Last changed",
    "Response",
]


def summary_csv(rows: list[RegionRow]) -> tuple[list[str], list[list]]:
    """One line per response, and one per hub whose group has not answered."""
    table = []
    for region in rows:
        for hub in region.hubs:
            if not hub.group_responses:
                names = ", ".join(g.name for g in hub.groups) or "No open oversight group"
                table.append([region.region.name, hub.hub.name, "Not responded", names])
            for r in hub.group_responses + hub.ccg_responses:
                table.append(
                    [
                        region.region.name,
                        hub.hub.name,
                        "Oversight group" if r.ccg_id is None else "CCG or ICB",
                        r.group.name,
                        r.ccg.name if r.ccg else "",
                        r.get_position_display(),
                        r.submitted_at.date().isoformat(),
                        r.updated_at.date().isoformat() if r.updated_at else "",
                        r.body,
                    ]
                )
    return CSV_HEADER, table


@dataclass
class WorkItem:
    consultation: Consultation
    slot: Slot


def my_work(user, day: datetime.date, members=None) -> list[WorkItem]:
    """The open consultations the person may answer on `day`, for each group or CCG they
    answer for, with the answer given if any (My work). `members`: as slots_for takes it."""
    s = scopes(user)
    if not (s.hub_ids or s.ccg_ids):
        return []
    # The same queries whether the person's group is open yet or not (My work's count is
    # constant in the data's shape as in its size).
    slots = slots_for(user, day, members)
    consultations = list(
        consultations_visible_to(user, day)
        .filter(archived=False, closed_early_on__isnull=True, opens_on__lte=day, closes_on__gte=day)
        .order_by("closes_on", "title")
    )
    given = _with_slots(slots, consultations)
    return [
        WorkItem(c, Slot(s.group, s.ccg, given.get(_key(c, s))))
        for c in consultations
        for s in slots
    ]


def consultations_for_api(user, day: datetime.date) -> QuerySet[Consultation]:
    return consultations_visible_to(user, day).order_by("-closes_on", "title")


def responses_for_api(user) -> QuerySet[ConsultationResponse]:
    return responses_visible_to(user).order_by("consultation_id", "group__hub__name", "ccg__name")
