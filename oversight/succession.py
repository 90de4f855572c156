"""When organisations in a group's footprint merge or are replaced, their places pass on.

A group works with the footprint of its own date (`OversightGroup.footprint_day`: its start
date), never today's. As the group lives on, `footprint_bring_forward` moves that date forward:
for each merger (CCGs into a new CCG, April 2015-2021) or replacement (CCGs' functions passing to
an ICB on 1 July 2022) that took effect in between, the predecessors' places pass to the
successor as one audited change, which hub staff read on the group page:

    "NHS Gateshead, Newcastle North and East and Newcastle West CCGs became NHS Newcastle
    Gateshead CCG on 1 April 2015: its membership continues"

The predecessors' own places are kept as they were (the group's record of its earlier years);
coverage counts the successor once, because coverage is always of one day's footprint.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, save_versioned
from commissioning.dates import nhs_date
from commissioning.text import and_list
from hubs.models import CCG, CCGSuccession

from . import events
from .models import CCGMembership, Handover, OversightGroup

S = CCGMembership.Status
# What the successor's place becomes, best first: a member carries on; otherwise a represented
# predecessor stays represented (or its request for representation still waits); otherwise the
# successor is invited in the predecessors' place.
RANK = {S.MEMBER: 4, S.REPRESENTED: 3, S.REPRESENTATION_REQUESTED: 2, S.INVITED: 1}


def _short(name: str) -> str:
    name = name.removeprefix("NHS ")
    for suffix in (" CCG", " Integrated Care Board"):
        name = name.removesuffix(suffix)
    return name


def _names(orgs: list[CCG]) -> str:
    """ "NHS Gateshead, Newcastle North and East and Newcastle West CCGs", or one CCG's name."""
    if len(orgs) == 1:
        return orgs[0].name
    return f"NHS {and_list([_short(o.name) for o in orgs])} CCGs"


def _icb_name(org: CCG) -> str:
    return org.name.replace(" Integrated Care Board", " ICB")


OUTCOMES = {
    S.MEMBER: "its membership continues",
    S.REPRESENTED: "its representation continues",
    S.REPRESENTATION_REQUESTED: "its request to be represented still waits for an answer",
    S.INVITED: "it is invited in their place",
    "outside": "it is in another hub's footprint, so the place ends here",
}


@dataclass(frozen=True)
class HandoverNotice:
    """One hand-over as the group page tells it (all predecessors of one successor on one day)."""

    successor: CCG
    predecessors: list[CCG]
    effective_date: datetime.date
    became: str

    @property
    def sentence(self) -> str:
        on = nhs_date(self.effective_date)
        outcome = OUTCOMES.get(self.became, self.became)
        if self.successor.kind == CCG.Kind.ICB:
            whose = _names(self.predecessors)
            whose += "'" if whose.endswith("s") else "'s"
            return f"{whose} functions passed to {_icb_name(self.successor)} on {on}: {outcome}"
        return f"{_names(self.predecessors)} became {self.successor.name} on {on}: {outcome}"


def notices(handovers: list[Handover]) -> list[HandoverNotice]:
    """The group page's sentences, from the group's hand-over rows (successor and predecessor
    loaded), newest first."""
    grouped: dict[tuple, list[Handover]] = defaultdict(list)
    for row in handovers:
        grouped[(row.successor_id, row.effective_date)].append(row)
    found = [
        HandoverNotice(
            successor=rows[0].successor,
            predecessors=sorted((r.predecessor for r in rows), key=lambda c: c.name),
            effective_date=rows[0].effective_date,
            became=rows[0].became,
        )
        for rows in grouped.values()
    ]
    return sorted(found, key=lambda n: (n.effective_date, n.successor.name), reverse=True)


def _new_status(places: list[CCGMembership], successor_of: dict[int, int], successor: CCG):
    """The successor's status and representative, from its predecessors' places."""
    best = max(places, key=lambda m: RANK.get(m.status, 0))
    if best.status == S.MEMBER:
        return S.MEMBER, None
    if best.status in CCGMembership.NAMES_REPRESENTATIVE and best.represented_by_id is not None:
        representative = successor_of.get(best.represented_by_id, best.represented_by_id)
        if representative == successor.pk:  # it merged with the CCG that represented it
            return S.MEMBER, None
        return best.status, representative
    return S.INVITED, None


def _hand_over(group, successor, links, places, successor_of, by, now) -> list[Handover]:
    """Pass the places of `links`' predecessors in `group` to `successor`; record it all."""
    day = links[0].effective_date
    mine = [places[link.predecessor_id] for link in links if link.predecessor_id in places]
    if not mine:
        return []
    if successor.hub_id != group.hub_id:
        became = "outside"
    else:
        status, representative = _new_status(mine, successor_of, successor)
        place = places.get(successor.pk)
        if place is None:
            place = CCGMembership(
                group=group,
                ccg=successor,
                status=status,
                represented_by_id=representative,
                invited_at=now,
                invited_by=by,
                responded_at=now if status != S.INVITED else None,
                note="Place passed on from "
                + ", ".join(m.ccg.ods_code for m in mine)
                + f" on {day:%Y-%m-%d}.",
            )
            attribute_to(place, by)
            place.save()
        elif RANK.get(status, 0) > RANK.get(place.status, 0):
            place.status, place.represented_by_id = status, representative
            save_versioned(place, by=by, fields=["status", "represented_by"])
        places[successor.pk] = place
        became = place.status
        # Places that a predecessor represented are now represented by its successor.
        predecessor_ids = {m.ccg_id for m in mine}
        for other in places.values():
            if (
                other.represented_by_id in predecessor_ids
                and other.status in CCGMembership.NAMES_REPRESENTATIVE
            ):
                other.represented_by_id = successor.pk
                if other.ccg_id == successor.pk:
                    other.status, other.represented_by_id = S.MEMBER, None
                save_versioned(other, by=by, fields=["status", "represented_by"])
    rows = [
        Handover.objects.create(
            group=group,
            predecessor=m.ccg,
            successor=successor,
            effective_date=day,
            was=m.status,
            became=became,
        )
        for m in mine
    ]
    notice = notices(rows)[0]
    audit.record(
        actor=by,
        verb=events.CCG_HANDED_OVER,
        target=group,
        target_label=group.name,
        summary=notice.sentence,
    )
    return rows


@transaction.atomic
def footprint_bring_forward(*, group: OversightGroup, to_day: datetime.date, by=None):
    """Move the group's footprint date on to `to_day` (never past its closing date), handing
    over every place whose organisation merged or was replaced in between. Safe to run twice:
    a predecessor's place is handed over once. Returns the hand-over rows made."""
    group = OversightGroup.objects.select_for_update().get(pk=group.pk)
    if group.closed_on is not None:
        to_day = min(to_day, group.closed_on)
    start = group.footprint_day
    if to_day <= start:
        return []
    places = {
        m.ccg_id: m
        for m in CCGMembership.objects.select_for_update().filter(group=group).select_related("ccg")
    }
    done = set(Handover.objects.filter(group=group).values_list("predecessor_id", flat=True))
    links = list(
        CCGSuccession.objects.filter(effective_date__gt=start, effective_date__lte=to_day)
        .select_related("successor")
        .order_by("effective_date", "successor_id")
    )
    successor_of = {link.predecessor_id: link.successor_id for link in links}
    batches: dict[tuple, list[CCGSuccession]] = defaultdict(list)
    for link in links:
        batches[(link.effective_date, link.successor_id)].append(link)
    now = timezone.now()
    made: list[Handover] = []
    # In date order, so a place passed on in 2015 passes on again in 2022.
    for key in sorted(batches):
        batch = [link for link in batches[key] if link.predecessor_id not in done]
        if batch:
            made += _hand_over(group, batch[0].successor, batch, places, successor_of, by, now)
    OversightGroup.objects.filter(pk=group.pk).update(footprint_date=to_day)
    return made


def live_groups_bring_forward(today: datetime.date) -> int:
    """Bring every group that has started and is not closed up to `today` (the daily task)."""
    ids = OversightGroup.objects.filter(start_date__lte=today, closed_on__isnull=True)
    count = 0
    for group in ids.exclude(status=OversightGroup.Status.CLOSED):
        count += len(footprint_bring_forward(group=group, to_day=today))
    return count
