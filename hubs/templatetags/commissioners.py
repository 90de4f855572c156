"""What local commissioners were called on a date: `{{ day|commissioner }}` gives "CCG" before
1 July 2022 and "ICB" from then; `{{ day|commissioners }}` the plural."""

import datetime

from django import template

from hubs.models import commissioner_label

register = template.Library()


@register.filter
def commissioner(day: datetime.date) -> str:
    return commissioner_label(day)


@register.filter
def commissioners(day: datetime.date) -> str:
    return commissioner_label(day, plural=True)


@register.filter
def commissioner_full(day: datetime.date) -> str:
    """ "Clinical Commissioning Group" or "Integrated Care Board" (add `|pluralize` after)."""
    return (
        "Integrated Care Board"
        if commissioner_label(day) == "ICB"
        else "Clinical Commissioning Group"
    )
