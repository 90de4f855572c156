"""`{{ "app:name"|url_for_id:row.pk }}`: a row's link without a `reverse()` per row (a builtin;
see commissioning.links)."""

from django import template

from commissioning import links

register = template.Library()


@register.filter
def url_for_id(name: str, pk) -> str:
    return links.url_for_id(name, pk)
