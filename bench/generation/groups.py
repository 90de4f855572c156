"""Oversight groups, set up once: members, CCG places, agreed documents, sub-groups."""

import datetime
from collections import defaultdict

from governance.models import DocumentVersion, GovernanceDocument
from oversight.models import CCGMembership, GroupMember, OversightGroup, SubGroup

from .constants import CCG_MEMBERS_MAX, FIRST_YEAR, MEMBERS_PER_GROUP, OTHER_MEMBERS, SUBGROUPS
from .helpers import at, bulk


class GroupSteps:
    """Oversight groups, set up once: members, CCG places, agreed documents, sub-groups."""

    def groups(self) -> None:
        start = datetime.date(FIRST_YEAR, 1, 5)
        agreed = datetime.date(FIRST_YEAR, 3, 17)
        self.group = {}
        made = []
        for hub in self.hubs:
            made.append(
                OversightGroup(
                    hub=hub,
                    name=f"{hub.name} Collaborative Commissioning Oversight Group",
                    kind=OversightGroup.Kind.OVERSIGHT_GROUP,
                    status=OversightGroup.Status.ACTIVE,
                    start_date=start,
                    purpose=f"Sets local priorities for specialised services across "
                    f"{hub.name}, agrees the priorities plan and monitors its delivery, and "
                    f"recommends service changes to the NHS England {hub.region.name} "
                    "regional team.",
                    version=3,
                    created_at=at(start, 9),
                    created_by=self.staff[hub.pk][0],
                )
            )
        bulk(OversightGroup, made, self.counts)
        self.group = {g.hub_id: g for g in made}

        members, places, documents = [], [], []
        self.members: dict[int, list[GroupMember]] = {}
        for hub in self.hubs:
            group = self.group[hub.pk]
            founding = self.footprint(hub, datetime.date(FIRST_YEAR, 4, 1))
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
                        sector=GroupMember.Sector.CCG,
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
            members += rows
            self.members[hub.pk] = rows

            member_ccgs = [
                c for c in self.ccgs_by_hub[hub.pk] if c.valid_to is None or c.valid_to >= start
            ]
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
                    place.note = "Represented by a neighbouring CCG's director."
                places.append(place)
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
            versions.append(
                DocumentVersion(
                    document=doc,
                    number=1,
                    status=DocumentVersion.Status.AGREED,
                    body=(
                        "The group recommends; NHS England decides. Quorum: the chair or "
                        "vice chair and three voting CCG members."
                    )
                    if terms
                    else (
                        "The CCGs and NHS England agree to commission specialised services "
                        "collaboratively across the hub's footprint."
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
        self.agreed_on = agreed

        subgroups = []
        for hub in self.hubs:
            for name, kind, focus in SUBGROUPS:
                subgroups.append(
                    SubGroup(
                        group=self.group[hub.pk],
                        name=name,
                        focus_kind=kind,
                        focus=focus,
                        lead=self.rng.choice(self.members[hub.pk][1:]),
                        terms=f"Delivers the plan's {focus.lower()} priorities.",
                    )
                )
        bulk(SubGroup, subgroups, self.counts)
        self.subgroups = defaultdict(list)
        through = SubGroup.members.through
        links = []
        for sg in subgroups:
            self.subgroups[sg.group.hub_id].append(sg)
            for m in self.rng.sample(self.members[sg.group.hub_id], 4):
                links.append(through(subgroup_id=sg.pk, groupmember_id=m.pk))
        bulk(through, links, self.counts)
