"""The demo's records carry their own dates, not the day `make run` loaded them (issue 18,
finding 8: "Since 4 Dec 2026 - Confirmed at the March workshop" and "drafted 4 Dec 2026"
beside "agreed 1 Apr 2015"). The services stamp every record with now(), as they must in
life; the demo tells stories of 2015 and 2018, so once a record is made through its service,
its timestamps are moved to the day the story gives them (an update, with no audit of its own:
the demo's history is the story's)."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet

LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """`day` at `hour` o'clock, London time."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def dated(records: QuerySet | Model, **stamps: datetime.date | datetime.datetime) -> None:
    """Set the timestamps `stamps` (a date is taken at 10am London time) on `records`; a
    timestamp a record does not have yet (say, no answer) is left empty."""
    rows = (
        type(records)._default_manager.filter(pk=records.pk)
        if isinstance(records, Model)
        else records
    )
    for name, when in stamps.items():
        moment = when if isinstance(when, datetime.datetime) else at(when)
        rows.filter(**{f"{name}__isnull": False}).update(**{name: moment})
