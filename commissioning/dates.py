"""Dates, times and ages as people read them, in the NHS digital service manual's style
(service-manual.nhs.uk/content/numbers-measurements-dates-time): "1 April 2015" (no leading
zero, the month in full, no comma), "9:30am", "9am", "midday". Issue 13, part 8.

A wait is a count of days up to WAIT_DAYS_LIMIT and a date after it: "3 days", "60 days",
then "since 21 April 2015" rather than "4245 days".

Every function takes a date, an aware or naive datetime (shown in the current time zone,
Europe/London) or an ISO 8601 string (frozen JSON content keeps its dates as strings), and
returns "" for None or "".
"""

import datetime
import re

from django.utils import timezone

# Longer waits than this read "since <date>" (issue 13 §8: "a wait longer than 60 days").
WAIT_DAYS_LIMIT = 60

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DateLike = datetime.date | datetime.datetime | str | None


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _parse(value: DateLike) -> datetime.date | datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            if "T" in text or " " in text:
                return _local(datetime.datetime.fromisoformat(text))
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"Not an ISO 8601 date: {value!r}") from None
    if isinstance(value, datetime.datetime):
        return _local(value)
    return value


def as_date(value: DateLike) -> datetime.date | None:
    """The calendar day of `value` (a datetime's day in Europe/London)."""
    parsed = _parse(value)
    if isinstance(parsed, datetime.datetime):
        return parsed.date()
    return parsed


def nhs_date(value: DateLike, *, weekday: bool = False) -> str:
    """ "1 April 2015"; with weekday=True "Wednesday 1 April 2015"."""
    day = as_date(value)
    if day is None:
        return ""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAY_NAMES[day.weekday()]} {text}" if weekday else text


def nhs_day_month(value: DateLike) -> str:
    """ "1 April", for a date whose year the page already gives."""
    day = as_date(value)
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]}"


def nhs_time(value: datetime.datetime | datetime.time | str | None) -> str:
    """ "9:30am", "9am", "2:05pm", "midday", "midnight"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.time):
        moment = value
    else:
        parsed = _parse(value)
        if not isinstance(parsed, datetime.datetime):
            return ""
        moment = parsed.time()
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def nhs_datetime(value: DateLike, *, weekday: bool = False) -> str:
    """ "1 April 2015 at 9:30am" (a plain date prints as nhs_date)."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, datetime.datetime):
        return nhs_date(parsed, weekday=weekday)
    return f"{nhs_date(parsed, weekday=weekday)} at {nhs_time(parsed)}"


def days_between(since: DateLike, today: DateLike = None) -> int:
    """Whole days from `since` to `today` (today in Europe/London by default), never negative."""
    start = as_date(since)
    end = as_date(today) or timezone.localdate()
    if start is None:
        return 0
    return max((end - start).days, 0)


def is_long_wait(since: DateLike, today: DateLike = None) -> bool:
    """Has this waited longer than WAIT_DAYS_LIMIT days (so it reads "since <date>")?"""
    return as_date(since) is not None and days_between(since, today) > WAIT_DAYS_LIMIT


def wait_text(since: DateLike, today: DateLike = None) -> str:
    """How long something has waited: "1 day", "60 days", then "since 21 April 2015"."""
    if as_date(since) is None:
        return ""
    if is_long_wait(since, today):
        return f"since {nhs_date(since)}"
    days = days_between(since, today)
    return f"{days} day{'' if days == 1 else 's'}"


def wait_for_text(since: DateLike, today: DateLike = None) -> str:
    """The same wait after a verb: "for 3 days", then "since 21 April 2015"."""
    text = wait_text(since, today)
    return text if not text or text.startswith("since") else f"for {text}"


def financial_year_label(start_year: int) -> str:
    """2015 → "2015/16": the NHS financial year from 1 April to 31 March."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


# A date as people type it into a date box (issue 18: the boxes' hints gave ISO examples while
# the browser's own date box showed mm/dd/yyyy). Day first, as in the UK. The product adds this.
_TYPED_DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s/.-]+(?P<month>[a-z]+|\d{1,2})[\s/.-]+(?P<year>\d{4})$"
)
_TYPED_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")


def month_number(text: str) -> int | None:
    """ "4", "04", "april", "Apr" or "sept" → 4 or 9; None for anything else. A name may be
    shortened to its first three letters or more, never misspelt."""
    text = text.strip().lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    if len(text) < 3:
        return None
    return next(
        (index for index, name in enumerate(MONTHS, 1) if name.lower().startswith(text)), None
    )


def parse_typed_date(text: str) -> datetime.date | None:
    """ "1 April 2015", "1st Apr 2015", "1/4/2015", "01.04.2015", or "2015-04-01" (what a
    browser's own date box sends, and the API's form) → that date; None if it is not a real
    date. Two-digit years are refused: "1/4/15" could be 1915 or 2015."""
    text = " ".join(text.strip().lower().replace(",", " ").split())
    match = _TYPED_DAY_FIRST.match(text) or _TYPED_ISO.match(text)
    if match is None:
        return None
    month = month_number(match["month"])
    if month is None:
        return None
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None
