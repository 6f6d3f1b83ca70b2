"""The monthly stock count (SPEC §11) on the deadline engine: each location holding stock
has this month's count deadline, due the rule's amount before the month's end, reminded and
escalated by the engine; a finished count does it (at its submission); the rule is data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.approvals.models import ApprovalTask, Deadline, DeadlineRule
from aftersales.approvals.services import deadlines, engine
from aftersales.notifications.models import Notification
from aftersales.stock.services import counts, movements
from aftersales.stock.tests.helpers import receive

pytestmark = pytest.mark.django_db


def local(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


def deadline_of(wh, month: str) -> Deadline:  # type: ignore[no-untyped-def]
    return Deadline.objects.get(object_id=wh.pk, step=f"monthly_count:{month}")


def count_all(s, wh, when: dt.datetime, diff: int = 0):  # type: ignore[no-untyped-def]
    """Open a count of ``wh`` and enter every line as booked (the first one ``diff`` off)."""
    c = counts.open_count(actor=s.keeper, warehouse_id=wh.pk, now=when)
    sheet = list(counts.sheet_lines(c))
    entries = [(ln.pk, ln.book + (diff if i == 0 else 0)) for i, ln in enumerate(sheet)]
    counts.enter(actor=s.keeper, count=c, entries=entries, now=when)
    return counts.submit(actor=s.keeper, count=c, now=when + dt.timedelta(hours=1))


def test_each_location_holding_stock_is_reminded_and_escalated_unless_counted(s) -> None:  # type: ignore[no-untyped-def]
    manager = t.user("manager", username="mgr1")
    receive(s, 5, "20.00", bin_=s.bin_a, when=local(2026, 11, 20, 9))
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.psu.pk)],
        now=local(2026, 11, 21, 9),
    )
    first = local(2026, 12, 1, 0, 10)
    assert counts.monthly_deadlines(first) == 2
    assert counts.monthly_deadlines(first + dt.timedelta(days=1)) == 0  # once a month
    # the regional store and the second van hold nothing: nothing to count
    assert set(
        Deadline.objects.filter(step="monthly_count:2026-12").values_list("object_id", flat=True)
    ) == {s.store.pk, s.van.pk}
    store, van = deadline_of(s.store, "2026-12"), deadline_of(s.van, "2026-12")
    assert store.due_at == local(2027, 1, 1) and store.remind_at == local(2026, 12, 27)
    assert store.document_number == "MAIN" and "售后总库" in store.label
    assert van.owner == s.tech
    # the store is counted (no variance) on the 10th: done at its submission
    count_all(s, s.store, local(2026, 12, 10, 9))
    store.refresh_from_db()
    assert store.done_at == local(2026, 12, 10, 10) and not store.is_overdue(local(2027, 1, 2))
    deadlines.process_due(local(2026, 12, 26, 23, 59))
    assert not Notification.objects.filter(key__startswith="deadline:").exists()
    for _ in range(2):
        deadlines.process_due(local(2026, 12, 27, 8))
    reminded = Notification.objects.filter(key=f"deadline:{van.pk}:remind")
    assert reminded.filter(recipient=s.tech).count() == 1
    assert reminded.filter(recipient=s.keeper).count() == 1
    assert not Notification.objects.filter(key=f"deadline:{store.pk}:remind").exists()
    deadlines.process_due(local(2026, 12, 31, 23, 59))
    assert not Notification.objects.filter(key=f"deadline:{van.pk}:escalate").exists()
    for _ in range(2):
        deadlines.process_due(local(2027, 1, 1, 0, 1))
    escalated = Notification.objects.filter(key=f"deadline:{van.pk}:escalate")
    assert escalated.filter(recipient=manager).count() == 1
    assert escalated.filter(recipient=s.tech).count() == 1
    assert not Notification.objects.filter(key=f"deadline:{store.pk}:escalate").exists()


def test_the_rule_is_data_and_an_approved_variance_counts_at_its_submission(s) -> None:  # type: ignore[no-untyped-def]
    approver = t.user("team_leader", username="leader1")
    receive(s, 5, "20.00", bin_=s.bin_a, when=local(2026, 11, 20, 9))
    counts.monthly_deadlines(local(2026, 12, 1, 0, 10))
    assert deadline_of(s.store, "2026-12").due_at == local(2027, 1, 1)
    # counted on the 30th, a variance, approved on 2 January: December's count, in time
    found = count_all(s, s.store, local(2026, 12, 30, 9), diff=-1)
    assert found.state == "submitted"
    assert deadline_of(s.store, "2026-12").done_at is None  # not before the approval
    task = ApprovalTask.objects.get(request__object_id=found.pk, state="pending")
    engine.decide(actor=approver, task=task, decision="approve", now=local(2027, 1, 2, 9))
    d = deadline_of(s.store, "2026-12")
    assert d.done_at == local(2026, 12, 30, 10) and not d.is_overdue(local(2027, 1, 5))
    # the administrator makes the count due three days before the month's end, reminded a
    # day before that: January's deadline follows the edit
    rule = DeadlineRule.objects.get(code="stock.monthly_count")
    rule.amount, rule.remind_before_minutes = Decimal(3), 24 * 60
    rule.save()
    counts.monthly_deadlines(local(2027, 1, 3, 0, 10))
    jan = deadline_of(s.store, "2027-01")
    assert jan.due_at == local(2027, 1, 29) and jan.remind_at == local(2027, 1, 28)
    assert jan.done_at is None  # December's count does not do January's


def test_an_emptied_location_has_nothing_to_count_and_an_early_count_is_kept(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 2, "20.00", bin_=s.bin_a, when=local(2026, 11, 20, 9))
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.psu.pk)],
        now=local(2026, 11, 21, 9),
    )
    # the van is counted on 1 December before the daily job has run: its deadline is born done
    count_all(s, s.van, local(2026, 12, 1, 0, 1))
    counts.monthly_deadlines(local(2026, 12, 1, 0, 10))
    assert deadline_of(s.van, "2026-12").done_at == local(2026, 12, 1, 1, 1)
    # the store gives its last unit away: its open deadline is cancelled, never escalated
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.psu.pk)],
        now=local(2026, 12, 5, 9),
    )
    counts.monthly_deadlines(local(2026, 12, 6, 0, 10))
    d = deadline_of(s.store, "2026-12")
    assert d.cancelled_at is not None
    deadlines.process_due(local(2027, 1, 2))
    assert not Notification.objects.filter(key=f"deadline:{d.pk}:escalate").exists()
    # stock comes back: the month's count is due again
    receive(s, 1, "20.00", bin_=s.bin_a, when=local(2026, 12, 10, 9))
    assert counts.monthly_deadlines(local(2026, 12, 11, 0, 10)) == 1
    d.refresh_from_db()
    assert d.is_open and d.due_at == local(2027, 1, 1)


def test_the_count_list_shows_this_months_deadlines_as_the_user_sees_them(s) -> None:  # type: ignore[no-untyped-def]
    import re

    from django.test import Client

    receive(s, 2, "20.00", bin_=s.bin_a, when=local(2026, 11, 20, 9))
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.psu.pk)],
        now=local(2026, 11, 21, 9),
    )
    now = timezone.now()
    counts.monthly_deadlines(now)
    count_all(s, s.store, now)

    def shown(user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        c = Client()
        c.force_login(user)
        html = c.get("/stock/counts/").content.decode()
        return re.findall(
            r'data-testid="month-count" data-warehouse="([^"]*)" data-status="([^"]*)"', html
        )

    assert shown(s.keeper) == [("VAN-1", "open"), ("MAIN", "done")]
    assert shown(s.tech) == [("VAN-1", "open")]  # his van only
    assert shown(s.tech2) == []
