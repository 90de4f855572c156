"""Wide tables in a labelled, focusable scroll region with a visible scroll cue (issue 18, part 3).

A builtin library (settings.TEMPLATES), so every template can use it without `{% load %}`:

    {% scrolltable "Oversight groups by hub" %}
    <table class="nhsuk-table" id="glance">
      <thead>…</thead><tbody>…</tbody>
    </table>
    {% endscrolltable %}

Without a caption argument the table's own `<caption>` labels the region (the tag gives it an
id). With one, the tag owns the table's caption: it puts `<caption id=…>` (visually hidden unless
`visible=True`) first in the table, replacing any caption the table had, and labels the region
with it (`role="region"`, `aria-labelledby`). The region takes keyboard focus (`tabindex="0"`,
axe's `scrollable-region-focusable`) so a keyboard user can scroll it too. "Scroll to see more
columns" shows under the caption; static/js/app.mjs hides it when the table fits, and a CSS
shadow on the scrolling edge shows only while there is more to see. The WCAG 1.4.10 (Reflow)
exception for data tables: the page never scrolls sideways, only the region does.
This is the product's own pattern: the NHS.UK design system has no scrolling table.
"""

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

register = template.Library()

_CAPTION = re.compile(r"<caption\b[^>]*>.*?</caption>\s*", re.DOTALL | re.IGNORECASE)
_CAPTION_OPEN = re.compile(r"<caption\b(?![^>]*\bid=)[^>]*>", re.IGNORECASE)
_ID = re.compile(r'\bid="([^"]+)"')
_TABLE_OPEN = re.compile(r"<table\b[^>]*>", re.IGNORECASE)


class ScrollTableNode(template.Node):
    def __init__(self, nodelist, caption, kwargs):
        self.nodelist = nodelist
        self.caption = caption
        self.kwargs = kwargs

    def render(self, context) -> str:
        options = {key: value.resolve(context) for key, value in self.kwargs.items()}
        body = self.nodelist.render(context)
        found = None
        if self.caption is None:  # the table's own caption labels the region
            found = _CAPTION.search(body)
            if not found:
                raise template.TemplateSyntaxError("{% scrolltable %}: no caption for the table")
            caption = strip_tags(found.group(0)).strip()
        else:
            caption = str(self.caption.resolve(context))
        # Ids unique within the page, the same on every render of it
        # (the context's first layer lives for the whole page, its includes too).
        page = context.dicts[0]
        count = page["_scrolltable_count"] = page.get("_scrolltable_count", 0) + 1
        region_id = options.get("id") or f"{slugify(caption)[:40] or 'table'}-{count}"
        caption_id = f"{region_id}-caption"
        own_id = _ID.search(found.group(0).split(">", 1)[0]) if found else None
        if own_id:
            caption_id = own_id.group(1)
        elif self.caption is None:
            body = _CAPTION_OPEN.sub(
                lambda m: m.group(0)[:-1] + f' id="{caption_id}">', body, count=1
            )
        else:
            body = _CAPTION.sub("", body, count=1)
            hidden = "" if options.get("visible") else " nhsuk-u-visually-hidden"
            caption_html = format_html(
                '<caption class="nhsuk-table__caption{}" id="{}">{}</caption>',
                hidden,
                caption_id,
                caption,
            )
            body, tables = _TABLE_OPEN.subn(lambda m: m.group(0) + caption_html, body, count=1)
            if not tables:
                raise template.TemplateSyntaxError("{% scrolltable %} must hold a <table>.")
        return format_html(
            '<div class="app-scrolltable" id="{}" data-module="app-scrolltable">'
            '<p class="app-scrolltable__cue nhsuk-body-s" aria-hidden="true">'
            "Scroll to see more columns</p>"
            '<div class="app-scrolltable__region" role="region" aria-labelledby="{}" '
            'tabindex="0">{}</div></div>',
            region_id,
            caption_id,
            mark_safe(body),  # noqa: S308 -- the template's own rendered (escaped) output
        )


@register.tag
def scrolltable(parser, token):
    """`{% scrolltable ["caption"] [id="…"] [visible=True] %}<table>…</table>{% endscrolltable %}`;
    without a caption argument the table's own `<caption>` labels the region."""
    bits = token.split_contents()[1:]
    caption = None
    if bits and "=" not in bits[0]:
        caption = parser.compile_filter(bits.pop(0))
    kwargs = {}
    for bit in bits:
        key, sep, value = bit.partition("=")
        if not sep or key not in {"id", "visible"}:
            raise template.TemplateSyntaxError(f"{{% scrolltable %}}: unknown argument {bit!r}")
        kwargs[key] = parser.compile_filter(value)
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, caption, kwargs)
