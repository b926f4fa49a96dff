"""A user's own notifications. Their titles name no one, so listing them records no audit
event; only the user themselves ever sees them."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from riskpath.notifications.models import Notification


def notifications_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at")


# The navigation's count of unread notifications is kept in the cache, so that a page other
# than the home page and the notifications page costs no query for it: those two refresh it,
# a new notification adds one to it, marking read forgets it.
COUNT_CACHE_SECONDS = 600


def _key(user_id: Any) -> str:
    return f"riskpath:unread:{user_id}"


def unread_count(user: Any) -> int:
    """Count the user's unread notifications and remember the count."""
    count = notifications_for_user(user, unread_only=True).count()
    cache.set(_key(user.pk), count, COUNT_CACHE_SECONDS)
    return count


def remembered_unread_count(user: Any) -> int | None:
    """The remembered count (no query), or None when there is none."""
    found = cache.get(_key(user.pk))
    return None if found is None else int(found)


def count_one_more(user_id: Any) -> None:
    try:
        cache.incr(_key(user_id))
    except ValueError:  # none remembered: the next refresh counts
        pass


def forget_unread_count(user_id: Any) -> None:
    cache.delete(_key(user_id))
