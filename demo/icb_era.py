"""Demo data of today's structure (issue 13, part 9): the West Midlands hub's oversight group
for the current financial year, whose members are Integrated Care Boards, with an ICB lead's
plan proposals. The 2015/16 story (North East and Cumbria, London, Wessex) stays as it was,
one click away."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from governance import services as documents
from hubs.models import CCG, Hub, ProgrammeOfCare
from oversight import selectors, services
from oversight.models import CCGMembership, OversightGroup
from priorities import services as plans
from priorities.models import PrioritiesPlan

WEST_MIDLANDS = "west-midlands"
ICB_LEAD = "birmingham.icb@example.nhs.uk"
HUB_STAFF = "westmidlands.hub@example.nhs.uk"
MEMBERS = ("QHL", "QUA", "QWU", "QGH")  # the other two ICBs have not answered yet


def current_year(today: datetime.date) -> int:
    """The financial year (1 April to 31 March) that `today` falls in, by its first year."""
    return today.year if today.month >= 4 else today.year - 1


def demo_icb_era_load(people: dict[str, User]) -> None:
    """Idempotent: does nothing once the hub has a group."""
    hub = Hub.objects.get(slug=WEST_MIDLANDS)
    if OversightGroup.objects.filter(hub=hub).exists():
        return
    staff, lead = people[HUB_STAFF], people[ICB_LEAD]
    year = current_year(timezone.localdate())
    group = services.group_create(
        by=staff,
        hub=hub,
        name="West Midlands Specialised Commissioning Oversight Group",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=datetime.date(year, 4, 1),
        purpose="Brings NHS England and the six Integrated Care Boards of the West Midlands "
        "together to agree local priorities for specialised services and recommend them to the "
        "Midlands regional team.",
    )
    group = services.group_update(
        by=staff, group=group, version=group.version, status=OversightGroup.Status.ACTIVE
    )
    services.ccgs_invite(
        by=staff, group=group, ccgs=selectors.footprint_on(group, group.footprint_day)
    )
    for ods in MEMBERS:
        place = CCGMembership.objects.get(group=group, ccg__ods_code=ods)
        services.membership_respond(
            by=staff,
            membership=place,
            version=place.version,
            answer="accept",
            note="Confirmed by the ICB's director of strategy.",
        )
    _people(group, staff)
    # The hub adapts the national draft terms of reference (seed 000 §3.4.2): a draft that
    # starts from the current national template and says so.
    documents.version_draft_create(by=staff, group=group, kind="terms_of_reference", body=None)
    _plan(group, staff, lead, year)


def _people(group: OversightGroup, staff: User) -> None:
    roster = [
        ("Dr Helen Price", "NHS England Midlands", "nhs_england", None, "chair", True),
        ("Dr Ola Adeyemi", "NHS Black Country ICB", "ccg", "QUA", "vice_chair", True),
        ("Marcus Reid", "NHS Birmingham and Solihull ICB", "ccg", "QHL", "member", True),
        ("Dr Tom Hale", "NHS Coventry and Warwickshire ICB", "ccg", "QWU", "member", True),
        ("Dr Nia Evans", "UK Health Security Agency West Midlands", "phe", None, "member", False),
        ("Sue Dent", "Healthwatch Birmingham", "ppv", None, "member", True),
    ]
    for name, organisation, sector, ods, role, voting in roster:
        services.member_add(
            by=staff,
            group=group,
            full_name=name,
            email="",
            organisation=organisation,
            sector=sector,
            ccg=CCG.objects.get(ods_code=ods) if ods else None,
            role=role,
            voting=voting,
            start_date=group.start_date,
            end_date=None,
        )


def _plan(group: OversightGroup, staff: User, lead: User, year: int) -> PrioritiesPlan:
    plan = plans.plan_create(by=staff, group=group, year=year)
    plan = plans.plan_update(
        by=staff,
        plan=plan,
        version=plan.version,
        context=f"The West Midlands hub commissions specialised services for about six million "
        f"people with six Integrated Care Boards. This plan sets the group's priorities for "
        f"{year}/{str(year + 1)[-2:]}.",
        delivery_arrangements="Each priority has a lead ICB and reports to the group quarterly.",
        finance="Savings and costs are estimated per priority and shared across the ICBs.",
        risks="Workforce in paediatric critical care; capital for the renal estate.",
    )
    birmingham = CCG.objects.get(ods_code="QHL")
    base = {"service": "", "issues": "", "population": "", "risks": "", "suggested_subgroup": None}
    renal = plans.proposal_create(
        by=lead,
        plan=plan,
        ccg=birmingham,
        **{
            **base,
            "title": "Home dialysis for one in five renal patients",
            "programme_of_care": ProgrammeOfCare.objects.get(name="Internal Medicine"),
            "problem": "Home dialysis rates are half the national best; units are full.",
            "benefits": "Fewer journeys for patients; unit capacity for new starters.",
            "qipp_savings": Decimal(180000),
            "costs": Decimal(95000),
        },
    )
    plans.proposal_submit(by=lead, proposal=renal, version=renal.version)
    plans.proposal_create(
        by=lead,
        plan=plan,
        ccg=birmingham,
        **{
            **base,
            "title": "Perinatal mental health beds in the West Midlands",
            "programme_of_care": ProgrammeOfCare.objects.get(name="Mental Health"),
            "problem": "Mothers are admitted to mother and baby units outside the region.",
            "benefits": "",
            "qipp_savings": Decimal(0),
            "costs": Decimal(60000),
        },
    )
    return plan
