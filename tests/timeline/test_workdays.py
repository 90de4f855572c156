"""Working days in England: weekdays less England and Wales bank holidays, from the package's
bundled data (never fetched)."""

import datetime
from unittest import mock

import pytest

from timeline import workdays
from timeline.workdays import WorkingDays, is_working_day

D = datetime.date


@pytest.fixture
def wd() -> WorkingDays:
    return WorkingDays(D(2015, 1, 1), D(2016, 12, 31))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2015, 4, 2), True),  # Maundy Thursday
        (D(2015, 4, 3), False),  # Good Friday
        (D(2015, 4, 6), False),  # Easter Monday
        (D(2015, 4, 7), True),
        (D(2015, 5, 4), False),  # Early May bank holiday
        (D(2015, 5, 25), False),  # Spring bank holiday
        (D(2015, 8, 31), False),  # Summer bank holiday
        (D(2015, 12, 24), True),
        (D(2015, 12, 25), False),  # Christmas Day, a Friday
        (D(2015, 12, 26), False),  # Boxing Day, a Saturday...
        (D(2015, 12, 28), False),  # ...so the Monday is the substitute
        (D(2015, 12, 29), True),
        (D(2016, 1, 1), False),  # New Year's Day
        (D(2016, 1, 4), True),
        (D(2015, 1, 2), True),  # a Scottish bank holiday, not England's
        (D(2015, 3, 17), True),  # St Patrick's Day: Northern Ireland's, not England's
        (D(2015, 8, 3), True),  # Scotland's summer bank holiday
        (D(2015, 5, 9), False),  # a Saturday
        (D(2015, 5, 10), False),  # a Sunday
    ],
)
def test_working_days_follow_englands_bank_holidays(day, working):
    assert is_working_day(day) is working


def test_2015_has_253_working_days_in_england(wd):
    in_2015 = [d for d in wd.days if d.year == 2015]
    assert len(in_2015) == 253  # 261 weekdays less 8 bank holidays


def test_easter_2015_is_skipped_both_ways(wd):
    assert wd.after(D(2015, 4, 2), 1) == D(2015, 4, 7)
    assert wd.before(D(2015, 4, 7), 1) == D(2015, 4, 2)
    assert wd.between(D(2015, 4, 2), D(2015, 4, 7)) == 1
    # Ten working days before Friday 17 April reach back over the long weekend.
    assert wd.before(D(2015, 4, 17), 10) == D(2015, 4, 1)
    assert wd.on_or_before(D(2015, 4, 6)) == D(2015, 4, 2)


def test_christmas_2015_with_the_boxing_day_substitute(wd):
    assert wd.after(D(2015, 12, 24), 1) == D(2015, 12, 29)
    assert wd.after(D(2015, 12, 24), 3) == D(2015, 12, 31)
    assert wd.after(D(2015, 12, 24), 4) == D(2016, 1, 4)  # New Year's Day skipped too
    assert wd.before(D(2016, 1, 5), 3) == D(2015, 12, 30)
    assert wd.before(D(2016, 1, 5), 10) == D(2015, 12, 17)
    assert wd.between(D(2015, 12, 24), D(2016, 1, 4)) == 4
    assert wd.on_or_before(D(2015, 12, 28)) == D(2015, 12, 24)


def test_the_may_bank_holidays_2015(wd):
    # Due Friday 8 May: 4 May is a holiday, so "10 working days before" is Thursday 23 April
    # (24 April if the holiday were forgotten); "3 before" is Tuesday 5 May.
    assert wd.before(D(2015, 5, 8), 10) == D(2015, 4, 23)
    assert wd.before(D(2015, 5, 8), 3) == D(2015, 5, 5)
    assert wd.after(D(2015, 5, 8), 5) == D(2015, 5, 15)
    assert wd.after(D(2015, 5, 8), 10) == D(2015, 5, 22)
    assert wd.after(D(2015, 5, 8), 15) == D(2015, 6, 1)  # over the Spring bank holiday
    assert wd.between(D(2015, 5, 1), D(2015, 5, 5)) == 1


def test_counting_from_a_day_off(wd):
    saturday, sunday = D(2015, 4, 4), D(2015, 4, 5)
    assert wd.index(saturday) == wd.index(sunday) == wd.index(D(2015, 4, 2))
    assert wd.before(saturday, 1) == D(2015, 4, 2)
    assert wd.after(saturday, 1) == D(2015, 4, 7)
    assert wd.between(D(2015, 4, 7), D(2015, 4, 2)) == 0  # end before start


def test_bank_holidays_come_from_the_bundled_data_without_a_network():
    workdays._bank_holidays.cache_clear()
    try:
        with mock.patch("requests.get", side_effect=AssertionError("fetched GOV.UK")) as get:
            assert not is_working_day(D(2015, 12, 28))
        get.assert_not_called()
    finally:
        workdays._bank_holidays.cache_clear()
