"""Races: two technicians accepting one work order; two workers over the same SLA breach."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from aftersales.core.errors import Conflict
from aftersales.service.models import SlaClock, WorkOrder
from aftersales.service.services import dispatch, intake
from aftersales.testing import run_workers

pytestmark = pytest.mark.django_db(transaction=True)


def make_ticket(w, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("equipment_id", w.equipment.id)
    return intake.ticket_create(
        actor=w.agent,
        data=intake.TicketInput(
            description="黑屏",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            **kw,
        ),
    )


def test_two_technicians_accept_same_work_order_exactly_one_wins(world) -> None:  # type: ignore[no-untyped-def]
    ticket = make_ticket(world)
    wo = dispatch.dispatch(
        actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id, world.tech2.id]
    )
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def grab(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            dispatch.accept(actor=user, work_order=wo.pk)
            results[user.username] = "won"
        except Conflict as exc:
            results[user.username] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=grab, args=(u,)) for u in (world.tech1, world.tech2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sorted(results.values()).count("won") == 1
    assert "工单已被其他工程师接单" in results.values()
    wo.refresh_from_db()
    assert wo.state == "accepted" and wo.technician is not None
    assert WorkOrder.objects.filter(ticket=ticket).count() == 1


def test_two_workers_over_the_same_breach_send_one_notification(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.notifications.models import Notification

    received = timezone.now() - dt.timedelta(minutes=40)
    ticket = make_ticket(world, severity="urgent", received_at=received)
    # the clock checks are due: enqueue the same check job twice, as a retry would
    from aftersales.service.tasks import sla_check

    sla_check.defer(ticket_id=ticket.pk)
    sla_check.defer(ticket_id=ticket.pk)
    run_workers(2, queues="sla")
    key = f"ticket:{ticket.pk}:sla:response:breach"
    assert (
        Notification.objects.filter(key=key).count()
        == Notification.objects.filter(key=key)
        .values("recipient_key", "channel")
        .distinct()
        .count()
    )
    coordinators_told = Notification.objects.filter(
        key=key, recipient=world.coordinator, channel="in_app"
    )
    assert coordinators_told.count() == 1
    clock = SlaClock.objects.get(ticket=ticket, metric="response")
    assert clock.breach_notified_at is not None


def test_concurrent_registrations_get_unique_numbers_and_bad_input_takes_none(world) -> None:  # type: ignore[no-untyped-def]
    """Outside a transaction the number is taken in its own short transaction (ADR 0005):
    registrations don't queue on the day's counter, numbers stay unique, and input refused
    by the checks never consumes one."""
    from aftersales.core.errors import NotFound

    with pytest.raises(NotFound):
        make_ticket(world, equipment_id=10**9)
    barrier = threading.Barrier(4)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def register() -> None:
        try:
            barrier.wait()
            numbers.append(
                make_ticket(world, allow_duplicate=True, different_fault_reason="另一处故障").number
            )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert failures == []
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == [1, 2, 3, 4]


def test_failure_after_the_checks_writes_nothing_but_the_number(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from aftersales.core.models import AuditEvent
    from aftersales.service.models import Ticket
    from aftersales.service.services import clocks

    def broken(ticket):  # type: ignore[no-untyped-def]
        raise RuntimeError("数据库故障")

    monkeypatch.setattr(clocks, "start_clocks", broken)
    with pytest.raises(RuntimeError):
        make_ticket(world)
    assert not Ticket.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="ticket").exists()
    monkeypatch.undo()
    # the failed registration's number is a gap; the next one is unique and later
    assert make_ticket(world).number.endswith("-0002")
