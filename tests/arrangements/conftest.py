"""Helpers for the formal arrangements tests (issue 16, "What to build" 3): arrangements of the
North East and North Cumbria ICS, recorded through the services as the hub officer would."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrangements import services
from arrangements.models import Agreement, Arrangement, Contribution
from commissioning.models import AuditEvent, OutboxItem
from hubs.models import CCG, IntegratedCareSystem, ProgrammeOfCare

APRIL_2019 = datetime.date(2019, 4, 1)
APRIL_2021 = datetime.date(2021, 4, 1)
JULY_2022 = datetime.date(2022, 7, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ccg(ods_code: str) -> CCG:
    return CCG.objects.get(ods_code=ods_code)


def cardiology() -> ProgrammeOfCare:
    """Cardiology sits in Internal Medicine (its scope: "circulatory system")."""
    return ProgrammeOfCare.objects.get(name="Internal Medicine")


def pdf(name: str = "agreement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fresh(obj):
    obj.refresh_from_db()
    return obj


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(
            Arrangement.objects.values_list(
                "pk",
                "title",
                "kind",
                "status",
                "legal_basis",
                "services",
                "host_id",
                "start_date",
                "end_date",
                "review_date",
                "board_id",
                "version",
            ),
            key=str,
        ),
        sorted(Arrangement.parties.through.objects.values_list("arrangement_id", "ccg_id")),
        sorted(
            Arrangement.programmes.through.objects.values_list(
                "arrangement_id", "programmeofcare_id"
            )
        ),
        sorted(
            Contribution.objects.values_list("pk", "party_id", "year", "amount", "version"),
            key=str,
        ),
        Agreement.objects.count(),
        Arrangement.history.count(),
        AuditEvent.objects.filter(verb__startswith="arrangements.").count(),
        OutboxItem.objects.count(),
    )


def pool(by, system, **overrides) -> Arrangement:
    """A cardiology pooled budget between NHS England and NHS Sunderland CCG from April 2021."""
    fields = {
        "title": "Cardiology pooled budget",
        "kind": Arrangement.Kind.POOLED_BUDGET,
        "legal_basis": Arrangement.LegalBasis.S13V,
        "parties": [ccg("00P")],
        "programmes": [cardiology()],
        "services": "Cardiac surgery; interventional cardiology (CRG A09)",
        "start_date": APRIL_2021,
    }
    fields.update(overrides)
    return services.arrangement_create(by=by, system=system, **fields)


def agreed(by, arrangement: Arrangement, **amounts) -> Arrangement:
    """Each party's first-year contribution, then agreed."""
    services.contribution_add(
        by=by,
        arrangement=arrangement,
        party=None,
        year=arrangement.first_year,
        amount=Decimal(amounts.get("nhse", 1_000_000)),
    )
    for party in arrangement.parties.all():
        services.contribution_add(
            by=by,
            arrangement=arrangement,
            party=party,
            year=arrangement.first_year,
            amount=Decimal(amounts.get(party.ods_code, 250_000)),
        )
    return services.arrangement_move(
        by=by, arrangement=arrangement, version=fresh(arrangement).version, status="agreed"
    )


@pytest.fixture
def nenc(register) -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(short_name="NENC")


@pytest.fixture
def proposed(nec_hub_officer, nenc) -> Arrangement:
    """A proposed pool with NHS Sunderland CCG (a draft: its parties only)."""
    return pool(nec_hub_officer, nenc, title="Proposed cardiology pool")


@pytest.fixture
def agreed_pool(nec_hub_officer, nenc) -> Arrangement:
    """An agreed pool with NHS Sunderland CCG: the whole system reads it."""
    return agreed(nec_hub_officer, pool(nec_hub_officer, nenc, title="Agreed cardiology pool"))
