"""Fixtures for consultations on CRG drafts (issue 17, "What to build" 3): the clock stands at
10 March 2016; the Cardiac Services CRG has an uploaded draft specification; the North East and
Cumbria group (with NHS Sunderland CCG a member) and the London group are open; a consultation
opened on 1 March closes on 31 March."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from commissioning.models import AuditEvent
from hubs.models import CCG
from national import consultations, services
from national.models import Consultation, ConsultationResponse, CRGDocumentVersion
from oversight import services as group_services
from oversight.models import CCGMembership
from tests.factories import make_user

NOW = datetime.datetime(2016, 3, 10, 10, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
OPENS = datetime.date(2016, 3, 1)
CLOSES = datetime.date(2016, 3, 31)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(Consultation.objects.values_list(), key=str),
        sorted(ConsultationResponse.objects.values_list(), key=str),
        AuditEvent.objects.filter(verb__startswith="national.consultation").count(),
    )


@pytest.fixture
def draft(crg, national_admin) -> CRGDocumentVersion:
    document = services.document_add(
        by=national_admin,
        crg=crg,
        title="Adult cardiac surgery specification",
        kind="specification",
        file=SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft"),
    )
    return document.versions.get()


def open_consultation(by, draft, **changes) -> Consultation:
    data = {
        "title": "Adult cardiac surgery: draft for consultation",
        "summary": "Minimum volumes for surgical units.",
        "questions": "Are the volumes achievable?",
        "opens_on": TODAY,
        "closes_on": CLOSES,
    }
    data.update(changes)
    return consultations.consultation_open(by=by, document_version=draft, **data)


@pytest.fixture
def consultation(draft, national_admin, clock) -> Consultation:
    clock.move_to(datetime.datetime(2016, 3, 1, 9, tzinfo=datetime.UTC), tick=False)
    made = open_consultation(national_admin, draft, opens_on=OPENS)
    clock.move_to(NOW, tick=False)
    return made


@pytest.fixture
def sunderland_member(nec_group, nec_hub_officer, sunderland_lead) -> CCGMembership:
    (place,) = group_services.ccgs_invite(
        by=nec_hub_officer, group=nec_group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    return group_services.membership_respond(
        by=sunderland_lead, membership=place, version=place.version, answer="accept"
    )


@pytest.fixture
def northumberland_lead(register):
    """Nora, lead of NHS Northumberland CCG (00L), in the NEC hub but not a member of its group."""
    return make_user(
        "nora@example.nhs.uk", "Nora Hall", (Role.CCG_LEAD, CCG.objects.get(ods_code="00L"))
    )


def group_answer(consultation, group, by, **changes) -> ConsultationResponse:
    data = {"position": "support_with_changes", "body": "We support it with changes."}
    data.update(changes)
    return consultations.response_submit(by=by, consultation=consultation, group=group, **data)
