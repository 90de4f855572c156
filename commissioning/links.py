"""Links to many rows at the cost of one `reverse()`.

A page that lists hundreds of rows, each linking to its own page, spent more of its time in
`reverse()` (and `{% url %}`) than in reading the rows (issue 20). `url_for_id(name, pk)`
reverses a URL name that takes one id once (per script prefix and URL configuration) and puts
each id into it: the same URL `reverse(name, args=[pk])` gives.

In templates (a builtin filter): `{{ "priorities:priority-delivery"|url_for_id:p.pk }}`.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "918273645546372819"  # an id no row has: stands in for the id while reversing once


@functools.lru_cache(maxsize=256)
def _around_id(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(name, args=[int(_MARK)], urlconf=urlconf)
    if url.count(_MARK) != 1:
        raise ValueError(f"{name} does not take exactly one id")
    before, _, after = url.partition(_MARK)
    return before, after


def url_for_id(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a URL name whose only argument is an integer id."""
    before, after = _around_id(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{int(pk)}{after}"
