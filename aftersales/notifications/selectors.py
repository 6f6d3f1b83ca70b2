"""Reading notifications: a user's own in-app messages, nobody else's (one entry per group
of repeated notices: the occurrences folded into an entry are not listed)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aftersales.notifications.models import Channel, Notification, Status


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(
        recipient_id=user.pk, channel=Channel.IN_APP, status=Status.SENT
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-occurred_at", "-id")


def unread_count(user: Any) -> int:
    return inbox(user, unread_only=True).count()
