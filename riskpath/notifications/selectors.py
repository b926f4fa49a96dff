"""A user's own notifications. Their titles name no one, so listing them records no audit
event; only the user themselves ever sees them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from riskpath.notifications.models import Notification


def notifications_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at")


def unread_count(user: Any) -> int:
    return notifications_for_user(user, unread_only=True).count()
