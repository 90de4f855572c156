"""Date boxes take dates as people write them and say so in the same words (issue 18,
remaining item: the hints gave ISO examples while the browser's box showed mm/dd/yyyy)."""

import datetime

import pytest
from django import forms

from commissioning.dates import month_number, parse_typed_date
from commissioning.forms import DateInput, NHSForm


@pytest.mark.parametrize(
    "typed",
    [
        "1 April 2015",
        "1 april 2015",
        "1st April 2015",
        "1 Apr 2015",
        " 1  APRIL, 2015 ",
        "1/4/2015",
        "01/04/2015",
        "1.4.2015",
        "1-4-2015",
        "2015-04-01",
    ],
)
def test_a_typed_date_is_read_day_first(typed):
    assert parse_typed_date(typed) == datetime.date(2015, 4, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "April 2015",
        "31 February 2015",
        "1/13/2015",
        "1/4/15",
        "1 Aprl 2015",
        "1 Ap 2015",
        "yesterday",
        "2015-02-30",
        "1 April 2015 at 2pm",
    ],
)
def test_anything_else_is_not_a_date(typed):
    assert parse_typed_date(typed) is None


def test_a_month_is_a_number_or_its_name_shortened_never_misspelt():
    assert [month_number(m) for m in ("9", "09", "sep", "Sept", "September")] == [9] * 5
    assert [month_number(m) for m in ("0", "13", "se", "septembre", "")] == [None] * 5


class _Form(NHSForm):
    plain = forms.DateField(label="Plain", widget=DateInput)
    own = forms.DateField(
        label="Own",
        widget=DateInput,
        required=False,
        help_text="For example, 1 July 2022",
        error_messages={"invalid": "Enter a real date, for example 1 July 2022"},
    )


def test_the_box_hands_the_field_iso_whatever_form_people_type():
    form = _Form({"plain": "21 april 2015", "own": "1/7/2022"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "plain": datetime.date(2015, 4, 21),
        "own": datetime.date(2022, 7, 1),
    }


def test_the_box_shows_a_date_the_way_its_hint_writes_it():
    html = str(_Form(initial={"plain": datetime.date(2015, 4, 21)})["plain"])
    assert 'type="text"' in html
    assert 'value="21 April 2015"' in html
    assert 'autocomplete="off"' in html
    assert 'class="nhsuk-input nhsuk-input--width-20"' in html  # wide enough, not full width
    # Redisplayed after another field's error: the ISO the box handed on reads in words again.
    html = str(_Form({"plain": "21/4/2015", "own": "nonsense"})["plain"])
    assert 'value="21 April 2015"' in html


def test_a_box_without_an_example_gets_one_and_every_refusal_uses_the_same_words():
    form = _Form({"plain": "31/2/2015", "own": "2022-13-01"})
    assert form["plain"].help_text == "For example, 1 April 2015"
    assert form["own"].help_text == "For example, 1 July 2022"
    assert not form.is_valid()
    assert form.errors == {
        "plain": ["Enter a real date, for example 1 April 2015"],
        "own": ["Enter a real date, for example 1 July 2022"],
    }
    html = str(form["plain"])
    assert 'value="31/2/2015"' in html  # what was typed stays, to be corrected
