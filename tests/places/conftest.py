"""Helpers for the integrated care systems tests (issue 16 part 1): a system of the tests' own,
beside the North East and North Cumbria ICS the register loads."""

import datetime

import pytest

from commissioning.models import AuditEvent
from hubs.models import CCG, Hub, IntegratedCareSystem, Place, SystemMember
from places import services

APRIL_2018 = datetime.date(2018, 4, 1)
APRIL_2019 = datetime.date(2019, 4, 1)
APRIL_2020 = datetime.date(2020, 4, 1)
JULY_2022 = datetime.date(2022, 7, 1)


def ccg(ods_code: str) -> CCG:
    return CCG.objects.get(ods_code=ods_code)


def audited(verb: str, target=None):
    """The audit events `places.<verb>` (about `target`, when named)."""
    events = AuditEvent.objects.filter(verb=f"places.{verb}")
    if target is not None:
        events = events.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return events


def fresh(obj):
    obj.refresh_from_db()
    return obj


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(
            IntegratedCareSystem.objects.values_list(
                "pk", "name", "short_name", "kind", "hub_id", "valid_from", "valid_to", "version"
            )
        ),
        sorted(
            SystemMember.objects.values_list(
                "pk", "system_id", "place_id", "commissioner_id", "valid_from", "valid_to"
            ),
            key=str,
        ),
        sorted(
            Place.objects.values_list("pk", "system_id", "name", "valid_from", "valid_to"), key=str
        ),
        IntegratedCareSystem.history.count(),
        Place.history.count(),
        SystemMember.history.count(),
        AuditEvent.objects.filter(verb__startswith="places.").count(),
    )


@pytest.fixture
def nenc(register) -> IntegratedCareSystem:
    """The North East and North Cumbria ICS, as loaded from hubs/data/ics_places.csv."""
    return IntegratedCareSystem.objects.get(short_name="NENC")


@pytest.fixture
def lancashire(national_admin) -> IntegratedCareSystem:
    """An STP of the tests' own (in the North West hub, from April 2018), added by Nadia."""
    return services.system_create(
        by=national_admin,
        name="Healthier Lancashire and South Cumbria",
        short_name="LSC",
        kind="stp",
        hub=Hub.objects.get(slug="north-west"),
        valid_from=APRIL_2018,
    )
