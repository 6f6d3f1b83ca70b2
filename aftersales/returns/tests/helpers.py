"""Scenario steps shared by the returns tests (each a real service call)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals.services import engine
from aftersales.approvals.testing import day
from aftersales.parts.tests.helpers import pending_task
from aftersales.returns.models import ReturnRequest
from aftersales.returns.services import applications, handling


def apply(w: Any, *, actor: Any = None, now: dt.datetime | None = None, **kw: Any) -> ReturnRequest:
    data = applications.ReturnInput(
        reason=kw.pop("reason", "模组批量死灯"),
        customer_id=kw.pop("customer_id", w.cust_a.id),
        lines=kw.pop(
            "lines",
            [applications.LineInput(part_code="PSU-5V", quantity=3, serial_no="L2026-11")],
        ),
        **kw,
    )
    return applications.apply(actor=actor or w.coordinator, data=data, now=now or day(0))


def approve(w: Any, ret: ReturnRequest, *, now: dt.datetime | None = None) -> ReturnRequest:
    at = now or day(0)
    applications.submit(actor=w.coordinator, ret=ret, department_ids=[w.sales.id], now=at)
    engine.decide(
        actor=w.sales_rep, task=pending_task(ret), decision="approve", comment="同意", now=at
    )
    engine.decide(actor=w.qd, task=pending_task(ret), decision="approve", now=at)
    ret.refresh_from_db()
    return ret


def receipt(ret: ReturnRequest, **kw: Any) -> handling.ReceiptInput:
    values: dict[str, Any] = {
        "counts": {ln.pk: ln.quantity for ln in ret.lines.all()},
        "packaging": "intact",
        "deliverer_name": "物流张师傅",
        "deliverer_signed": True,
    }
    values.update(kw)
    return handling.ReceiptInput(**values)


def to_decided(w: Any, *, outcome: str = "exchange") -> ReturnRequest:
    ret = approve(w, apply(w))
    applications.attempt(
        actor=w.coordinator,
        ret=ret,
        method="parts",
        accepted=False,
        note="客户不接受补件",
        now=day(0),
    )
    handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret), now=day(1))
    handling.inspect(
        actor=w.coordinator, ret=ret, result="电源批次缺陷", defect_confirmed=True, now=day(2)
    )
    handling.decide(actor=w.qd, ret=ret, outcome=outcome, note="同意", now=day(2))
    ret.refresh_from_db()
    return ret


def to_record_sent(
    w: Any, *, outcome: str = "exchange", sent: dt.datetime | None = None
) -> ReturnRequest:
    ret = to_decided(w, outcome=outcome)
    handling.send_record(actor=w.coordinator, ret=ret, now=sent or day(3))
    ret.refresh_from_db()
    return ret
