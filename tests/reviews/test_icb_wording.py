"""Peer review in the ICB era says ICB (issue 13, part 2): the readiness checklist of a 2026/27
cycle and the reason an ICB's lead may not review their own hub; the 2015/16 wording stays."""

import datetime

import pytest

from hubs.models import Hub
from oversight import services as group_services
from oversight.models import OversightGroup
from reviews import services

pytestmark = pytest.mark.django_db


def _coverage(readiness):
    return next(c for c in readiness.checks if c.key == "coverage")


def test_readiness_names_the_cycles_own_commissioners(register):
    london = Hub.objects.get(slug="london")
    assert _coverage(services.readiness_for(london, 2026)).label == "Every footprint ICB covered"
    assert _coverage(services.readiness_for(london, 2015)).label == "Every footprint CCG covered"


def test_readiness_counts_icbs_for_a_2026_group(nec_hub_officer):
    group_services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC group 2026",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=datetime.date(2026, 4, 1),
    )
    nec = Hub.objects.get(slug="north-east-and-cumbria")
    coverage = _coverage(services.readiness_for(nec, 2026))
    assert coverage.label == "Every footprint ICB covered"
    assert coverage.detail.startswith("0 of 1 ICBs")


def test_an_icb_lead_is_conflicted_as_an_icb_lead(register, nenc_icb_lead, sunderland_lead):
    conflicts = services.conflicts_with_hub(Hub.objects.get(slug="north-east-and-cumbria"))
    assert conflicts[nenc_icb_lead.pk] == "Leads an ICB in the reviewed hub"
    assert conflicts[sunderland_lead.pk] == "Leads a CCG in the reviewed hub"
