"""Template filters for money and counts in the NHS style (service-manual.nhs.uk/content/
numbers-measurements-dates-time: "use commas for numbers over 999"): "£250,000", "1,250".
A builtin library (settings.TEMPLATES), like nhs_dates, so pages and PDFs use them without
`{% load %}` (issue 18, finding 8):

    {{ proposal.qipp_savings|money }}   £250,000   (pence only when there are any: £12.50)
    {{ count|number }}                  1,250

Values from frozen JSON content may be strings ("250000"); text that is not a number prints
as it is, and None or "" as nothing.
"""

from django import template

from commissioning import numbers

register = template.Library()


@register.filter
def money(value) -> str:
    return numbers.money(value)


@register.filter
def number(value) -> str:
    return numbers.number(value)
