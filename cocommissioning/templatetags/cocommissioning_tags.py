"""Co-commissioning in other apps' pages without those apps importing it: the register's CCG
page loads these (`{% load cocommissioning_tags %}`), as hubs lies below cocommissioning."""

import datetime

from django import template

from ..models import Function
from ..selectors import live_arrangement

register = template.Library()


@register.filter
def function_labels(functions) -> str:
    """The functions' names, in scope order ("Scope of delegated arrangements")."""
    return "; ".join(label for value, label in Function.choices if value in (functions or []))


@register.inclusion_tag("cocommissioning/register_ccg_section.html")
def co_commissioning_section(ccg, day: datetime.date) -> dict:
    """The CCG's co-commissioning arrangement on `day` (one query), with links to its
    co-commissioning page and register of interests. A closed CCG's is shown on its last day."""
    closed = ccg.valid_to is not None and ccg.valid_to < day
    if closed:
        day = ccg.valid_to
    return {"ccg": ccg, "day": day, "closed": closed, "arrangement": live_arrangement(ccg, day)}
