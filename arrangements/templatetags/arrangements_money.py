from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """£1,250,000 (whole pounds); empty for nothing."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.0f}"
