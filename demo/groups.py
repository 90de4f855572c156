"""Demo oversight groups: their CCG places, members, interests and sub-groups."""

import datetime

from accounts.models import User
from hubs.models import CCG, Hub
from oversight import selectors, services
from oversight.models import CCGMembership, OversightGroup

from .dating import dated

# The North East and Cumbria group's CCGs were invited in February 2015 and answered at the
# March workshop (timeline/demo.py: 4 March 2015); London's before its group began in May.
NEC_INVITED, NEC_ANSWERED = datetime.date(2015, 2, 16), datetime.date(2015, 3, 4)
LONDON_INVITED, LONDON_ANSWERED = datetime.date(2015, 4, 13), datetime.date(2015, 4, 27)


def demo_groups_load(people: dict[str, User]) -> None:
    """Two hubs' oversight groups: North East and Cumbria (active, nearly complete) and London
    (forming). Made through the services, so history and audit read as they would in life."""
    start = datetime.date(2015, 4, 1)
    staff = people["nec.hub@example.nhs.uk"]
    hub = Hub.objects.get(slug="north-east-and-cumbria")
    if not OversightGroup.objects.filter(hub=hub).exists():
        group = services.group_create(
            by=staff,
            hub=hub,
            name="North East and Cumbria Collaborative Commissioning Oversight Group",
            kind=OversightGroup.Kind.OVERSIGHT_GROUP,
            start_date=start,
            purpose="Sets local priorities for specialised services across the North East and "
            "Cumbria, agrees the priorities plan and monitors its delivery, and recommends "
            "service changes to the NHS England North regional team.",
        )
        group = services.group_update(
            by=staff, group=group, version=group.version, status=OversightGroup.Status.ACTIVE
        )
        footprint = selectors.footprint_on(group, group.footprint_day)  # 2015/16's CCGs
        services.ccgs_invite(by=staff, group=group, ccgs=footprint)
        members = ["00P", "00L", "00C", "00D", "00J", "13T", "00M", "01H"]
        for ods in members:
            place = CCGMembership.objects.get(group=group, ccg__ods_code=ods)
            services.membership_respond(
                by=staff,
                membership=place,
                version=place.version,
                answer="accept",
                note="Confirmed at the March workshop.",
            )
        # Representation is agreed by both sides (issue 13): each request is confirmed by the
        # representative, Sunderland's demo lead for 00P, the hub's staff at the March
        # workshop for 13T (which has no demo lead).
        sunderland_lead = people["sunderland.ccg@example.nhs.uk"]
        for ods, rep, confirmer in (("00N", "00P", sunderland_lead), ("99C", "13T", staff)):
            place = CCGMembership.objects.get(group=group, ccg__ods_code=ods)
            place = services.membership_respond(
                by=staff,
                membership=place,
                version=place.version,
                answer="represent",
                represented_by=CCG.objects.get(ods_code=rep),
            )
            services.representation_confirm(by=confirmer, membership=place, version=place.version)
        dated(group.ccgs.all(), invited_at=NEC_INVITED, responded_at=NEC_ANSWERED)
        # 00K (Hartlepool and Stockton-on-Tees) has not answered: the coverage panel shows it.
        roster = [
            ("Dr Asha Rao", "NHS England North", "nhs_england", None, "chair", True),
            (
                "Prof. Tom Bell",
                "Newcastle upon Tyne Hospitals",
                "provider",
                None,
                "observer",
                False,
            ),
            ("Dr Ruth Adams", "NHS Sunderland CCG", "ccg", "00P", "vice_chair", True),
            ("Dr Sanjay Mehta", "NHS England North", "nhs_england", None, "clinical_lead", True),
            ("Karen Holt", "NHS England North", "nhs_england", None, "finance_lead", True),
            ("Liz Turner", "Public Health England North East", "phe", None, "member", False),
            ("Joan Milburn", "Healthwatch Sunderland", "ppv", None, "member", True),
            (
                "Cllr Peter Shaw",
                "Northumberland County Council",
                "local_authority",
                None,
                "member",
                False,
            ),
            ("Ade Bello", "Cumbria CVS", "voluntary", None, "member", False),
            ("Dr Ian Ward", "NHS Northumberland CCG", "ccg", "00L", "member", True),
            ("Dr Fiona Grey", "NHS Darlington CCG", "ccg", "00C", "member", True),
            ("Dr Omar Khan", "NHS Newcastle Gateshead CCG", "ccg", "13T", "member", True),
        ]
        for name, org, sector, ods, role, voting in roster:
            services.member_add(
                by=staff,
                group=group,
                full_name=name,
                email="",
                organisation=org,
                sector=sector,
                ccg=CCG.objects.get(ods_code=ods) if ods else None,
                role=role,
                voting=voting,
                start_date=start,
                end_date=None,
            )
        services.member_add(
            by=staff,
            group=group,
            full_name="Mark Green",
            email="",
            organisation="NHS England North",
            sector="nhs_england",
            ccg=None,
            role="finance_lead",
            voting=True,
            start_date=datetime.date(2014, 10, 1),
            end_date=datetime.date(2015, 3, 31),
        )

    london_staff = people["london.hub@example.nhs.uk"]
    london = Hub.objects.get(slug="london")
    if not OversightGroup.objects.filter(hub=london).exists():
        group = services.group_create(
            by=london_staff,
            hub=london,
            name="London Specialised Commissioning Oversight Group",
            kind=OversightGroup.Kind.OVERSIGHT_GROUP,
            start_date=datetime.date(2015, 5, 1),
        )
        services.ccgs_invite(
            by=london_staff, group=group, ccgs=selectors.footprint_on(group, group.footprint_day)
        )
        for ods in ("07L", "08A", "08C", "09A"):
            place = CCGMembership.objects.filter(group=group, ccg__ods_code=ods).first()
            if place:
                services.membership_respond(
                    by=london_staff, membership=place, version=place.version, answer="accept"
                )
        dated(group.ccgs.all(), invited_at=LONDON_INVITED, responded_at=LONDON_ANSWERED)
        services.member_add(
            by=london_staff,
            group=group,
            full_name="Dr Helen Ward",
            email="",
            organisation="NHS England London",
            sector="nhs_england",
            ccg=None,
            role="chair",
            voting=True,
            start_date=datetime.date(2015, 5, 1),
            end_date=None,
        )
