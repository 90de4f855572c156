"""The timeline pages are seen on Monday 15 June 2015, with the seed's 2015/16 calendar."""

import datetime

import pytest

from tests.timeline.pages.helpers import LONDON_TZ
from timeline import services
from timeline.models import CalendarMilestone


@pytest.fixture(autouse=True)
def today(time_machine):
    """Monday 15 June 2015: the draft plan (due 8 May) is overdue, the rest still to come."""
    time_machine.move_to(datetime.datetime(2015, 6, 15, 10, tzinfo=LONDON_TZ))
    return datetime.date(2015, 6, 15)


@pytest.fixture
def calendar(national_admin) -> dict[str, CalendarMilestone]:
    """The seed's 2015/16 calendar (made by the migration; seeded again after a flush)."""
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    return {m.title: m for m in CalendarMilestone.objects.filter(year=2015, archived=False)}
