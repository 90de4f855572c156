"""Dates, money, names and the batched insert every section uses."""

import datetime
import random
from collections import Counter
from decimal import Decimal

from .constants import BATCH, FIRST_NAMES, LAST_NAMES, UTC


class GenerateError(Exception):
    """The database is not one the generator can fill (it already holds generated data)."""


# --- small helpers ----------------------------------------------------------------------------


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    """The same day `years` later; 29 February becomes the 28th (as timeline.services)."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def third_tuesday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 14)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 1000))


def bulk(model, objs: list, counts: Counter) -> list:
    """Insert in batches, keeping the timestamps we give fields marked auto_now_add."""
    stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    for f in stamped:
        f.auto_now_add = False
    try:
        made = model.objects.bulk_create(objs, batch_size=BATCH)
    finally:
        for f in stamped:
            f.auto_now_add = True
    counts[model.__name__] += len(made)
    return made


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
