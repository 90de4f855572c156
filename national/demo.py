"""Demo data for the national structures (issue 17 parts 1 and 2): a few Clinical Reference
Groups with real CRG names (the product ships no list of its own), leadership seats on two
Programme of Care boards (one seat left vacant), the Cardiac Services CRG's North seat filled
through a nomination made at the North East and Cumbria group's held meeting, and one
nomination awaiting the national team's decision. Idempotent: it does nothing once the
Cardiac Services CRG exists. The people named are fictional."""

import datetime

from accounts.models import User
from hubs.models import CCG, ProgrammeOfCare
from meetings.models import Meeting

from . import services
from .models import ClinicalReferenceGroup, LeadershipSeat

CRGS = [
    ("Cardiac Services", "Internal Medicine", "Dr Helen Ashworth"),
    ("Renal Services", "Internal Medicine", "Dr Martin Okafor"),
    ("Neurosciences", "Trauma", "Mr James Whitfield"),
    ("Specialised Cancer", "Cancer", ""),
    ("Paediatric Intensive Care", "Women and Children", "Dr Fiona Grant"),
]
BOARD = [
    (
        "Internal Medicine",
        LeadershipSeat.CHAIR,
        "Margaret Holt",
        "NHS England North (Regional Commissioner for Specialised Services)",
    ),
    (
        "Internal Medicine",
        LeadershipSeat.CLINICAL_VICE_CHAIR,
        "Dr Rajesh Menon",
        "Consultant nephrologist",
    ),
    (
        "Trauma",
        LeadershipSeat.CHAIR,
        "Andrew Collins",
        "NHS England South (Regional Commissioner for Specialised Services)",
    ),
]
APRIL_2015 = datetime.date(2015, 4, 1)


def demo_national_load(people: dict[str, User]) -> None:
    if ClinicalReferenceGroup.objects.filter(name="Cardiac Services").exists():
        return
    admin = people["national.admin@example.nhs.uk"]
    staff = people["nec.hub@example.nhs.uk"]
    programmes = {p.name: p for p in ProgrammeOfCare.objects.all()}
    crgs = {
        name: services.crg_create(
            by=admin, name=name, programme=programmes[poc], chair=chair, with_seats=True
        )
        for name, poc, chair in CRGS
    }
    for poc, seat, name, organisation in BOARD:
        services.holding_add(
            by=admin,
            programme=programmes[poc],
            seat=seat,
            name=name,
            organisation=organisation,
            start_date=APRIL_2015,
        )
    services.document_add(
        by=admin,
        crg=crgs["Cardiac Services"],
        title="Adult cardiac surgery service specification",
        kind="specification",
        url="https://www.england.nhs.uk/commissioning/spec-services/npc-crg/group-a/",
    )
    meeting = (
        Meeting.objects.filter(
            group__hub__slug="north-east-and-cumbria", status=Meeting.Status.HELD
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return
    term = {"term_start": datetime.date(2015, 7, 1), "term_end": datetime.date(2018, 6, 30)}
    cardiac = crgs["Cardiac Services"].seats.get(region__slug="north")
    accepted = services.nomination_create(
        by=staff,
        seat=cardiac,
        meeting=meeting,
        nominee_name="Dr Sarah Milburn",
        ccg=CCG.objects.get(ods_code="00P"),
        email="sarah.milburn@example.nhs.uk",
        job_title="GP and clinical lead for cardiology",
        **term,
    )
    services.nomination_accept(by=admin, nomination=accepted, version=accepted.version)
    services.nomination_create(
        by=staff,
        seat=crgs["Renal Services"].seats.get(region__slug="north"),
        meeting=meeting,
        nominee_name="Dr Peter Lowes",
        ccg=CCG.objects.get(ods_code="00L"),
        email="peter.lowes@example.nhs.uk",
        job_title="GP with a special interest in renal care",
        **term,
    )
