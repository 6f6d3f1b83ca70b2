"""Repeated notices become one inbox entry: ``fold`` runs in the transaction that wrote the
in-app rows of one event.

A new in-app row whose recipient still has an unread entry with the same ``group_key`` (same
kind, same record — see ``kinds``) is folded into that entry: the entry takes the new text,
link and time and counts one more, and the new row stays as the record of that occurrence
(status ``grouped``, ``grouped_into`` the entry; its event key still makes the event a no-op
when reported again). A per-(recipient, group) advisory lock makes concurrent events of one
group wait for each other, so they never open two unread entries.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F

from aftersales.notifications.models import Channel, Notification, Status


def _lock(recipient_key: str, group_key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"notification-group|{recipient_key}|{group_key}"],
        )


def open_entry(row: Notification) -> Notification | None:
    """The recipient's unread entry of the row's group, other than the row itself."""
    return (
        Notification.objects.select_for_update()
        .filter(
            channel=Channel.IN_APP,
            recipient_key=row.recipient_key,
            group_key=row.group_key,
            status=Status.SENT,
            read_at__isnull=True,
        )
        .exclude(pk=row.pk)
        .order_by("-occurred_at", "-id")
        .first()
    )


def fold(created: list[Notification], *, now: dt.datetime) -> None:
    rows = [r for r in created if r.channel == Channel.IN_APP and r.group_key]
    for row in sorted(rows, key=lambda r: (r.recipient_key, r.group_key)):
        _lock(row.recipient_key, row.group_key)
        entry = open_entry(row)
        if entry is None:
            continue
        Notification.objects.filter(pk=entry.pk).update(
            count=F("count") + 1,
            subject=row.subject,
            body=row.body,
            link=row.link,
            payload=row.payload,
            occurred_at=now,
        )
        Notification.objects.filter(pk=row.pk).update(status=Status.GROUPED, grouped_into=entry)
        row.status, row.grouped_into = Status.GROUPED, entry
