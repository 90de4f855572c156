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


def test_demo_has_an_open_consultation_with_responses(settings):
    """Issue 17 part 3: a consultation on a draft of the Cardiac Services specification, open
    today, answered by the West Midlands group and one of its member ICBs."""
    from django.utils import timezone

    from demo.people import demo_data_load
    from national.models import Consultation

    settings.DEMO_DATA_ALLOWED = True
    demo_data_load()
    consultation = Consultation.objects.get()
    assert consultation.crg.name == "Cardiac Services"
    assert consultation.is_open_on(timezone.localdate())
    answers = {(r.group.hub.slug, r.ccg and r.ccg.ods_code) for r in consultation.responses.all()}
    assert answers == {("west-midlands", None), ("west-midlands", "QHL")}
