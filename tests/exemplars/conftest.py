"""Helpers for the exemplar project tests (issue 16 item 4; seed 003): the North East and
North Cumbria ICS the register loads, a strategy board of it, and the cardiology exemplar."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import AuditEvent
from exemplars import services
from exemplars.models import (
    Exemplar,
    Milestone,
    Participant,
    PathwayService,
    Recommendation,
    ReportVersion,
)
from hubs.models import CCG, Hub, IntegratedCareSystem, ProgrammeOfCare
from oversight.models import OversightGroup

START = datetime.date(2018, 7, 1)
LSC_DAY = datetime.date(2018, 9, 26)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "scoping-report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def ccg(ods_code: str) -> CCG:
    return CCG.objects.get(ods_code=ods_code)


def programme(name: str) -> ProgrammeOfCare:
    return ProgrammeOfCare.objects.get(name=name)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    models = [Exemplar, PathwayService, Participant, Milestone, ReportVersion, Recommendation]
    rows = tuple(sorted(m.objects.values_list(), key=str) for m in models)
    counts = tuple(m.history.count() for m in models)
    audit = AuditEvent.objects.filter(verb__startswith="exemplar.").count()
    return rows, counts, audit


@pytest.fixture
def nenc(register) -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(short_name="NENC")


@pytest.fixture
def board(nenc, nec_hub_officer) -> OversightGroup:
    """The NENC strategy board (the hub has no other open group in the tests)."""
    return OversightGroup.objects.create(
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NENC Specialised Commissioning Strategy Board",
        kind="strategy_board",
        system=nenc,
        start_date=datetime.date(2018, 6, 1),
    )


@pytest.fixture
def cardiology(nenc, nec_hub_officer) -> Exemplar:
    """The cardiology exemplar of NENC, started by Helen on 1 July 2018."""
    return services.exemplar_create(
        by=nec_hub_officer,
        system=nenc,
        title="Cardiology pathway exemplar",
        pathway="Cardiology",
        scope="The whole cardiology pathway, specialised and non-specialised.",
        start_date=START,
    )


@pytest.fixture
def full(cardiology, nec_hub_officer) -> Exemplar:
    """The cardiology exemplar with a service of each kind, a participant, a milestone, a
    scoping report version and a recommendation awaiting a decision."""
    by = nec_hub_officer
    services.service_add(
        by=by,
        exemplar=cardiology,
        name="Adult congenital heart disease",
        specialised=True,
        programme=programme("Women and Children"),
    )
    services.service_add(
        by=by, exemplar=cardiology, name="Community heart failure service", specialised=False
    )
    services.participant_add(
        by=by,
        exemplar=cardiology,
        name="Dr Asha Patel",
        role="CCG representative for scoping",
        commissioner=ccg("00P"),
        joined_on=LSC_DAY,
    )
    services.milestone_add(
        by=by,
        exemplar=cardiology,
        title="Scoping at the Large Scale Change event, Leeds",
        due_on=LSC_DAY,
    )
    services.report_version_add(
        by=by, exemplar=cardiology, file=pdf(), change_summary="First version"
    )
    services.recommendation_make(
        by=by,
        exemplar=cardiology,
        to="joint_ccg_committee",
        text="Scope a section 13V pooled budget for the cardiology pathway.",
        made_on=datetime.date(2019, 1, 15),
    )
    return fresh(cardiology)
