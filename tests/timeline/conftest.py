"""Fixtures of the timeline page tests. `page_day` is not autouse: the page modules ask for it
(the reminder and API tests freeze their own days)."""

import datetime
import zoneinfo

import pytest

from timeline import services
from timeline.models import CalendarMilestone

LONDON_TZ = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def page_day(time_machine):
    """Monday 15 June 2015: the draft plan (due 8 May) is overdue, the rest still to come."""
    time_machine.move_to(datetime.datetime(2015, 6, 15, 10, tzinfo=LONDON_TZ))
    return datetime.date(2015, 6, 15)


@pytest.fixture
def calendar(national_admin) -> dict[str, CalendarMilestone]:
    """The seed's 2015/16 calendar (made by the migration; seeded again after a flush)."""
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    return {m.title: m for m in CalendarMilestone.objects.filter(year=2015, archived=False)}
