"""Working days in England: weekdays that are not bank holidays (govuk-bank-holidays' bundled
data, never fetched: this machine and production may have no route to GOV.UK)."""

import bisect
import datetime
import functools

from govuk_bank_holidays.bank_holidays import BankHolidays


@functools.cache
def _bank_holidays() -> frozenset[datetime.date]:
    holidays = BankHolidays(use_cached_holidays=True)
    return frozenset(
        h["date"] for h in holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


@functools.cache
def _calendar(start_year: int, end_year: int) -> tuple[datetime.date, ...]:
    day, end = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
    days = []
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return tuple(days)


class WorkingDays:
    """Working-day arithmetic over a range of years, by index into the list of working days."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.days = _calendar(first.year - 1, last.year + 1)

    def on_or_before(self, day: datetime.date) -> datetime.date:
        return self.days[bisect.bisect_right(self.days, day) - 1]

    def index(self, day: datetime.date) -> int:
        """The index of the last working day on or before `day`."""
        return bisect.bisect_right(self.days, day) - 1

    def before(self, day: datetime.date, n: int) -> datetime.date:
        """`n` working days before `day` (counting back from `day` itself)."""
        i = bisect.bisect_left(self.days, day)
        return self.days[i - n]

    def after(self, day: datetime.date, n: int) -> datetime.date:
        """`n` working days after `day`."""
        return self.days[self.index(day) + n]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        return max(0, self.index(end) - self.index(start))
