"""Chart geometry for the plan's PDF template, which has only the frozen content to go on."""

from django import template

from priorities import charts

register = template.Library()


@register.simple_tag
def savings_chart(delivery) -> dict:
    """`{% savings_chart content.delivery as chart %}`: bars for QIPP target and realised."""
    return charts.savings_chart(delivery or [])
