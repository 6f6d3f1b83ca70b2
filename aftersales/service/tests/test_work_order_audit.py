"""Every state change is audited: when cancelling or resolving a ticket moves its work order
to cancelled / done, the work order gets its own audit row (issue 8, finding 13)."""

from __future__ import annotations

import pytest

from aftersales.core import audit
from aftersales.service.models import WorkOrderState
from aftersales.service.services import dispatch, lifecycle, reports
from aftersales.service.tests.test_flow_services import new_ticket
from aftersales.service.tests.test_web_technician import signature_png

pytestmark = pytest.mark.django_db


def _transitions(wo):  # type: ignore[no-untyped-def]
    return [
        (e.verb, e.from_state, e.to_state, e.actor_id)
        for e in audit.history(wo)
        if e.action == "transition"
    ]


def test_cancelling_a_ticket_audits_its_open_work_order(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    lifecycle.cancel(actor=world.coordinator, ticket=ticket, reason="客户已自行修复")
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.CANCELLED
    rows = _transitions(wo)
    assert ("cancelled_with_ticket", "accepted", "cancelled", world.coordinator.id) in rows
    event = next(e for e in audit.history(wo) if e.verb == "cancelled_with_ticket")
    assert event.reason == "客户已自行修复"


def test_resolving_a_ticket_audits_its_work_order_done(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    dispatch.check_in(actor=world.tech1, work_order=wo)
    dispatch.start_work(actor=world.tech1, ticket=ticket)
    reports.save(
        actor=world.tech1,
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="左下角模组不亮",
            cause="电源损坏",
            actions="更换电源",
            no_parts_used=True,
            customer_opinion="满意",
            responsibility="product",
        ),
    )
    reports.sign(
        actor=world.tech1, work_order=wo, signature_png=signature_png(), signed_by="王经理"
    )
    reports.submit(actor=world.tech1, work_order=wo)
    lifecycle.resolve(actor=world.tech1, ticket=ticket)
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.DONE
    assert ("done_with_ticket", "on_site", "done", world.tech1.id) in _transitions(wo)
