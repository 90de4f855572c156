"""The in-app inbox: unread counts (cached, so the header costs no query) and marking read."""

import logging

from django.core.cache import cache
from django.utils import timezone

from commissioning import pagecache, pagescopes

from .models import Notification

UNREAD_TTL = 300
logger = logging.getLogger(__name__)


def _key(user_id: int) -> str:
    return f"timeline:unread:{user_id}"


def unread_count(user) -> int:
    """From the cache when it answers; from the database (and nothing worse) when it does not,
    so a Redis outage never takes pages down."""
    key = _key(user.pk)
    # A page showing the count depends on the person's notifications, however it is counted.
    pagecache.depends_on(Notification._meta.db_table, person=user.pk)
    try:
        count = cache.get(key)
    except Exception:  # the cache server is down: count directly
        logger.warning("Cache unavailable for the unread count", exc_info=True)
        count = None
        key = None
    if count is None:
        count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        if key is not None:
            _quietly(cache.set, key, count, UNREAD_TTL)
    return count


def _quietly(call, *args) -> None:
    try:
        call(*args)
    except Exception:
        logger.warning("Cache unavailable", exc_info=True)


def _theirs(user_ids):
    """Notifications written in bulk for these people only: the page cache refreshes their
    pages, not everyone's (commissioning/pagedeps.py)."""
    return pagecache.scoped(Notification, pagescopes.PERSON, set(user_ids))


def forget_unread(user_ids) -> None:
    _quietly(cache.delete_many, [_key(pk) for pk in user_ids])


def notification_read(*, user, notification: Notification) -> Notification:
    """Mark one notification read (idempotent)."""
    if notification.read_at is None:
        with _theirs([notification.user_id]):
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
        notification.refresh_from_db(fields=["read_at"])
        forget_unread([user.pk])
    return notification


def notifications_read_all(*, user) -> int:
    with _theirs([user.pk]):
        count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    forget_unread([user.pk])
    return count


def notify(*, user_ids, title: str, link: str, body: str = "", essential: bool = False) -> int:
    """An inbox entry for each person, outside the reminder rules (say, a resend)."""
    with _theirs(user_ids):
        created = Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk, title=title[:250], link=link, body=body, essential=essential
                )
                for pk in user_ids
            ]
        )
    forget_unread(user_ids)
    return len(created)
