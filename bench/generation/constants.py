"""Volumes per hub and year, and the words the generated records are made of."""

import datetime

from meetings.models import AgendaItem
from oversight.models import GroupMember, SubGroup
from reviews.models import Finding, Rating, Theme

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
# The idea exchange (issue 17): posts per hub and year (10 hubs, 10 years: 10,000), a
# comment on every fifth, a follower besides the author on every third.
IDEAS_PER_HUB_YEAR = 100

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
