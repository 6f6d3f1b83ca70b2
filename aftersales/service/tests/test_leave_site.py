"""9#5: leaving a job (离场) without a filed report needs a reason and never marks the work
order completed; the ticket waits for what is missing with its clocks paused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.core.errors import ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.service.models import TicketState, WorkOrderState
from aftersales.service.services import dispatch, lifecycle
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def test_leaving_without_a_report_needs_a_reason_and_waits_for_parts(world) -> None:  # type: ignore[no-untyped-def]
    tk = w.ticket(world)
    wo = w.on_site(world, tk)
    with pytest.raises(ValidationFailed, match="离场须选择原因"):
        dispatch.check_out(actor=world["tech"], work_order=wo)
    with pytest.raises(ValidationFailed, match="请说明缺少什么"):
        dispatch.check_out(actor=world["tech"], work_order=wo, reason="parts")
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.ON_SITE and wo.check_out_at is None
    wo = dispatch.check_out(
        actor=world["tech"], work_order=wo, reason="parts", note="需更换P3模组2块"
    )
    tk.refresh_from_db()
    assert wo.state == WorkOrderState.LEFT != WorkOrderState.DONE
    assert (wo.leave_reason, wo.leave_note) == ("parts", "需更换P3模组2块")
    assert tk.state == TicketState.WAITING_PARTS
    pause = tk.pauses.get(ended_at__isnull=True)
    assert "需更换P3模组2块" in pause.note
    event = AuditEvent.objects.get(verb="leave_unfinished", object_id=str(wo.pk))
    assert (event.from_state, event.to_state) == ("on_site", "left")


def test_work_done_report_later_keeps_the_ticket_in_progress_until_resolved(world) -> None:  # type: ignore[no-untyped-def]
    tk = w.ticket(world)
    wo = w.on_site(world, tk)
    wo = dispatch.check_out(actor=world["tech"], work_order=wo, reason="report_later")
    tk.refresh_from_db()
    assert wo.state == WorkOrderState.LEFT and tk.state == TicketState.IN_PROGRESS
    left_at = wo.check_out_at
    w.filed_report(world, wo)
    lifecycle.resolve(actor=world["tech"], ticket=tk)
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.DONE and wo.check_out_at == left_at


def test_with_the_report_filed_leaving_completes_the_work_order(world) -> None:  # type: ignore[no-untyped-def]
    tk = w.ticket(world)
    wo = w.on_site(world, tk)
    dispatch.start_work(actor=world["tech"], ticket=tk)
    w.filed_report(world, wo)
    wo = dispatch.check_out(actor=world["tech"], work_order=wo)
    assert wo.state == WorkOrderState.DONE and wo.leave_reason == ""


def test_the_api_takes_the_reason_and_refuses_without_it(world) -> None:  # type: ignore[no-untyped-def]
    tk = w.ticket(world)
    wo = w.on_site(world, tk)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world['tech'])[1]}")
    url = f"/api/v1/work-orders/{wo.pk}/check-out"
    resp = api.post(url, content_type="application/json")  # no body, as before 9#5
    assert resp.status_code == 422 and resp.json()["code"] == "leave_reason_required"
    body = {"reason": "customer", "note": "客户下午不在，改约明天"}
    resp = api.post(url, body, content_type="application/json")
    assert resp.status_code == 200
    assert (resp.json()["state"], resp.json()["leave_reason"]) == ("left", "customer")
    tk.refresh_from_db()
    assert tk.state == TicketState.WAITING_CUSTOMER
