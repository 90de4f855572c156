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
