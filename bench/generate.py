"""Scale data: the real register plus many financial years of collaborative commissioning.

    .venv/bin/python bench/generate.py [--years 10] [--seed 2015] [--hubs N] [--reset]
                                       [--no-pages]

Uses the configured DATABASE_URL (PostgreSQL for the load benchmark). Loads the reference
register, then for each financial year from 2015/16 and each hub: the oversight group (set up
once, with ~30 members, a place for every footprint CCG, agreed terms of reference and
collaboration agreement, three delivery sub-groups), 12 held meetings with agendas, attendance,
actions and quarterly recommendations, a priorities plan (6 criteria, 3 assessors, 100 scored
proposals of which the 40 best are included, each with a delivery record, 5 milestones and 12
monthly updates) frozen as a submitted version, both peer reviews (5 reviewers from other hubs,
submitted assessments, 3 findings, 3 recommendations, an issued report) and the planning
calendar with its manual milestones done. People: 5 staff per hub, a lead per CCG of the 2015
footprint (moved to the successor when their CCG merges), 3 per regional team and 2 national
admins, all with the demo password (demo.people.DEMO_PASSWORD), and 20 notifications each.

Rows are bulk-created (no simple_history rows, no audit events) with fixed timestamps and every
value drawn from one random.Random(seed), so the same seed gives the same data. It refuses to
run twice on one database: pass --reset to flush it first (the default reminder rules, which
a migration seeds, are restored). --hubs N limits groups, plans and reviews to the first N hubs
by name (people are made for every hub). The data stands as on 31 March after the last year:
open actions, milestones and recommendations are those of the last year. At the end it prints
the rows per model, the elapsed seconds, a digest of the rows (equal for equal seeds) and,
unless --no-pages, the main pages timed through Django's test client as a generated national
admin and a hub's staff, with their SQL query counts.
"""

import argparse
import datetime
import hashlib
import json
import logging
import os
import random
import statistics
import string
import sys
import time
import warnings
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    # Local settings (plain static storage) unless told otherwise; DEBUG is switched off while
    # pages are timed (see time_pages).
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402

from accounts.models import Role, RoleAssignment, User  # noqa: E402
from demo.people import DEMO_PASSWORD  # noqa: E402
from governance.models import DocumentVersion, GovernanceDocument  # noqa: E402
from hubs.models import CCG, CCGSuccession, Hub, ProgrammeOfCare, Region  # noqa: E402
from hubs.reference import reference_data_load  # noqa: E402
from meetings.models import Action, AgendaItem, Attendance, Meeting, Recommendation  # noqa: E402
from oversight.models import CCGMembership, GroupMember, OversightGroup, SubGroup  # noqa: E402
from priorities.models import (  # noqa: E402
    Assessor,
    Criterion,
    Delivery,
    DeliveryUpdate,
    Milestone,
    PlanVersion,
    PrioritiesPlan,
    Proposal,
    Score,
)
from priorities.services import DEFAULT_CRITERIA  # noqa: E402
from reviews.models import (  # noqa: E402
    Assessment,
    Finding,
    LineOfEnquiry,
    LineRating,
    PeerReview,
    Rating,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
    Theme,
)
from reviews.services import DEFAULT_LINES, report_content  # noqa: E402
from timeline.models import CalendarMilestone, MilestoneCompletion, Notification  # noqa: E402
from timeline.reminders import ensure_default_rules  # noqa: E402
from timeline.services import SEED_2015  # noqa: E402

DOMAIN = "scale.example.nhs.uk"  # every generated person's email ends with it
FIRST_YEAR = 2015
BATCH = 2000
UTC = datetime.UTC

STAFF_PER_HUB = 5
TEAM_PER_REGION = 3
NATIONAL_ADMINS = 2
MEMBERS_PER_GROUP = 30
MEETINGS_PER_YEAR = 12
ITEMS_PER_MEETING = 6
ACTIONS_PER_MEETING = 3
PROPOSALS_PER_PLAN = 100
INCLUDED_PER_PLAN = 40
DEFERRED_PER_PLAN = 30
ASSESSORS_PER_PLAN = 3
MILESTONES_PER_PRIORITY = 5
REVIEWERS_PER_REVIEW = 5
NOTIFICATIONS_PER_USER = 20
UNREAD_PER_USER = 5

FIRST_NAMES = [
    "Aisha", "Ben", "Catherine", "Daniel", "Eleanor", "Farhan", "Grace", "Harry", "Imran",
    "Jane", "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rachel", "Simon",
    "Tariq", "Uma", "Victoria", "William", "Yusuf", "Zoe", "Amir", "Bethan", "Connor",
    "Deborah", "Emeka", "Fiona", "Gareth", "Hannah", "Isla", "James", "Kerry", "Liam",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morris", "Nwosu", "O'Brien", "Patel", "Quinn", "Roberts",
    "Singh", "Taylor", "Usman", "Vaughan", "Walker", "Young", "Armstrong", "Bell", "Carter",
    "Dixon", "Ellis", "Foster", "Gill", "Hall", "Ingram", "Jackson", "Kaur", "Lowe",
]  # fmt: skip
STAFF_TITLES = [
    "Hub Commissioning Manager",
    "Senior Commissioning Manager",
    "Planning and Assurance Lead",
    "Finance and QIPP Lead",
    "Hub Governance Officer",
]
TEAM_TITLES = [
    "Regional Director of Specialised Commissioning",
    "Regional Assurance Lead",
    "Regional Planning Manager",
]
# (role, sector, organisation, voting) for the group's members after the CCG members.
OTHER_MEMBERS = [
    (GroupMember.Role.FINANCE_LEAD, GroupMember.Sector.NHS_ENGLAND, "NHS England", True),
    *[(GroupMember.Role.MEMBER, GroupMember.Sector.PUBLIC_HEALTH_ENGLAND,
       "Public Health England", True)] * 2,
    *[(GroupMember.Role.MEMBER, GroupMember.Sector.PATIENT_PUBLIC,
       "Patient and public voice", True)] * 3,
    *[(GroupMember.Role.MEMBER, GroupMember.Sector.LOCAL_AUTHORITY,
       "County council", True)] * 3,
    *[(GroupMember.Role.MEMBER, GroupMember.Sector.VOLUNTARY,
       "Healthwatch", True)] * 2,
    *[(GroupMember.Role.OBSERVER, GroupMember.Sector.PROVIDER,
       "Teaching hospitals NHS foundation trust", False)] * 3,
]  # fmt: skip
CCG_MEMBERS_MAX = 12
SUBGROUPS = [
    ("Cardiac services delivery group", SubGroup.FocusKind.PATHWAY, "Cardiology"),
    ("Cancer and blood delivery group", SubGroup.FocusKind.PATHWAY, "Cancer and blood"),
    ("Mental health delivery group", SubGroup.FocusKind.PATHWAY, "Mental health"),
]
SERVICES = [
    "adult cardiac surgery", "paediatric intensive care", "specialised renal dialysis",
    "adult critical care", "neonatal intensive care", "specialised orthopaedics",
    "radiotherapy", "chemotherapy", "haemophilia", "cystic fibrosis", "HIV care",
    "eating disorders", "secure mental health", "spinal cord injury", "major trauma",
    "specialised vascular services", "bariatric surgery", "gender identity services",
    "complex neurosciences", "specialised rehabilitation",
]  # fmt: skip
VERBS = [
    "Reduce waiting times for", "Improve access to", "Bring care closer to home for",
    "Reduce unwarranted variation in", "Consolidate", "Review the pathway for",
    "Improve outcomes of", "Develop a network for", "Repatriate out-of-area",
    "Move to day-case", "Strengthen transition into adult", "Standardise referrals to",
]  # fmt: skip
AGENDA = [
    ("Welcome, apologies and declarations of interest", AgendaItem.Purpose.INFORMATION),
    ("Minutes and actions of the last meeting", AgendaItem.Purpose.DECISION),
    ("Priorities plan: delivery dashboard", AgendaItem.Purpose.DISCUSSION),
    ("Finance and QIPP report", AgendaItem.Purpose.DISCUSSION),
    ("Peer review: findings and recommendations", AgendaItem.Purpose.DISCUSSION),
    ("Service change proposal", AgendaItem.Purpose.DECISION),
    ("Sub-group reports", AgendaItem.Purpose.INFORMATION),
    ("Any other business", AgendaItem.Purpose.INFORMATION),
]
ACTIONS = [
    "Circulate the delivery dashboard to members",
    "Confirm the QIPP baseline with the finance lead",
    "Write to providers about the pathway review",
    "Update the register of interests",
    "Bring the service change proposal back with an equality impact assessment",
    "Agree the sub-group's terms with its lead",
    "Share the peer review report with every CCG",
]
MILESTONE_TITLES = [
    ("Business case agreed", (6, 30)),
    ("Provider engagement complete", (9, 30)),
    ("Service specification published", (12, 31)),
    ("New pathway live", (2, 28)),
    ("Benefits review", (3, 31)),
]
RATINGS = [Rating.ASSURED] * 5 + [Rating.PARTIALLY_ASSURED] * 3 + [Rating.NOT_ASSURED]
FINDINGS = [
    (Finding.Kind.FINDING, Theme.GOVERNANCE, "Quorum rules applied inconsistently"),
    (Finding.Kind.GOOD_PRACTICE, Theme.ENGAGEMENT, "A workshop with every CCG shaped the plan"),
    (Finding.Kind.FINDING, Theme.FINANCE, "QIPP targets do not add up to the plan's total"),
    (Finding.Kind.FINDING, Theme.EQUITY, "Inequalities analysis is thin"),
    (Finding.Kind.GOOD_PRACTICE, Theme.PATIENTS, "Patient representatives co-chair sub-groups"),
    (Finding.Kind.FINDING, Theme.CONFLICTS, "Declarations are not minuted"),
]
REVIEW_RECOMMENDATIONS = [
    "Agree a quorum rule and apply it at every meeting",
    "Set a QIPP target for every priority",
    "Publish the register of interests",
    "Give every CCG a voice on the group",
    "Report delivery to the group every month",
]


class GenerateError(Exception):
    """The database is not one the generator can fill (it already holds generated data)."""


# --- small helpers ----------------------------------------------------------------------------


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    """The same day `years` later; 29 February becomes the 28th (as timeline.services)."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def third_tuesday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 14)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 1000))


def bulk(model, objs: list, counts: Counter) -> list:
    """Insert in batches, keeping the timestamps we give fields marked auto_now_add."""
    stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    for f in stamped:
        f.auto_now_add = False
    try:
        made = model.objects.bulk_create(objs, batch_size=BATCH)
    finally:
        for f in stamped:
            f.auto_now_add = True
    counts[model.__name__] += len(made)
    return made


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


# --- the generator ----------------------------------------------------------------------------


class Generator:
    def __init__(self, *, years: int, seed: int, hubs: int | None):
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + years))
        self.as_of = datetime.date(FIRST_YEAR + years, 3, 31)  # the data's "today"
        self.rng = random.Random(seed)
        self.name = Names(self.rng)
        self.counts: Counter = Counter()
        self.hub_limit = hubs

    # register and people ----------------------------------------------------------------

    def load_register(self) -> None:
        reference_data_load()
        ensure_default_rules()
        self.regions = list(Region.objects.order_by("name"))
        self.all_hubs = list(Hub.objects.select_related("region").order_by("name"))
        self.hubs = self.all_hubs[: self.hub_limit] if self.hub_limit else self.all_hubs
        self.ccgs_by_hub: dict[int, list[CCG]] = defaultdict(list)
        for ccg in CCG.objects.order_by("ods_code"):
            self.ccgs_by_hub[ccg.hub_id].append(ccg)
        self.ccg_by_id = {c.pk: c for cs in self.ccgs_by_hub.values() for c in cs}
        self.successions = list(
            CCGSuccession.objects.order_by("effective_date", "predecessor__ods_code", "pk")
        )
        self.programmes = list(ProgrammeOfCare.objects.order_by("name"))

    def refuse_if_filled(self) -> None:
        if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            raise GenerateError("The database already holds generated data: run with --reset.")
        taken = OversightGroup.objects.filter(hub__in=self.hubs).exclude(status="closed")
        if taken.exists():
            raise GenerateError(
                "Some hubs already have an oversight group (demo data?): run with --reset."
            )

    def people(self) -> None:
        # Hashed once (slow by design) with a salt from the seed, so the hash is the same too.
        salt = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(22))
        password = make_password(DEMO_PASSWORD, salt=salt)
        joined = at(datetime.date(FIRST_YEAR, 1, 5), 9)
        users: list[User] = []

        def person(email: str, title: str) -> User:
            user = User(
                email=f"{email}@{DOMAIN}",
                full_name=self.name(),
                job_title=title,
                password=password,
                date_joined=joined,
            )
            users.append(user)
            return user

        self.admins = [person(f"admin{i + 1}", "National Programme Lead") for i in range(2)]
        self.team = {
            region.pk: [
                person(f"team{i + 1}.{region.slug}", TEAM_TITLES[i % len(TEAM_TITLES)])
                for i in range(TEAM_PER_REGION)
            ]
            for region in self.regions
        }
        self.staff = {
            hub.pk: [
                person(f"staff{i + 1}.{hub.slug}", STAFF_TITLES[i % len(STAFF_TITLES)])
                for i in range(STAFF_PER_HUB)
            ]
            for hub in self.all_hubs
        }
        footprint_day = datetime.date(FIRST_YEAR, 4, 1)
        founding = [
            c
            for hub in self.all_hubs
            for c in self.ccgs_by_hub[hub.pk]
            if c.is_valid_on(footprint_day)
        ]
        leads = {
            c.pk: person(f"lead.{c.ods_code.lower()}", "CCG Director of Commissioning")
            for c in founding
        }
        bulk(User, users, self.counts)

        granted = joined
        admin = self.admins[0]
        roles = [
            RoleAssignment(
                user=u,
                role=Role.NATIONAL_ADMIN,
                granted_at=granted,
                granted_by=None if u is admin else admin,
            )
            for u in self.admins
        ]
        for region in self.regions:
            roles += [
                RoleAssignment(
                    user=u,
                    role=Role.REGIONAL_TEAM,
                    region=region,
                    granted_at=granted,
                    granted_by=admin,
                )
                for u in self.team[region.pk]
            ]
        for hub in self.all_hubs:
            roles += [
                RoleAssignment(
                    user=u, role=Role.HUB_STAFF, hub=hub, granted_at=granted, granted_by=admin
                )
                for u in self.staff[hub.pk]
            ]
        # A CCG lead follows their CCG into its successor when it merges.
        active: dict[int, list[RoleAssignment]] = defaultdict(list)  # ccg id → assignments
        self.lead_spells: dict[int, list] = defaultdict(list)  # ccg id → (user, from, to)
        for ccg in founding:
            ra = RoleAssignment(
                user=leads[ccg.pk],
                role=Role.CCG_LEAD,
                ccg=ccg,
                granted_at=granted,
                granted_by=admin,
            )
            active[ccg.pk].append(ra)
            roles.append(ra)
        for link in self.successions:
            if link.effective_date <= footprint_day:
                continue
            moved = at(link.effective_date, 0)
            for ra in active.pop(link.predecessor_id, []):
                ra.ended_at, ra.ended_by = moved, admin
                holders = {a.user.pk for a in active[link.successor_id]}
                if ra.user.pk in holders:
                    continue
                new = RoleAssignment(
                    user=ra.user,
                    role=Role.CCG_LEAD,
                    ccg_id=link.successor_id,
                    granted_at=moved,
                    granted_by=admin,
                )
                active[link.successor_id].append(new)
                roles.append(new)
        for ra in roles:
            if ra.role == Role.CCG_LEAD:
                ended = ra.ended_at.date() if ra.ended_at else None
                self.lead_spells[ra.ccg_id].append((ra.user, ra.granted_at.date(), ended))
        bulk(RoleAssignment, roles, self.counts)
        self.users = users

    def lead_of(self, ccg_id: int, day: datetime.date) -> User | None:
        for user, start, end in self.lead_spells.get(ccg_id, []):
            if start <= day and (end is None or day < end):
                return user
        return None

    def leads_in(self, hub: Hub, day: datetime.date) -> list[tuple[User, CCG]]:
        found = ((self.lead_of(c.pk, day), c) for c in self.ccgs_by_hub[hub.pk])
        return [(u, c) for u, c in found if u is not None]

    def footprint(self, hub: Hub, day: datetime.date) -> list[CCG]:
        return [c for c in self.ccgs_by_hub[hub.pk] if c.is_valid_on(day)]

    # oversight groups, set up once -------------------------------------------------------

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

    # the planning calendar ---------------------------------------------------------------

    def calendar(self, year: int) -> None:
        existing = list(CalendarMilestone.objects.filter(year=year).order_by("due_on", "pk"))
        if not existing:
            shift = year - 2015
            existing = bulk(
                CalendarMilestone,
                [
                    CalendarMilestone(
                        year=year,
                        title=title,
                        description=description,
                        starts_on=shift_year(starts, shift),
                        due_on=shift_year(due, shift),
                        for_hub_staff=hub,
                        for_ccg_leads=ccg,
                        for_regional_teams=region,
                        satisfied_by=satisfier,
                    )
                    for title, description, starts, due, (hub, ccg, region), satisfier in SEED_2015
                ],
                self.counts,
            )
        done = []
        for m in existing:
            if m.satisfied_by != "manual":
                continue
            for hub in self.hubs:
                by = self.staff[hub.pk][0] if m.for_hub_staff else self.team[hub.region_id][0]
                done.append(
                    MilestoneCompletion(
                        milestone=m,
                        hub=hub,
                        completed_by=by,
                        completed_at=at(m.due_on - datetime.timedelta(days=3)),
                        note="Done.",
                    )
                )
        bulk(MilestoneCompletion, done, self.counts)

    # meetings ----------------------------------------------------------------------------

    def meetings(self, year: int) -> None:
        rng = self.rng
        meetings, plan = [], []  # plan: (meeting, hub, month index)
        for hub in self.hubs:
            group = self.group[hub.pk]
            for n in range(MEETINGS_PER_YEAR):
                month = 3 + n  # March (the workshop) to February
                day = third_tuesday(year + (month - 1) // 12, (month - 1) % 12 + 1)
                online = rng.random() < 0.3
                meetings.append(
                    Meeting(
                        group=group,
                        title="Hub workshop with CCGs" if n == 0 else "Oversight group meeting",
                        starts_at=at(day, 13, 30),
                        online=online,
                        location="" if online else f"{hub.name} hub offices",
                        status=Meeting.Status.HELD,
                        minutes=f"The group met on {day:%-d %B %Y}. The chair welcomed "
                        "members; the minutes of the last meeting were agreed.",
                        version=4,
                        created_by=self.staff[hub.pk][0],
                    )
                )
                plan.append((meetings[-1], hub, n))
        bulk(Meeting, meetings, self.counts)

        items, attendance, recommendations = [], [], []
        items_of: dict[int, list[AgendaItem]] = {}
        for meeting, hub, n in plan:
            chosen = [
                AGENDA[0],
                AGENDA[1],
                *rng.sample(AGENDA[2:-1], ITEMS_PER_MEETING - 3),
                AGENDA[-1],
            ]
            mine = []
            for number, (title, purpose) in enumerate(chosen, start=1):
                decided = purpose == AgendaItem.Purpose.DECISION
                mine.append(
                    AgendaItem(
                        meeting=meeting,
                        number=number,
                        title=title,
                        purpose=purpose,
                        summary=f"Paper {number} for the {meeting.title.lower()}.",
                        concerns="Regional teaching hospitals NHS trust"
                        if title.startswith("Service")
                        else "",
                        decision="Agreed." if decided else "",
                        version=2,
                    )
                )
            items += mine
            items_of[id(meeting)] = mine
            for i, member in enumerate(self.members[hub.pk]):
                roll = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if i == 0 or roll < 0.8
                    else Attendance.Status.APOLOGIES
                    if roll < 0.95
                    else Attendance.Status.ABSENT
                )
                attendance.append(Attendance(meeting=meeting, member=member, status=status))
            if n % 3 == 2:
                made_on = meeting.starts_at.date()
                awaiting = made_on + datetime.timedelta(days=40) > self.as_of
                recommendations.append(
                    Recommendation(
                        meeting=meeting,
                        title=f"Commission {rng.choice(SERVICES)} from a single network",
                        detail="The group recommends a single provider network for the "
                        "footprint, to reduce variation in outcomes.",
                        made_on=made_on,
                        status=Recommendation.Status.AWAITING
                        if awaiting
                        else rng.choice(
                            [
                                Recommendation.Status.ACCEPTED,
                                Recommendation.Status.ACCEPTED_WITH_CHANGES,
                                Recommendation.Status.NOT_ACCEPTED,
                            ]
                        ),
                        rationale=""
                        if awaiting
                        else "Considered at the regional team's commissioning meeting.",
                        responded_at=None
                        if awaiting
                        else at(made_on + datetime.timedelta(days=21)),
                        responded_by=None if awaiting else self.team[hub.region_id][0],
                        version=1 if awaiting else 2,
                    )
                )
        bulk(AgendaItem, items, self.counts)
        bulk(Attendance, attendance, self.counts)
        bulk(Recommendation, recommendations, self.counts)

        actions = []
        for meeting, hub, _ in plan:
            for _ in range(ACTIONS_PER_MEETING):
                due = meeting.starts_at.date() + datetime.timedelta(days=21)
                status = (
                    Action.Status.OPEN
                    if due > self.as_of - datetime.timedelta(days=30)
                    else Action.Status.DROPPED
                    if rng.random() < 0.05
                    else Action.Status.DONE
                )
                actions.append(
                    Action(
                        meeting=meeting,
                        item=rng.choice(items_of[id(meeting)][1:]),
                        description=rng.choice(ACTIONS),
                        owner=rng.choice(self.members[hub.pk]).full_name,
                        due_date=due,
                        status=status,
                        version=1 if status == Action.Status.OPEN else 2,
                    )
                )
        bulk(Action, actions, self.counts)

    # priorities plans --------------------------------------------------------------------

    def plans(self, year: int) -> dict[int, PlanVersion]:
        rng = self.rng
        plans = [
            PrioritiesPlan(
                group=self.group[hub.pk],
                year=year,
                status=PrioritiesPlan.Status.ASSURED,
                context=f"{hub.name}'s specialised services for {year}/{(year + 1) % 100:02d}: "
                "access, quality and equity across the footprint, as the CCGs proposed.",
                delivery_arrangements="Each priority has a lead and a delivery sub-group that "
                "reports to the group monthly.",
                finance="QIPP savings are counted once, against the priority that makes them.",
                risks="Workforce in smaller units; provider capacity over winter.",
                version=3,
                created_at=at(datetime.date(year - 1, 10, 15)),
            )
            for hub in self.hubs
        ]
        bulk(PrioritiesPlan, plans, self.counts)
        self.plan_of = {p.group.hub_id: p for p in plans}

        criteria, assessors = [], []
        for p in plans:
            criteria += [
                Criterion(plan=p, name=name, weight=weight, order=i)
                for i, (name, weight) in enumerate(DEFAULT_CRITERIA)
            ]
            hub_staff = self.staff[p.group.hub_id]
            assessors += [Assessor(plan=p, user=u) for u in hub_staff[:ASSESSORS_PER_PLAN]]
        bulk(Criterion, criteria, self.counts)
        bulk(Assessor, assessors, self.counts)
        criteria_of = defaultdict(list)
        for c in criteria:
            criteria_of[c.plan_id].append(c)
        maximum = 5 * sum(w for _, w in DEFAULT_CRITERIA)

        proposals, scores, affected = [], [], []
        by_plan: dict[int, list[Proposal]] = {}
        start = datetime.date(year, 4, 1)
        for hub in self.hubs:
            p = self.plan_of[hub.pk]
            footprint = self.footprint(hub, start)
            staff = self.staff[hub.pk]
            rows, weighted = [], []
            for _ in range(PROPOSALS_PER_PLAN):
                ccg = rng.choice(footprint) if rng.random() < 0.85 else None
                proposer = (self.lead_of(ccg.pk, start) if ccg else None) or rng.choice(staff)
                service = rng.choice(SERVICES)
                place = ccg.name.removeprefix("NHS ").removesuffix(" CCG") if ccg else hub.name
                qipp = money(rng, 20_000, 2_000_000)
                proposal = Proposal(
                    plan=p,
                    ccg=ccg,
                    proposed_by=proposer,
                    title=f"{rng.choice(VERBS)} {service} in {place}",
                    programme_of_care=rng.choice(self.programmes),
                    service=service.capitalize(),
                    problem=f"Patients in {place} wait longer for {service} than elsewhere in "
                    "the region, and outcomes vary by provider.",
                    issues="Access and equity: travel times for rural patients.",
                    population=f"About {rng.randrange(200, 20000, 100)} patients a year.",
                    benefits="Shorter waits, fewer out-of-area placements, better outcomes.",
                    qipp_savings=qipp,
                    costs=money(rng, 0, 500_000),
                    risks="Provider workforce.",
                    suggested_subgroup=rng.choice(self.subgroups[hub.pk]),
                    version=4,
                    created_at=at(datetime.date(year, 3, rng.randint(1, 28))),
                )
                rows.append(proposal)
                quality = rng.uniform(1.0, 4.5)
                per_assessor = []
                for assessor in staff[:ASSESSORS_PER_PLAN]:
                    total = 0
                    for c in criteria_of[p.pk]:
                        value = min(5, max(0, round(quality + rng.gauss(0, 0.8))))
                        total += value * c.weight
                        scores.append(
                            Score(proposal=proposal, criterion=c, assessor=assessor, value=value)
                        )
                    per_assessor.append(100 * total / maximum)
                weighted.append(sum(per_assessor) / len(per_assessor))
            # The 40 best-scored are included, the next 30 deferred, the rest not included.
            order = sorted(range(len(rows)), key=lambda i: (-weighted[i], rows[i].title))
            for rank, i in enumerate(order):
                row = rows[i]
                if rank < INCLUDED_PER_PLAN:
                    row.status, row.rationale = Proposal.Status.INCLUDED, "Scored highly."
                elif rank < INCLUDED_PER_PLAN + DEFERRED_PER_PLAN:
                    row.status, row.rationale = Proposal.Status.DEFERRED, "Next year's plan."
                else:
                    row.status = Proposal.Status.NOT_INCLUDED
                    row.rationale = "Scored below the line."
            proposals += rows
            by_plan[p.pk] = rows
        bulk(Proposal, proposals, self.counts)
        for s in scores:
            s.proposal_id = s.proposal.pk
        bulk(Score, scores, self.counts)
        through = Proposal.ccgs_affected.through
        for hub in self.hubs:
            footprint = self.footprint(hub, start)
            for proposal in by_plan[self.plan_of[hub.pk].pk]:
                chosen = {proposal.ccg_id} if proposal.ccg_id else set()
                chosen |= {c.pk for c in rng.sample(footprint, min(2, len(footprint)))}
                affected += [through(proposal_id=proposal.pk, ccg_id=c) for c in sorted(chosen)]
        bulk(through, affected, self.counts)

        deliveries, milestones, updates = [], [], []
        milestones_of: dict[int, list[Milestone]] = defaultdict(list)
        for hub in self.hubs:
            p = self.plan_of[hub.pk]
            for proposal in by_plan[p.pk]:
                if proposal.status != Proposal.Status.INCLUDED:
                    continue
                deliveries.append(
                    Delivery(
                        proposal=proposal,
                        lead=rng.choice(self.members[hub.pk]).full_name,
                        subgroup=proposal.suggested_subgroup,
                        kpis="Median wait; out-of-area placements; patient experience.",
                        qipp_target=proposal.qipp_savings,
                        version=2,
                    )
                )
                for title, (month, day) in MILESTONE_TITLES:
                    due = datetime.date(year + (month < 4), month, day)
                    if due < self.as_of:
                        roll = rng.random()
                        status = (
                            Milestone.Status.DONE
                            if roll < 0.85
                            else Milestone.Status.MISSED
                            if roll < 0.95
                            else Milestone.Status.IN_PROGRESS
                        )
                    else:
                        status = rng.choice(
                            [Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS]
                        )
                    m = Milestone(
                        proposal=proposal,
                        title=title,
                        due_date=due,
                        status=status,
                        version=1 if status == Milestone.Status.PLANNED else 2,
                    )
                    milestones.append(m)
                    milestones_of[id(proposal)].append(m)
                target, realised = proposal.qipp_savings, Decimal(0)
                pace = rng.uniform(0.5, 1.1)
                for k in range(12):
                    month = 4 + k
                    day = month_end(year + (month - 1) // 12, (month - 1) % 12 + 1)
                    realised = min(
                        target, (target * Decimal(pace * (k + 1) / 12)).quantize(Decimal(1))
                    )
                    updates.append(
                        DeliveryUpdate(
                            proposal=proposal,
                            rag=rng.choices(["green", "amber", "red"], [6, 3, 1])[0],
                            commentary=f"Progress to {day:%B %Y}: on the plan's trajectory.",
                            qipp_realised=realised,
                            reported_on=day,
                            author=rng.choice(self.staff[hub.pk]),
                            created_at=at(day, 16),
                        )
                    )
        bulk(Delivery, deliveries, self.counts)
        bulk(Milestone, milestones, self.counts)
        bulk(DeliveryUpdate, updates, self.counts)

        frozen_on = datetime.date(year, 5, 1)
        versions = [
            PlanVersion(
                plan=p,
                number=1,
                status=PrioritiesPlan.Status.SUBMITTED,
                content=self.snapshot(hub, p, by_plan[p.pk], milestones_of, frozen_on),
                frozen_at=at(frozen_on),
                frozen_by=self.staff[hub.pk][0],
            )
            for hub in self.hubs
            for p in [self.plan_of[hub.pk]]
        ]
        bulk(PlanVersion, versions, self.counts)
        return {v.plan.group.hub_id: v for v in versions}

    def snapshot(self, hub, plan, proposals, milestones_of, day: datetime.date) -> dict:
        """priorities.services.snapshot's shape, from the rows in hand, as on `day`."""
        included = sorted(
            (p for p in proposals if p.status == Proposal.Status.INCLUDED), key=lambda p: p.title
        )
        footprint = self.footprint(hub, day)
        return {
            "title": f"{hub.name} priorities plan {plan.year_label}",
            "hub": hub.name,
            "group": plan.group.name,
            "year": plan.year_label,
            "status": PrioritiesPlan.Status.SUBMITTED.label,
            "taken_on": day.isoformat(),
            "sections": {
                f: getattr(plan, f)
                for f in ["context", "delivery_arrangements", "finance", "risks"]
            },
            "governance": {
                "members": len(self.members[hub.pk]),
                "covered": len(footprint),
                "footprint": len(footprint),
                "coverage_percent": 100,
                "not_covered": [],
                "terms_agreed": self.agreed_on.isoformat(),
                "agreement_agreed": self.agreed_on.isoformat(),
            },
            "priorities": [
                {
                    "title": p.title,
                    "ccg": p.ccg.name if p.ccg else "Hub staff",
                    "programme_of_care": p.programme_of_care.name,
                    "benefits": p.benefits,
                    "qipp_savings": str(p.qipp_savings),
                    "costs": str(p.costs),
                }
                for p in included
            ],
            # At submission nothing is yet reported or done: every milestone is still due.
            "delivery": [
                {
                    "title": p.title,
                    "rag": "",
                    "target": str(p.qipp_savings),
                    "realised": "0",
                    "milestones_done": 0,
                    "milestones_due": len(milestones_of[id(p)]),
                    "milestones_overdue": 0,
                }
                for p in included
            ],
            "milestones": sorted(
                (
                    {
                        "due_date": m.due_date.isoformat(),
                        "priority": p.title,
                        "title": m.title,
                        "status": Milestone.Status.PLANNED.label,
                    }
                    for p in included
                    for m in milestones_of[id(p)]
                ),
                key=lambda row: row["due_date"],
            ),
        }

    # peer reviews ------------------------------------------------------------------------

    def cycles(self, year: int) -> list[tuple[ReviewCycle, list[LineOfEnquiry]]]:
        windows = {
            ReviewCycle.Kind.FIRST: (
                datetime.date(year, 4, 1),
                datetime.date(year, 5, 31),
                "Assurance of each hub's priorities plan and governance arrangements.",
            ),
            ReviewCycle.Kind.SECOND: (
                datetime.date(year, 12, 1),
                datetime.date(year + 1, 3, 31),
                "Improvements made, how the collaborative functions, and learning to share.",
            ),
        }
        existing = {c.kind: c for c in ReviewCycle.objects.filter(year=year)}
        new = [
            ReviewCycle(year=year, kind=kind, opens_on=opens, closes_on=closes, purpose=purpose)
            for kind, (opens, closes, purpose) in windows.items()
            if kind not in existing
        ]
        bulk(ReviewCycle, new, self.counts)
        lines = [
            LineOfEnquiry(cycle=c, order=order, title=title, prompt=prompt)
            for c in new
            for order, (title, prompt) in enumerate(DEFAULT_LINES[c.kind], start=1)
        ]
        bulk(LineOfEnquiry, lines, self.counts)
        cycles = sorted([*existing.values(), *new], key=lambda c: c.kind)
        return [(c, list(c.lines.order_by("order", "pk"))) for c in cycles]

    def readiness(self, hub, day: datetime.date) -> dict:
        count = len(self.footprint(hub, day))
        agreed = f"Agreed {self.agreed_on:%-d %B %Y}"
        checks = [
            ("group", "Oversight group set up", self.group[hub.pk].name),
            ("plan", "Priorities plan submitted", "Version 1, submitted for peer review"),
            ("terms", "Terms of reference agreed", agreed),
            ("agreement", "Collaboration agreement agreed", agreed),
            ("coverage", "Every footprint CCG covered", f"{count} of {count} CCGs"),
            (
                "membership",
                "Membership complete",
                "NHS England, CCGs, Public Health England and patient and public voice are members",
            ),
        ]
        return {key: {"label": label, "met": True, "detail": d} for key, label, d in checks}

    def governance(self, hub, when: datetime.datetime) -> dict:
        """reviews.services.governance_record's shape, from the rows in hand."""
        group = self.group[hub.pk]
        places = [p for p in self.places[group.pk] if p.invited_at <= when]
        members = sorted(self.members[hub.pk], key=lambda m: (m.sector, m.full_name))
        return {
            "as_at": when.isoformat(),
            "group": group.name,
            "members": [
                {
                    "name": m.full_name,
                    "organisation": m.organisation,
                    "sector": GroupMember.Sector(m.sector).label,
                    "role": GroupMember.Role(m.role).label,
                    "voting": m.voting,
                }
                for m in members
            ],
            "ccgs": [
                {"ccg": p.ccg.name, "status": CCGMembership.Status(p.status).label}
                for p in sorted(places, key=lambda p: p.ccg.name)
            ],
            "documents": [
                {"kind": kind.label, "number": 1, "agreed_on": self.agreed_on.isoformat()}
                for kind in sorted(GovernanceDocument.Kind, key=lambda k: k.value)
            ],
        }

    def reviews(self, year: int, versions: dict[int, PlanVersion]) -> None:
        rng = self.rng
        reviews, places, findings, recommendations = [], [], [], []
        lines_of = {}
        for cycle, lines in self.cycles(year):
            lines_of[cycle.pk] = lines
            first = cycle.kind == ReviewCycle.Kind.FIRST
            base = datetime.date(year, 5, 4) if first else datetime.date(year + 1, 1, 11)
            issued = base + datetime.timedelta(days=24)
            recs_due = datetime.date(year, 11, 30) if first else datetime.date(year + 1, 9, 30)
            for hub in self.hubs:
                team = self.team[hub.region_id]
                signed = issued + datetime.timedelta(days=60) <= self.as_of
                rating = rng.choice(RATINGS)
                review = PeerReview(
                    cycle=cycle,
                    hub=hub,
                    status=PeerReview.Status.SIGNED_OFF
                    if signed
                    else PeerReview.Status.REPORT_ISSUED,
                    readiness=self.readiness(hub, base),
                    declared_at=at(base),
                    declared_by=self.staff[hub.pk][0],
                    invited_at=at(base + datetime.timedelta(days=1)),
                    invited_by=team[0],
                    plan_version=versions[hub.pk],
                    governance=self.governance(hub, versions[hub.pk].frozen_at),
                    started_at=at(base + datetime.timedelta(days=6)),
                    overall_rating=rating,
                    summary=f"{hub.name}'s plan and governance are "
                    f"{Rating(rating).label.lower()}; see the findings.",
                    version=8 if signed else 6,
                )
                if signed:
                    review.response_summary = "The hub accepts the recommendations."
                    review.responded_at = at(issued + datetime.timedelta(days=21))
                    review.responded_by = self.staff[hub.pk][0]
                    review.signoff_note = "Signed off by the regional team."
                    review.signed_off_at = at(issued + datetime.timedelta(days=35))
                    review.signed_off_by = team[0]
                reviews.append(review)
                review.issued = issued  # kept for the report below
                # Five reviewers from five other hubs: four hub staff and a CCG lead.
                others = [h for h in self.all_hubs if h.pk != hub.pk]
                panel_hubs = rng.sample(others, min(REVIEWERS_PER_REVIEW, len(others)))
                chosen = []  # (user, home) as reviews.services._homes labels them
                for i, other in enumerate(panel_hubs):
                    leads = self.leads_in(other, base)
                    if i == REVIEWERS_PER_REVIEW - 1 and leads:
                        user, ccg = rng.choice(leads)
                        chosen.append((user, f"{ccg.name}, {other.name}"))
                    else:
                        chosen.append((rng.choice(self.staff[other.pk]), f"{other.name} hub"))
                for i, (user, home) in enumerate(chosen):
                    places.append(
                        Reviewer(
                            review=review,
                            user=user,
                            role=Reviewer.Role.LEAD if i == 0 else Reviewer.Role.REVIEWER,
                            status=Reviewer.Status.ACCEPTED,
                            home=home,
                            invited_at=at(base + datetime.timedelta(days=1), 11),
                            invited_by=team[0],
                            responded_at=at(base + datetime.timedelta(days=3)),
                            version=2,
                        )
                    )
                for kind, theme, title in rng.sample(FINDINGS, 3):
                    findings.append(
                        Finding(
                            review=review,
                            kind=kind,
                            title=title,
                            theme=theme,
                            detail=f"{title}: seen in the papers and at the panel's visit.",
                            programme_of_care=rng.choice([None, *self.programmes]),
                            shareable=kind == Finding.Kind.GOOD_PRACTICE,
                            version=1,
                        )
                    )
                for title in rng.sample(REVIEW_RECOMMENDATIONS, 3):
                    closed = recs_due < self.as_of
                    recommendations.append(
                        ReviewRecommendation(
                            review=review,
                            title=title,
                            detail="By the next review.",
                            owner=self.staff[hub.pk][0].full_name,
                            due_date=recs_due,
                            status=ReviewRecommendation.Status.CLOSED
                            if closed
                            else rng.choice(
                                [
                                    ReviewRecommendation.Status.OPEN,
                                    ReviewRecommendation.Status.IN_PROGRESS,
                                ]
                            ),
                            hub_action="Agreed at the group's next meeting.",
                            closure_note="Done and evidenced to the region." if closed else "",
                            closed_at=at(recs_due - datetime.timedelta(days=10))
                            if closed
                            else None,
                            version=3 if closed else 2,
                        )
                    )
        bulk(PeerReview, reviews, self.counts)
        bulk(Reviewer, places, self.counts)
        bulk(Finding, findings, self.counts)
        bulk(ReviewRecommendation, recommendations, self.counts)

        assessments, ratings = [], []
        for place in places:
            review = place.review
            submitted = at(review.started_at.date() + datetime.timedelta(days=10), 15)
            a = Assessment(
                reviewer=place,
                status=Assessment.Status.SUBMITTED,
                submitted_at=submitted,
                version=3,
            )
            assessments.append(a)
            for line in lines_of[review.cycle_id]:
                ratings.append(
                    LineRating(
                        assessment=a,
                        line=line,
                        rating=rng.choice(RATINGS),
                        evidence=f"{line.title}: the group's papers and minutes.",
                        comments="",
                    )
                )
        bulk(Assessment, assessments, self.counts)
        bulk(LineRating, ratings, self.counts)

        leads = {p.review_id: p.user for p in places if p.role == Reviewer.Role.LEAD}
        reports = [
            ReviewReport(
                review=review,
                number=1,
                overall_rating=review.overall_rating,
                content=report_content(review),
                issued_at=at(review.issued),
                issued_by=leads[review.pk],
            )
            for review in reviews
        ]
        bulk(ReviewReport, reports, self.counts)

    # notifications -----------------------------------------------------------------------

    def notifications(self) -> None:
        rng = self.rng
        last = self.years[-1]
        hub_of = {u.pk: hub for hub in self.all_hubs for u in self.staff[hub.pk]}
        region_of = {u.pk: r for r in self.regions for u in self.team[r.pk]}
        lead_hub = {}
        for hub in self.all_hubs:
            for ccg in self.ccgs_by_hub[hub.pk]:
                for user, _, _ in self.lead_spells.get(ccg.pk, []):
                    lead_hub.setdefault(user.pk, hub)
        plans = {
            p.group.hub_id: p.pk
            for p in PrioritiesPlan.objects.filter(year=last).select_related("group")
        }
        made = []
        start = datetime.date(last, 4, 1)
        for user in self.users:
            hub = hub_of.get(user.pk) or lead_hub.get(user.pk)
            if user.pk in hub_of and hub.pk in plans:
                link = f"/plans/{plans[hub.pk]}/"
            elif hub is not None:
                link = f"/timeline/hubs/{hub.slug}/"
            elif user.pk in region_of:
                link = "/reviews/"
            else:
                link = "/timeline/"
            for k in range(NOTIFICATIONS_PER_USER):
                when = at(start + datetime.timedelta(days=18 * k + rng.randrange(0, 5)), 7)
                essential = rng.random() < 0.2
                made.append(
                    Notification(
                        user=user,
                        title=rng.choice(
                            [
                                "Reminder: draft governance proposal and priorities plan due",
                                "Due today: ready for the first peer review",
                                "Overdue: input into national commissioning intentions",
                                "Reminder: a meeting action is due in 3 working days",
                                "Overdue: a peer review recommendation",
                            ]
                        ),
                        body="Open it to see what is due and where to record it.",
                        link=link,
                        essential=essential,
                        created_at=when,
                        read_at=None
                        if k >= NOTIFICATIONS_PER_USER - UNREAD_PER_USER
                        else when + datetime.timedelta(hours=3),
                    )
                )
        bulk(Notification, made, self.counts)

    # -------------------------------------------------------------------------------------

    def run(self, say=print) -> Counter:
        started = time.perf_counter()
        with transaction.atomic():
            self.load_register()
            self.refuse_if_filled()
            self.people()
            self.groups()
        say(f"  register, people and groups: {time.perf_counter() - started:.1f} s")
        for year in self.years:
            with transaction.atomic():
                self.calendar(year)
                self.meetings(year)
                versions = self.plans(year)
                self.reviews(year, versions)
            say(f"  {year}/{(year + 1) % 100:02d}: {time.perf_counter() - started:.1f} s")
        with transaction.atomic():
            self.notifications()
        return self.counts


def generate(*, years: int = 10, seed: int = 2015, hubs: int | None = None, say=print) -> Counter:
    """Generate the data into the current database; returns rows created per model."""
    return Generator(years=years, seed=seed, hubs=hubs).run(say=say)


def data_digest() -> str:
    """A digest of the generated rows by their natural keys (never primary keys): equal for
    two runs with the same seed."""
    h = hashlib.sha256()

    def feed(rows) -> None:
        for row in rows:
            h.update(json.dumps(row, default=str, sort_keys=True).encode())

    gen = User.objects.filter(email__endswith=f"@{DOMAIN}")
    feed(gen.order_by("email").values_list("email", "full_name", "job_title", "password"))
    feed(
        RoleAssignment.objects.filter(user__in=gen)
        .order_by("user__email", "role", "granted_at", "ccg__ods_code")
        .values_list("user__email", "role", "ccg__ods_code", "hub__slug", "granted_at", "ended_at")
    )
    feed(
        GroupMember.objects.order_by("group__hub__slug", "full_name", "sector", "role").values_list(
            "group__hub__slug", "full_name", "sector", "role", "ccg__ods_code"
        )
    )
    feed(
        Proposal.objects.order_by(
            "plan__group__hub__slug", "plan__year", "created_at", "title"
        ).values_list(
            "plan__group__hub__slug",
            "plan__year",
            "title",
            "status",
            "qipp_savings",
            "ccg__ods_code",
            "proposed_by__email",
            "created_at",
        )
    )
    feed(
        Score.objects.order_by(
            "proposal__plan__group__hub__slug", "proposal__plan__year", "assessor__email"
        )
        .values_list("proposal__plan__group__hub__slug", "proposal__plan__year", "assessor__email")
        .annotate(total=Sum("value"))
    )
    feed(
        Reviewer.objects.order_by(
            "review__cycle__year", "review__cycle__kind", "review__hub__slug", "role", "user__email"
        ).values_list(
            "review__cycle__year", "review__cycle__kind", "review__hub__slug", "user__email", "role"
        )
    )
    feed(
        DeliveryUpdate.objects.order_by(
            "proposal__title", "reported_on", "qipp_realised", "rag"
        ).values_list("proposal__title", "reported_on", "rag", "qipp_realised")[:2000]
    )
    feed(
        Notification.objects.filter(user__in=gen)
        .order_by("user__email", "created_at", "title")
        .values_list("user__email", "title", "created_at", "read_at", "essential")
    )
    return h.hexdigest()


# --- figures --------------------------------------------------------------------------------


COUNTED = [
    User, RoleAssignment, OversightGroup, GroupMember, CCGMembership, SubGroup,
    GovernanceDocument, DocumentVersion, Meeting, AgendaItem, Attendance, Action,
    Recommendation, PrioritiesPlan, PlanVersion, Criterion, Assessor, Proposal, Score,
    Delivery, Milestone, DeliveryUpdate, ReviewCycle, LineOfEnquiry, PeerReview, Reviewer,
    Assessment, LineRating, Finding, ReviewRecommendation, ReviewReport, CalendarMilestone,
    MilestoneCompletion, Notification,
]  # fmt: skip


def print_counts() -> None:
    print(f"\n{'model':<22} {'rows':>9}")
    for model in COUNTED:
        print(f"{model.__name__:<22} {model.objects.count():>9}")


def time_pages(requests: int = 5) -> None:
    """Time the main pages as a generated national admin (DEBUG off), with query counts."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    warnings.filterwarnings("ignore", message="No directory at")
    # A page refused to a role (403) is a figure here, not an error to log with its traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    admin = User.objects.get(email=f"admin1@{DOMAIN}")
    plan = PrioritiesPlan.objects.select_related("group__hub").order_by("-year", "pk").first()
    group, hub = plan.group, plan.group.hub
    staff = User.objects.get(email=f"staff1.{hub.slug}@{DOMAIN}")
    meeting = group.meetings.order_by("-starts_at").first()
    review = PeerReview.objects.filter(hub=hub).order_by("-cycle__year", "cycle__kind").first()
    version = plan.versions.first()
    pages = [
        ("my work", reverse("workspace:my-work")),
        ("overview", reverse("hubs:overview")),
        ("hub", reverse("workspace:hub-detail", args=[hub.slug])),
        ("group", reverse("workspace:group-detail", args=[group.pk])),
        ("meetings", reverse("meetings:meeting-list", args=[group.pk])),
        ("meeting", reverse("meetings:meeting-detail", args=[meeting.pk])),
        ("recommendations", reverse("meetings:recommendation-list")),
        ("plan", reverse("priorities:plan-detail", args=[plan.pk])),
        ("ranking", reverse("priorities:ranking", args=[plan.pk])),
        ("dashboard", reverse("priorities:plan-dashboard", args=[plan.pk])),
        ("plan version", reverse("priorities:plan-version", args=[version.pk])),
        ("plans (all hubs)", reverse("priorities:cross-hub")),
        ("reviews", reverse("reviews:index")),
        ("cycle", reverse("reviews:cycle-detail", args=[review.cycle_id])),
        ("review", reverse("reviews:review-detail", args=[review.pk])),
        ("timeline grid", reverse("timeline:grid") + f"?year={plan.year}"),
        ("hub timeline", reverse("timeline:hub", args=[hub.slug]) + f"?year={plan.year}"),
        ("notifications", reverse("timeline:inbox")),
        ("API plans", reverse("api:plan-list")),
        ("API proposals", reverse("api:proposal-list")),
        ("API meetings", reverse("api:meeting-list")),
        ("API notifications", reverse("api:notification-list")),
    ]
    print(
        f"\nPages as {admin.email} (national admin), {requests} requests each after one "
        "warm-up; DEBUG off:"
    )
    print(f"{'page':<18} {'status':>6} {'median ms':>9} {'max ms':>8} {'queries':>8} {'KB':>7}")
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
        for who in (admin, staff):
            client = Client()
            client.force_login(who)
            if who is staff:
                print(f"-- as {staff.email} (hub staff, {hub.name})")
            for label, url in pages:
                client.get(url)
                seconds, queries = [], []
                for _ in range(requests):
                    with CaptureQueriesContext(connection) as captured:
                        t = time.perf_counter()
                        response = client.get(url)
                        seconds.append(time.perf_counter() - t)
                    queries.append(len(captured))
                q = (
                    str(queries[0])
                    if min(queries) == max(queries)
                    else f"{min(queries)}-{max(queries)}"
                )
                print(
                    f"{label:<18} {response.status_code:>6} "
                    f"{statistics.median(seconds) * 1000:>9.1f} {max(seconds) * 1000:>8.1f} "
                    f"{q:>8} {len(response.content) / 1024:>7.1f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="financial years from 2015/16")
    parser.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    parser.add_argument("--hubs", type=int, default=None, help="only the first N hubs by name")
    parser.add_argument("--reset", action="store_true", help="flush the database first")
    parser.add_argument("--no-pages", action="store_true", help="skip timing pages at the end")
    args = parser.parse_args()
    if args.hubs is not None and args.hubs < 1:
        parser.error("--hubs must be at least 1")

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.reset:
        call_command("flush", interactive=False, verbosity=0)
        print(f"  flushed: {time.perf_counter() - started:.1f} s")
    generating = time.perf_counter()
    try:
        counts = generate(years=args.years, seed=args.seed, hubs=args.hubs)
    except GenerateError as refused:
        raise SystemExit(str(refused)) from refused
    elapsed = time.perf_counter() - generating
    print(
        f"\nGenerated {sum(counts.values())} rows in {elapsed:.1f} s "
        f"({args.years} years, seed {args.seed}); password {DEMO_PASSWORD}"
    )
    print_counts()
    print(f"\nDigest: {data_digest()}")
    if connection.vendor == "postgresql":
        # After a bulk load, as autovacuum would soon: without fresh statistics the planner
        # takes a table of 180,000 scores for 21,000 and scans it whole (ranking: 26 ms a query).
        analysing = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  analysed: {time.perf_counter() - analysing:.1f} s")
    if not args.no_pages:
        time_pages()
    print(f"\nTotal time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
