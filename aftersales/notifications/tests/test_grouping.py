"""Repeated notices of one kind about one record are one unread inbox entry with a count;
every occurrence stays recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.notifications import selectors, services
from aftersales.notifications.models import Channel, Notification, Status
from aftersales.notifications.services import notify

pytestmark = pytest.mark.django_db


def warn(user, ticket: int, n: int, metric: str = "response") -> None:  # type: ignore[no-untyped-def]
    notify(
        key=f"ticket:{ticket}:sla:{metric}:warn:{n}",
        recipients=[user],
        subject=f"【SLA预警】BX-{ticket} 第 {n} 次",
        body=f"第 {n} 次预警",
        link=f"/service/tickets/{ticket}/",
    )


def test_five_warnings_on_one_ticket_are_one_unread_entry(staff) -> None:  # type: ignore[no-untyped-def]
    me = staff[0]
    for n in range(1, 6):
        warn(me, 7, n, metric="response" if n % 2 else "arrival")
    entries = list(selectors.inbox(me, unread_only=True))
    assert len(entries) == 1 and selectors.unread_count(me) == 1
    entry = entries[0]
    assert entry.count == 5 and entry.kind == "sla_warning"
    assert entry.subject == "【SLA预警】BX-7 第 5 次" and entry.body == "第 5 次预警"
    assert entry.occurred_at >= entry.created_at
    # every occurrence is still a row of its own, folded into the entry
    rows = Notification.objects.filter(recipient=me, channel=Channel.IN_APP)
    assert rows.count() == 5
    assert set(entry.occurrences.values_list("key", flat=True)) == {
        f"ticket:7:sla:{m}:warn:{n}"
        for n, m in [(2, "arrival"), (3, "response"), (4, "arrival"), (5, "response")]
    }
    assert set(entry.occurrences.values_list("status", flat=True)) == {Status.GROUPED}
    # each occurrence still sent its own e-mail
    assert Notification.objects.filter(recipient=me, channel=Channel.EMAIL).count() == 5
    # the same event again is still a no-op
    warn(me, 7, 5)
    assert Notification.objects.get(pk=entry.pk).count == 5
    c = Client()
    c.force_login(me)
    page = c.get("/notifications/").content.decode()
    assert "×5" in page and "第 5 次预警" in page and "第 1 次预警" not in page


def test_other_ticket_or_other_kind_is_another_entry(staff) -> None:  # type: ignore[no-untyped-def]
    me = staff[0]
    warn(me, 7, 1)
    warn(me, 7, 2)
    warn(me, 8, 1)
    notify(key="ticket:7:sla:response:breach", recipients=[me], subject="超时", body="已超时")
    counts = sorted(selectors.inbox(me).values_list("kind", "count"))
    assert counts == [("sla_breach", 1), ("sla_warning", 1), ("sla_warning", 2)]
    assert selectors.unread_count(me) == 3
    # another recipient has his own entry
    warn(staff[1], 7, 3)
    assert selectors.inbox(staff[1]).get().count == 1


def test_after_reading_a_new_notice_is_a_new_unread_entry(staff) -> None:  # type: ignore[no-untyped-def]
    me = staff[0]
    warn(me, 7, 1)
    warn(me, 7, 2)
    entry = selectors.inbox(me).get()
    services.mark_read(actor=me, notification_id=entry.pk)
    # its folded occurrence is read with it
    assert not Notification.objects.filter(
        recipient=me, channel=Channel.IN_APP, read_at__isnull=True
    ).exists()
    warn(me, 7, 3)
    unread = selectors.inbox(me, unread_only=True).get()
    assert unread.pk != entry.pk and unread.count == 1 and unread.body == "第 3 次预警"
    assert selectors.inbox(me).count() == 2


def test_unknown_keys_are_not_grouped(staff) -> None:  # type: ignore[no-untyped-def]
    me = staff[0]
    for k in ("ev:a", "ev:b"):
        notify(key=k, recipients=[me], subject="x", body="y", channels=["in_app"])
    assert selectors.unread_count(me) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_notices_of_one_group_make_one_entry(staff) -> None:  # type: ignore[no-untyped-def]
    import threading
    import time

    from django.db import connection, transaction

    me = staff[0]
    first_written = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                warn(me, 9, 1)
                first_written.set()
                time.sleep(0.8)  # the second event arrives while this one is uncommitted
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_written.wait(5)
            with transaction.atomic():
                warn(me, 9, 2)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert not errors
    entries = list(selectors.inbox(me, unread_only=True))
    assert [e.count for e in entries] == [2]
    assert entries[0].body == "第 2 次预警"
