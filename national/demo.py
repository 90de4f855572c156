"""Demo data for the national structures (issue 17 parts 1 and 2): a few Clinical Reference
Groups with real CRG names (the product ships no list of its own), leadership seats on two
Programme of Care boards (one seat left vacant), the Cardiac Services CRG's North seat filled
through a nomination made at the North East and Cumbria group's held meeting, one
nomination awaiting the national team's decision, and an open consultation on a draft of the
Cardiac Services specification with two responses (part 3). Idempotent: it does nothing once the
Cardiac Services CRG exists. The people named are fictional."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from hubs.models import CCG, ProgrammeOfCare
from meetings.models import Meeting
from oversight.models import OversightGroup

from . import consultations, services
from .models import ClinicalReferenceGroup, CRGDocument, LeadershipSeat

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
    specification = services.document_add(
        by=admin,
        crg=crgs["Cardiac Services"],
        title="Adult cardiac surgery service specification",
        kind="specification",
        url="https://www.england.nhs.uk/commissioning/spec-services/npc-crg/group-a/",
    )
    demo_consultation_load(people, specification)
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


DRAFT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demo_consultation_load(people: dict[str, User], specification: CRGDocument) -> None:
    """Issue 17 part 3: the Cardiac Services CRG consults on a draft of its specification,
    open for four weeks from today; the West Midlands group and Birmingham and Solihull ICB
    (a member) have responded, the other groups not yet."""
    admin = people["national.admin@example.nhs.uk"]
    draft = services.document_version_add(
        by=admin,
        document=specification,
        file=SimpleUploadedFile("adult-cardiac-surgery-draft.pdf", DRAFT),
    )
    today = timezone.localdate()
    consultation = consultations.consultation_open(
        by=admin,
        document_version=draft,
        title="Adult cardiac surgery: draft specification for consultation",
        summary="The refreshed specification sets minimum volumes for surgical units, a"
        " named consultant for each patient's whole pathway, and shared care with local"
        " cardiology services for follow-up.",
        questions="1. Are the proposed minimum volumes achievable in your area?\n2. What would"
        " shared follow-up with local cardiology services need from CCGs and ICBs?\n3. Any"
        " other comments on access and equity.",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=28),
    )
    group = OversightGroup.objects.filter(
        hub__slug="west-midlands", status=OversightGroup.Status.ACTIVE
    ).first()
    if group is None:
        return
    consultations.response_submit(
        by=people["westmidlands.hub@example.nhs.uk"],
        consultation=consultation,
        group=group,
        position="support_with_changes",
        body="The group supports the draft. The minimum volumes would close one of our"
        " surgical units: we ask for a transition period of two years and for the travel"
        " times of patients from rural areas to be assessed.",
    )
    consultations.response_submit(
        by=people["birmingham.icb@example.nhs.uk"],
        consultation=consultation,
        group=group,
        ccg=CCG.objects.get(ods_code="QHL"),
        position="support",
        body="Shared follow-up suits our community cardiology service, which can take it on"
        " within its current contract.",
    )


# National service reviews of 2015/16 (issue 17 part 4; seed 000 §3.6), on the CRGs above:
# (title, Programme of Care, CRG, scope, lead, start, end, status).
REVIEWS = [
    (
        "Congenital heart disease services",
        "Internal Medicine",
        "Cardiac Services",
        "Standards and service specifications for children's and adults' congenital heart"
        " disease services, and how the surgical centres meet them.",
        "NHS England national congenital heart disease review team",
        APRIL_2015,
        datetime.date(2016, 3, 31),
        "in_progress",
    ),
    (
        "Specialised renal dialysis services",
        "Internal Medicine",
        "Renal Services",
        "Home, satellite and hospital haemodialysis capacity, and access to home therapies.",
        "Renal Services CRG with the national Internal Medicine programme team",
        datetime.date(2015, 10, 1),
        None,
        "planned",
    ),
    (
        "Radiotherapy services",
        "Cancer",
        "Specialised Cancer",
        "Radiotherapy networks, access to advanced techniques and equipment replacement.",
        "National Cancer programme of care team",
        datetime.date(2015, 10, 1),
        datetime.date(2016, 9, 30),
        "planned",
    ),
]


def demo_service_reviews_load(people: dict[str, User]) -> None:
    """The year's national reviews on the demo CRGs. Idempotent: nothing once any review
    exists, or before the CRGs do."""
    from . import service_reviews
    from .models import ServiceReview

    if ServiceReview.objects.exists():
        return
    crgs = {c.name: c for c in ClinicalReferenceGroup.objects.select_related("programme")}
    if not all(crg in crgs for _, _, crg, *_ in REVIEWS):
        return
    admin = people["national.admin@example.nhs.uk"]
    for title, poc, crg, scope, lead, start, end, status in REVIEWS:
        service_reviews.service_review_add(
            by=admin,
            year=2015,
            title=title,
            programme=ProgrammeOfCare.objects.get(name=poc),
            crg=crgs[crg],
            scope=scope,
            lead=lead,
            start_date=start,
            end_date=end,
            status=status,
        )
