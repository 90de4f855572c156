"""Oversight groups in both eras (issue 13), each set up once: members, places for its
footprint's organisations, agreed documents, sub-groups.

Each hub has two groups, one open at a time (a hub has one group that is not closed):
- the 2015/16 group, started 5 January 2015 with the CCGs of 2015, closed on 31 March after
  the last generated year (31 March 2016 for one year) or the day before the current group
  starts, whichever is first;
- the current-era group. In two hubs of every three it started in April 2019 or April 2021 with
  that day's CCGs and is brought forward to the current financial year by
  `oversight.succession.footprint_bring_forward`, so its places pass through the mergers of
  2020-2021 to the ICBs of 1 July 2022 (Handover rows, as the group page shows them). In the
  third it starts on 1 April of the current financial year with that year's ICBs.
"""

import datetime
from collections import defaultdict

from governance.models import DocumentVersion, GovernanceDocument
from oversight.models import CCGMembership, GroupMember, Handover, OversightGroup, SubGroup
from oversight.succession import footprint_bring_forward

from .constants import CCG_MEMBERS_MAX, FIRST_YEAR, MEMBERS_PER_GROUP, OTHER_MEMBERS, SUBGROUPS
from .helpers import at, bulk

# Where the current-era group starts, hub by hub in turn: None is the current financial year.
CURRENT_GROUP_STARTS = [None, datetime.date(2019, 4, 1), datetime.date(2021, 4, 1)]


class GroupSteps:
    """Oversight groups in both eras, set up once; `era(year)` picks each hub's group of a year."""

    def current_start(self, index: int) -> datetime.date:
        start = CURRENT_GROUP_STARTS[index % len(CURRENT_GROUP_STARTS)]
        return start or datetime.date(self.current_year, 4, 1)

    def groups(self) -> None:
        first_start = datetime.date(FIRST_YEAR, 1, 5)
        self.groups_of: dict[int, list[OversightGroup]] = {}  # hub id → [2015/16, current]
        self.members_of: dict[int, list[GroupMember]] = {}  # group id → members
        self.subgroups_of: dict[int, list[SubGroup]] = defaultdict(list)  # group id → sub-groups
        self.agreed_of: dict[int, datetime.date] = {}  # group id → documents agreed on
        self.brought_forward: list[OversightGroup] = []
        made = []
        for i, hub in enumerate(self.hubs):
            current_start = self.current_start(i)
            closed = min(self.as_of, current_start - datetime.timedelta(days=1))
            historic = self._group(hub, first_start, "2015/16", closed)
            current = self._group(hub, current_start, f"from {current_start:%Y}", None)
            if current_start < datetime.date(self.current_year, 4, 1):
                self.brought_forward.append(current)
            self.groups_of[hub.pk] = [historic, current]
            made += [historic, current]
        bulk(OversightGroup, made, self.counts)

        members, places, documents = [], [], []
        for group in made:
            hub = group.hub
            members += self._members(group)
            places += self._places(group)
            for kind in GovernanceDocument.Kind:
                documents.append(GovernanceDocument(group=group, kind=kind))
        bulk(GroupMember, members, self.counts)
        bulk(CCGMembership, places, self.counts)
        bulk(GovernanceDocument, documents, self.counts)
        self.places = defaultdict(list)
        for place in places:
            self.places[place.group_id].append(place)

        versions = []
        for doc in documents:
            terms = doc.kind == GovernanceDocument.Kind.TERMS_OF_REFERENCE
            agreed = self.agreed_of[doc.group.pk]
            versions.append(
                DocumentVersion(
                    document=doc,
                    number=1,
                    status=DocumentVersion.Status.AGREED,
                    body=(
                        "The group recommends; NHS England decides. Quorum: the chair or "
                        "vice chair and three voting members from the footprint's commissioners."
                    )
                    if terms
                    else (
                        "The local commissioners and NHS England agree to commission specialised "
                        "services collaboratively across the hub's footprint."
                    ),
                    change_summary="First agreed version.",
                    agreed_on=agreed,
                    agreed_at_meeting=f"Workshop of {agreed:%-d %B %Y}",
                    created_at=at(agreed - datetime.timedelta(days=14)),
                    created_by=self.staff[doc.group.hub_id][0],
                    version=2,
                )
            )
        bulk(DocumentVersion, versions, self.counts)

        subgroups = []
        for group in made:
            for name, kind, focus in SUBGROUPS:
                subgroups.append(
                    SubGroup(
                        group=group,
                        name=name,
                        focus_kind=kind,
                        focus=focus,
                        lead=self.rng.choice(self.members_of[group.pk][1:]),
                        terms=f"Delivers the plan's {focus.lower()} priorities.",
                    )
                )
        bulk(SubGroup, subgroups, self.counts)
        through = SubGroup.members.through
        links = []
        for sg in subgroups:
            self.subgroups_of[sg.group.pk].append(sg)
            for m in self.rng.sample(self.members_of[sg.group.pk], 4):
                links.append(through(subgroup_id=sg.pk, groupmember_id=m.pk))
        bulk(through, links, self.counts)
        self.hand_over()

    def hand_over(self) -> None:
        """Bring the current groups that started in 2019 or 2021 forward to the current
        financial year: their places pass to the merged CCGs, then to the ICBs (audited, as a
        hub officer's daily task would)."""
        to_day = datetime.date(self.current_year, 4, 1)
        for group in self.brought_forward:
            made = footprint_bring_forward(
                group=group, to_day=to_day, by=self.staff[group.hub_id][0]
            )
            self.counts[Handover.__name__] += len(made)
        # The places passed on are the current groups' places too (for the reviews' records).
        new = CCGMembership.objects.filter(group__in=self.brought_forward).select_related("ccg")
        known = {p.pk for g in self.brought_forward for p in self.places[g.pk]}
        for place in new.order_by("pk"):
            if place.pk not in known:
                self.places[place.group_id].append(place)
                self.counts[CCGMembership.__name__] += 1

    def era(self, year: int) -> None:
        """Point the year's sections at each hub's group running on 1 April of `year`."""
        day = datetime.date(year, 4, 1)
        self.group = {}
        for hub in self.hubs:
            historic, current = self.groups_of[hub.pk]
            self.group[hub.pk] = current if day >= current.start_date else historic
        self.members = {h: self.members_of[g.pk] for h, g in self.group.items()}
        self.subgroups = {h: self.subgroups_of[g.pk] for h, g in self.group.items()}
        self.agreed = {h: self.agreed_of[g.pk] for h, g in self.group.items()}

    # --- one group ----------------------------------------------------------------------------

    def _group(self, hub, start, label, closed_on) -> OversightGroup:
        return OversightGroup(
            hub=hub,
            name=f"{hub.name} Collaborative Commissioning Oversight Group ({label})",
            kind=OversightGroup.Kind.OVERSIGHT_GROUP,
            status=OversightGroup.Status.CLOSED if closed_on else OversightGroup.Status.ACTIVE,
            start_date=start,
            closed_on=closed_on,
            purpose=f"Sets local priorities for specialised services across "
            f"{hub.name}, agrees the priorities plan and monitors its delivery, and "
            f"recommends service changes to the NHS England {hub.region.name} "
            "regional team.",
            version=3,
            created_at=at(start, 9),
            created_by=self.staff[hub.pk][0],
        )

    def _members(self, group) -> list[GroupMember]:
        hub, start = group.hub, group.start_date
        # The 2015/16 group's first footprint is that of 1 April 2015 (its first plan's).
        founding = self.footprint(hub, max(start, datetime.date(FIRST_YEAR, 4, 1)))
        self.agreed_of[group.pk] = (
            datetime.date(FIRST_YEAR, 3, 17)
            if start.year == FIRST_YEAR
            else start + datetime.timedelta(days=16)
        )
        rows = [
            GroupMember(
                group=group,
                full_name=self.name(),
                organisation=f"NHS England {hub.region.name}",
                sector=GroupMember.Sector.NHS_ENGLAND,
                role=GroupMember.Role.CHAIR,
                start_date=start,
            )
        ]
        for i, ccg in enumerate(founding[:CCG_MEMBERS_MAX]):
            role = {0: GroupMember.Role.VICE_CHAIR, 1: GroupMember.Role.CLINICAL_LEAD}
            rows.append(
                GroupMember(
                    group=group,
                    full_name=self.name(),
                    organisation=ccg.name,
                    sector=GroupMember.Sector.CCG,  # the local commissioners' seat, CCG or ICB
                    ccg=ccg,
                    role=role.get(i, GroupMember.Role.MEMBER),
                    start_date=start,
                )
            )
        for role, sector, organisation, voting in OTHER_MEMBERS:
            rows.append(
                GroupMember(
                    group=group,
                    full_name=self.name(),
                    organisation=organisation,
                    sector=sector,
                    role=role,
                    voting=voting,
                    start_date=start,
                )
            )
        while len(rows) < MEMBERS_PER_GROUP:
            rows.append(
                GroupMember(
                    group=group,
                    full_name=self.name(),
                    organisation=f"NHS England {hub.region.name}",
                    sector=GroupMember.Sector.NHS_ENGLAND,
                    start_date=start,
                )
            )
        for m in rows:
            m.email = f"{m.full_name.lower().replace(' ', '.').replace(chr(39), '')}@nhs.net"
        self.members_of[group.pk] = rows
        return rows

    def _places(self, group) -> list[CCGMembership]:
        """The 2015/16 group: a place for every CCG open at some time in its life. A current
        group: the organisations of its start date (later ones come by hand-over)."""
        hub, start, end = group.hub, group.start_date, group.closed_on
        if end is not None:
            member_ccgs = [
                c
                for c in self.ccgs_by_hub[hub.pk]
                if (c.valid_to is None or c.valid_to >= start) and c.valid_from <= end
            ]
        else:
            member_ccgs = self.footprint(hub, start)
        places = []
        for ccg in member_ccgs:
            invited = at(max(start, ccg.valid_from), 9)
            place = CCGMembership(
                group=group,
                ccg=ccg,
                status=CCGMembership.Status.MEMBER,
                invited_at=invited,
                invited_by=self.staff[hub.pk][0],
                responded_at=invited + datetime.timedelta(days=14),
                responded_by=self.lead_of(ccg.pk, invited.date()),
                version=2,
            )
            others = [c for c in member_ccgs if c.pk != ccg.pk]
            if others and self.rng.random() < 0.1:
                place.status = CCGMembership.Status.REPRESENTED
                place.represented_by = self.rng.choice(others)
                place.note = "Represented by a neighbouring organisation's director."
            places.append(place)
        return places
