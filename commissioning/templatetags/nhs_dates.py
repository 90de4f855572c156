"""Template filters for dates in the NHS style (commissioning/dates.py). A builtin library
(settings.TEMPLATES), so every template can use them without `{% load %}`:

    {{ meeting.starts_at|nhs_datetime }}   1 April 2015 at 9:30am
    {{ plan.due_on|nhs_date }}             1 April 2015 (also ISO strings from frozen content)
    {{ meeting.starts_at|nhs_date:"day" }} Wednesday 1 April 2015
    {{ m.starts_on|nhs_day_month }}        1 April
    {{ export.requested_at|nhs_time }}     9:30am
    {{ r.made_on|wait }}                   3 days / since 21 April 2015 (over 60 days)
    waiting {{ r.made_on|wait_for }}       waiting for 3 days / waiting since 21 April 2015
    {% if r.made_on|long_wait %}           over 60 days (where the date is already shown)
"""

from django import template

from commissioning import dates

register = template.Library()


def _lenient(format_, value, *args, **kwargs) -> str:
    """A value that is not a date (free text in old frozen content) prints as it is."""
    try:
        return format_(value, *args, **kwargs)
    except (TypeError, ValueError):
        return "" if value is None else str(value)


@register.filter
def nhs_date(value, arg: str = "") -> str:
    return _lenient(dates.nhs_date, value, weekday=arg == "day")


@register.filter
def nhs_datetime(value, arg: str = "") -> str:
    return _lenient(dates.nhs_datetime, value, weekday=arg == "day")


@register.filter
def nhs_day_month(value) -> str:
    return _lenient(dates.nhs_day_month, value)


@register.filter
def nhs_time(value) -> str:
    return _lenient(dates.nhs_time, value)


@register.filter
def wait(value, today=None) -> str:
    return _lenient(dates.wait_text, value, today)


@register.filter
def wait_for(value, today=None) -> str:
    return _lenient(dates.wait_for_text, value, today)


@register.filter
def long_wait(value, today=None) -> bool:
    try:
        return dates.is_long_wait(value, today)
    except (TypeError, ValueError):
        return False
