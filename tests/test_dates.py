"""Dates and ages people can read, in the NHS style (commissioning/dates.py; issue 13 §8)."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from commissioning.dates import (
    WAIT_DAYS_LIMIT,
    is_long_wait,
    nhs_date,
    nhs_datetime,
    nhs_day_month,
    nhs_time,
    wait_for_text,
    wait_text,
)

MADE = datetime.date(2015, 4, 21)


def test_a_date_has_no_leading_zero_the_month_in_full_and_no_comma():
    assert nhs_date(datetime.date(2015, 4, 1)) == "1 April 2015"
    assert nhs_date(datetime.date(2022, 6, 30)) == "30 June 2022"
    assert nhs_date(datetime.date(2015, 4, 1), weekday=True) == "Wednesday 1 April 2015"
    assert nhs_day_month(datetime.date(2015, 3, 4)) == "4 March"


def test_an_iso_string_from_frozen_content_reads_the_same():
    assert nhs_date("2015-09-07") == "7 September 2015"
    assert nhs_date(None) == nhs_date("") == ""


def test_a_datetime_reads_in_london_time():
    # 23:30 UTC on 31 March 2016 is 00:30 on 1 April in British Summer Time.
    late = datetime.datetime(2016, 3, 31, 23, 30, tzinfo=datetime.UTC)
    assert nhs_date(late) == "1 April 2016"
    assert nhs_datetime(late) == "1 April 2016 at 12:30am"
    winter = datetime.datetime(2015, 12, 1, 14, 5, tzinfo=datetime.UTC)
    assert nhs_datetime(winter, weekday=True) == "Tuesday 1 December 2015 at 2:05pm"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(9, 30, "9:30am"), (9, 0, "9am"), (12, 0, "midday"), (0, 0, "midnight"), (17, 45, "5:45pm")],
)
def test_times_read_the_nhs_way(hour, minute, expected):
    assert nhs_time(datetime.time(hour, minute)) == expected


def test_a_wait_of_up_to_60_days_is_counted():
    assert WAIT_DAYS_LIMIT == 60
    assert wait_text(MADE, MADE) == "0 days"
    assert wait_text(MADE, MADE + datetime.timedelta(days=1)) == "1 day"
    assert wait_text(MADE, MADE + datetime.timedelta(days=3)) == "3 days"
    assert wait_text(MADE, MADE + datetime.timedelta(days=60)) == "60 days"


def test_a_wait_longer_than_60_days_reads_since_the_date():
    assert wait_text(MADE, MADE + datetime.timedelta(days=61)) == "since 21 April 2015"
    assert wait_text(MADE, datetime.date(2026, 12, 4)) == "since 21 April 2015"
    assert wait_for_text(MADE, MADE + datetime.timedelta(days=3)) == "for 3 days"
    assert wait_for_text(MADE, MADE + datetime.timedelta(days=61)) == "since 21 April 2015"
    assert not is_long_wait(MADE, MADE + datetime.timedelta(days=60))
    assert is_long_wait(MADE, MADE + datetime.timedelta(days=61))


@time_machine.travel(datetime.datetime(2015, 6, 21, 12, tzinfo=datetime.UTC), tick=False)
def test_a_wait_counts_to_today_in_london_by_default():
    assert wait_text(MADE) == "since 21 April 2015"  # 61 days
    assert wait_text(datetime.date(2015, 4, 22)) == "60 days"


def test_templates_default_to_the_nhs_date_and_have_the_filters_without_loading():
    template = Template(
        "{{ day }}|{{ day|date }}|{{ day|nhs_date }}|{{ at|nhs_datetime }}|{{ iso|nhs_date }}"
        "|{{ made|wait:today }}|{{ made|wait_for:soon }}|{{ text|nhs_date }}"
    )
    context = Context(
        {
            "day": datetime.date(2015, 4, 1),
            "at": datetime.datetime(2015, 4, 21, 13, 0, tzinfo=datetime.UTC),
            "iso": "2016-01-05",
            "made": MADE,
            "today": datetime.date(2026, 12, 4),
            "soon": datetime.date(2015, 4, 24),
            "text": "end of May",
        }
    )
    with translation.override("en-gb"):
        rendered = template.render(context)
    assert rendered.split("|") == [
        "1 April 2015",
        "1 April 2015",
        "1 April 2015",
        "21 April 2015 at 2pm",
        "5 January 2016",
        "since 21 April 2015",
        "for 3 days",
        "end of May",
    ]
