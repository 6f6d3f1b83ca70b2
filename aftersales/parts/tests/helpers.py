"""Scenario steps shared by the parts tests (each a real service call)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals.models import ApprovalTask, TaskState
from aftersales.approvals.services import engine
from aftersales.approvals.testing import day
from aftersales.parts.models import PartsRequest
from aftersales.parts.services import requests


def file_request(
    w: Any, *, actor: Any = None, now: dt.datetime | None = None, **kw: Any
) -> PartsRequest:
    data = requests.RequestInput(
        reason=kw.pop("reason", "柜门面板运输中变形"),
        customer_id=kw.pop("customer_id", w.cust_a.id),
        lines=kw.pop("lines", [requests.LineInput(part_code="DOOR-01", quantity=2)]),
        **kw,
    )
    return requests.create(actor=actor or w.agent, data=data, now=now or day(0))


def pending_task(request: Any) -> ApprovalTask:
    return ApprovalTask.objects.get(
        request__object_id=request.pk,
        request__flow__document_type=request._meta.label_lower,
        state=TaskState.PENDING,
    )


def approved_request(w: Any, *, now: dt.datetime | None = None, **kw: Any) -> PartsRequest:
    """Filed, analysed (free), confirmed by phone, reviewed and approved."""
    start = now or day(0)
    r = file_request(w, now=start, **kw)
    requests.analyse(actor=w.agent, request=r, cause="process", now=start)
    requests.confirm(
        actor=w.agent,
        request=r,
        committed_date=(start + dt.timedelta(days=15)).date(),
        note="已电话确认，王经理签字回传",
        now=start,
    )
    requests.submit(actor=w.agent, request=r, now=start)
    engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=start)
    engine.decide(actor=w.qd, task=pending_task(r), decision="approve", now=start)
    r.refresh_from_db()
    return r
