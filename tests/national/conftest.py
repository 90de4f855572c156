"""Fixtures for the national structures tests (issue 17 parts 1 and 2): a CRG with its four
seats, the NEC and London oversight groups each with a held meeting."""

import datetime

import pytest

from commissioning.models import AuditEvent
from hubs.models import CCG, ProgrammeOfCare
from meetings import services as meeting_services
from meetings.models import Meeting
from national import services
from national.models import (
    BoardHolding,
    ClinicalReferenceGroup,
    CRGDocument,
    CRGSeat,
    Nomination,
    SeatTerm,
)
from tests.factories import make_group

APRIL_2016 = datetime.date(2016, 4, 1)
MARCH_2019 = datetime.date(2019, 3, 31)
WHEN = datetime.datetime(2015, 4, 21, 14, 0, tzinfo=datetime.UTC)


def programme(name: str = "Internal Medicine") -> ProgrammeOfCare:
    return ProgrammeOfCare.objects.get(name=name)


def ccg(ods_code: str) -> CCG:
    return CCG.objects.get(ods_code=ods_code)


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(BoardHolding.objects.values_list(), key=str),
        sorted(ClinicalReferenceGroup.objects.values_list(), key=str),
        sorted(CRGSeat.objects.values_list(), key=str),
        sorted(CRGDocument.objects.values_list(), key=str),
        sorted(Nomination.objects.values_list(), key=str),
        sorted(SeatTerm.objects.values_list(), key=str),
        AuditEvent.objects.filter(verb__startswith="national.").count(),
    )


def held_meeting(group, by, when=WHEN) -> Meeting:
    meeting = meeting_services.meeting_schedule(
        by=by,
        group=group,
        title="Oversight group meeting",
        starts_at=when,
        location="",
        online=True,
    )
    return meeting_services.meeting_update(
        by=by, meeting=meeting, version=meeting.version, status=Meeting.Status.HELD
    )


@pytest.fixture
def crg(national_admin) -> ClinicalReferenceGroup:
    return services.crg_create(
        by=national_admin,
        name="Cardiac Services",
        programme=programme(),
        chair="Dr Anne Hart",
        with_seats=True,
    )


@pytest.fixture
def north_seat(crg) -> CRGSeat:
    return crg.seats.get(region__slug="north")


@pytest.fixture
def nec_group(nec_hub_officer):
    return make_group(by=nec_hub_officer)


@pytest.fixture
def nec_meeting(nec_group, nec_hub_officer) -> Meeting:
    return held_meeting(nec_group, nec_hub_officer)


@pytest.fixture
def london_group(london_hub_officer):
    return make_group(by=london_hub_officer, hub="london", name="London Oversight Group")


@pytest.fixture
def london_meeting(london_group, london_hub_officer) -> Meeting:
    return held_meeting(london_group, london_hub_officer)


def nominate(seat, meeting, by, **changes) -> Nomination:
    data = {
        "nominee_name": "Dr Priya Nair",
        "ccg": ccg("00P"),
        "email": "priya.nair@example.nhs.uk",
        "job_title": "GP clinical lead",
        "term_start": APRIL_2016,
        "term_end": MARCH_2019,
    }
    data.update(changes)
    return services.nomination_create(by=by, seat=seat, meeting=meeting, **data)


@pytest.fixture
def nomination(north_seat, nec_meeting, nec_hub_officer) -> Nomination:
    return nominate(north_seat, nec_meeting, nec_hub_officer)
