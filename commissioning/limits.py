"""Input limits (issue 14): one maximum for long free text, enforced for every write.

Every free-text `models.TextField` a person types into declares `max_length=LONG_TEXT`
(Django keeps that out of the database schema). `check_text_lengths`, connected to
`pre_save` for every model in `CommissioningConfig.ready()`, refuses a longer value with a
`RuleError` keyed by the field, so a form shows it beside the field and the API answers 400
with the field, whatever path the service took to save. `NHSForm` says the limit in each long
text field's hint and refuses it before the service is asked. Text the system writes itself
(render errors, inbox bodies) has no `max_length` and is not checked.
"""

import datetime

from django.core.validators import MaxLengthValidator
from django.db import models

from .dates import nhs_date
from .errors import RuleError

LONG_TEXT = 20_000


def too_long_message(limit: int) -> str:
    return f"Enter {limit:,} characters or fewer"


def hint(limit: int = LONG_TEXT) -> str:
    return f"Up to {limit:,} characters."


class LongTextValidator(MaxLengthValidator):
    """Django's length check with the project's wording."""

    def __init__(self, limit_value: int = LONG_TEXT):
        super().__init__(limit_value, message=too_long_message(limit_value))


def check_text_lengths(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver: a TextField longer than its max_length is refused, naming the field."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.TextField) or not field.max_length:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > field.max_length:
            raise RuleError(too_long_message(field.max_length), field=field.name)


# --- dates within a sensible range (issue 14) ---------------------------------------------------

# NHS England took on specialised commissioning on 1 April 2013, when CCGs and hubs began; no
# membership, footprint or export of this service's records can be dated before it.
EARLIEST_DAY = datetime.date(2013, 4, 1)
MEETING_YEARS_AHEAD = 5  # a meeting is planned at most this far ahead
EXPORT_YEARS_AHEAD = 1  # a footprint may be exported up to a year ahead (planned changes)


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_day(
    day: datetime.date | None,
    *,
    field: str,
    earliest: datetime.date | None = None,
    latest: datetime.date | None = None,
    too_early: str = "",
    too_late: str = "",
    error: type[RuleError] = RuleError,
) -> None:
    """Refuse a date outside [earliest, latest] with `error` (the app's RuleError) beside
    `field`."""
    if day is None:
        return
    if earliest is not None and day < earliest:
        raise error(too_early or f"Enter a date on or after {nhs_date(earliest)}", field=field)
    if latest is not None and day > latest:
        raise error(too_late or f"Enter a date on or before {nhs_date(latest)}", field=field)
