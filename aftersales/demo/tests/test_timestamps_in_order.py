"""Issue 9 #19, the third part: the demo's timestamps are in order — a ticket is received
before it is dispatched, a work order is dispatched before it is accepted, accepted before the
technician arrives, arrives before he leaves; a ticket is resolved after its visit and closed
after it is resolved; and each ticket's own history reads forwards."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command

from aftersales.core.models import AuditEvent
from aftersales.service.models import Ticket, WorkOrder

pytestmark = pytest.mark.django_db


def _chain(*stamps: object) -> bool:
    present = [s for s in stamps if s is not None]
    return all(a <= b for a, b in itertools.pairwise(present))  # type: ignore[operator]


def test_demo_timestamps_are_in_order() -> None:
    call_command("load_demo", size="small", stdout=io.StringIO())
    wrong: list[str] = []
    orders = WorkOrder.objects.select_related("ticket")
    assert orders.count() > 5  # the small demo: a visit in every stage
    for wo in orders:
        t = wo.ticket
        if not _chain(
            t.received_at, wo.dispatched_at, wo.accepted_at, wo.check_in_at, wo.check_out_at
        ):
            wrong.append(f"{wo.number}: received → dispatched → accepted → on site → left")
        if t.resolved_at and wo.check_in_at and wo.check_in_at > t.resolved_at:
            wrong.append(f"{wo.number}: on site after {t.number} was resolved")
    for t in Ticket.objects.all():
        if not _chain(t.received_at, t.resolved_at, t.closed_at):
            wrong.append(f"{t.number}: received → resolved → closed")
        stamps = list(
            AuditEvent.objects.filter(content_type__model="ticket", object_id=str(t.pk))
            .order_by("id")
            .values_list("at", flat=True)
        )
        if not _chain(*stamps):
            wrong.append(f"{t.number}: history out of order")
    assert not wrong, "\n".join(wrong[:30])
