"""The national structures' demo data (issue 17): loads on the demo people and is idempotent."""

import pytest

from national.demo import demo_national_load
from national.models import ClinicalReferenceGroup, Nomination, SeatTerm

pytestmark = pytest.mark.django_db


def test_demo_loads_once(settings):
    from demo.people import demo_data_load

    settings.DEMO_DATA_ALLOWED = True
    people = {p.email: p for p in demo_data_load()}
    demo_national_load(people)
    demo_national_load(people)
    assert ClinicalReferenceGroup.objects.count() == 5
    assert SeatTerm.objects.get().seat.crg.name == "Cardiac Services"
    assert Nomination.objects.filter(status=Nomination.Status.AWAITING).count() == 1
