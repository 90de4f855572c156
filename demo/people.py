"""Demo data for local use: one person per role (documented in the README) and the groups,
meetings, plans, reviews and timeline they work on. Never in production."""

from django.conf import settings
from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from demo.boards import demo_boards_load
from demo.cocommissioning import demo_cocommissioning_load
from demo.delivery import demo_delivery_load
from demo.groups import demo_groups_load
from demo.icb_era import demo_icb_era_load
from demo.meetings import demo_meetings_load
from demo.programme import demo_programme_load
from evaluations.demo import demo_evaluations_load
from hubs.models import CCG, Hub, IntegratedCareSystem, Region
from ideas.demo import demo_ideas_load
from national.demo import demo_national_load, demo_service_reviews_load
from reviews.demo import demo_reviews_load
from timeline.demo import demo_timeline_load

DEMO_PASSWORD = "demo-commissioning-2015"  # noqa: S105 (documented local-only demo password)

# email, full name, job title, [(role, organisation kind, organisation key)]
DEMO_PEOPLE = [
    (
        "national.admin@example.nhs.uk",
        "Nadia Shah",
        "Head of Specialised Commissioning",
        [(Role.NATIONAL_ADMIN, None, None)],
    ),
    (
        "north.region@example.nhs.uk",
        "Robert Ellis",
        "Regional Director of Specialised Commissioning",
        [(Role.REGIONAL_TEAM, "region", "north")],
    ),
    (
        "london.region@example.nhs.uk",
        "Amara Okafor",
        "Regional Assurance Lead",
        [(Role.REGIONAL_TEAM, "region", "london")],
    ),
    (
        "nec.hub@example.nhs.uk",
        "Helen Carter",
        "Hub Commissioning Manager",
        [(Role.HUB_STAFF, "hub", "north-east-and-cumbria")],
    ),
    (
        "london.hub@example.nhs.uk",
        "Sam Patel",
        "Hub Commissioning Manager",
        [(Role.HUB_STAFF, "hub", "london")],
    ),
    (
        "sunderland.ccg@example.nhs.uk",
        "David Lowe",
        "Director of Commissioning, Sunderland CCG",
        [(Role.CCG_LEAD, "ccg", "00P")],
    ),
    (
        "northumberland.ccg@example.nhs.uk",
        "Grace Armstrong",
        "Clinical Chair, Northumberland CCG",
        [(Role.CCG_LEAD, "ccg", "00L"), (Role.HUB_STAFF, "hub", "north-east-and-cumbria")],
    ),
    (
        "south.region@example.nhs.uk",
        "Sofia Marsh",
        "Regional Assurance Lead",
        [(Role.REGIONAL_TEAM, "region", "south")],
    ),
    (
        "westmidlands.hub@example.nhs.uk",
        "Priya Kaur",
        "Hub Commissioning Manager",
        [(Role.HUB_STAFF, "hub", "west-midlands")],
    ),
    (
        "birmingham.icb@example.nhs.uk",
        "Marcus Reid",
        "Director of Strategy, NHS Birmingham and Solihull ICB",
        [(Role.CCG_LEAD, "ccg", "QHL")],
    ),
    (
        "commissioning.committee@example.nhs.uk",
        "Olivia Bennett",
        "Member, NHS England Commissioning Committee",
        [(Role.COMMISSIONING_COMMITTEE, None, None)],
    ),
    (
        "nenc.ics@example.nhs.uk",
        "Ian Forster",
        "Director of Strategy, North East and North Cumbria ICS",
        [(Role.ICS_LEAD, "system", "NENC")],
    ),
    (
        "wessex.hub@example.nhs.uk",
        "Will Turner",
        "Hub Commissioning Manager",
        [(Role.HUB_STAFF, "hub", "wessex")],
    ),
    (
        "yorkshire.hub@example.nhs.uk",
        "Yasmin Akhtar",
        "Hub Commissioning Manager",
        [(Role.HUB_STAFF, "hub", "yorkshire-and-humber")],
    ),
]


def _organisation(kind: str | None, key: str | None) -> dict:
    if kind == "region":
        return {"region": Region.objects.get(slug=key)}
    if kind == "hub":
        return {"hub": Hub.objects.get(slug=key)}
    if kind == "ccg":
        return {"ccg": CCG.objects.get(ods_code=key)}
    if kind == "system":
        return {"system": IntegratedCareSystem.objects.get(short_name=key)}
    return {}


@transaction.atomic
def demo_data_load() -> list[User]:
    """Create (or refresh) the demo people and their roles. Idempotent."""
    if not settings.DEMO_DATA_ALLOWED:
        raise RuntimeError("Demo data is for local use only (DEMO_DATA_ALLOWED is off).")
    people = []
    for email, name, title, roles in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "job_title": title}
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role, kind, key in roles:
            org = _organisation(kind, key)
            RoleAssignment.objects.active().get_or_create(user=user, role=role, **org)
        people.append(user)
    by_email = {p.email: p for p in people}
    demo_groups_load(by_email)
    demo_meetings_load(by_email)

    demo_reviews_load(by_email)

    demo_timeline_load(by_email)
    demo_icb_era_load(by_email)
    demo_delivery_load(by_email)
    demo_cocommissioning_load(by_email)
    demo_national_load(by_email)  # PoC boards and CRGs (issue 17)
    demo_service_reviews_load(by_email)  # national service reviews (issue 17)
    demo_programme_load(by_email)  # an overlap's agreed way forward (issue 17)
    demo_ideas_load(by_email)  # the idea exchange (issue 17)
    demo_evaluations_load(by_email)  # evaluations of 2015/16 priorities (issue 17)
    demo_boards_load(by_email)  # last: the NEC group's successor (issue 16)
    return people
