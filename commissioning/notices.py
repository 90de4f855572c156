"""Notices to people of something that happened (a new comment on an idea they follow), through
the inbox and by email as each person's notification settings say: at once, in the daily
digest, or in the inbox only when they mute what is not essential.

The timeline app, which keeps the inbox, the settings and the reminder rules, registers the
deliverer at start-up (`timeline.apps`); apps below it in the layers call `notice`. Each notice
has a key: the same key to the same person is delivered once, however often it is given."""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

Deliverer = Callable[..., int]
_deliverer: list[Deliverer] = []


def register(deliverer: Deliverer) -> None:
    _deliverer[:] = [deliverer]


def notice(*, key: str, user_ids: Iterable[int], subject: str, link: str, on: datetime.date) -> int:
    """Deliver one notice to each person about what happened on day `on`; returns how many were
    new (not delivered before)."""
    if not _deliverer:
        raise ImproperlyConfigured("No notice deliverer is registered (the timeline app).")
    return _deliverer[0](key=key, user_ids=list(user_ids), subject=subject, link=link, on=on)
