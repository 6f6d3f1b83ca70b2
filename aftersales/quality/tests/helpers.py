"""Scenario steps shared by the quality tests (each a real service call)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from aftersales import testing as t
from aftersales.approvals.models import ApprovalTask, TaskState
from aftersales.approvals.services import engine
from aftersales.approvals.testing import build, day
from aftersales.quality.models import Complaint
from aftersales.quality.services import complaints


def world() -> SimpleNamespace:
    """The documents' world plus an engineer, a site and equipment of customer A."""
    w = build()
    w.engineer = t.user("technician", username="engineer1", display_name="王工")
    w.site_a = t.site(w.cust_a, name="杭州项目")
    w.model = t.product_model(code="LED-P3", name="P3室内屏")
    w.equipment_a = t.equipment(w.site_a, w.model, serial_no="SN-A-0001")
    site_b = t.site(w.cust_b, name="苏州项目")
    w.equipment_b = t.equipment(site_b, w.model, serial_no="SN-B-0001")
    return w


def register(w: Any, *, actor: Any = None, now: dt.datetime | None = None, **kw: Any) -> Complaint:
    values: dict[str, Any] = {
        "category": "quality_defect",
        "description": "屏体大面积死灯",
        "channel": "phone",
        "customer_id": w.cust_a.id,
        "contact_name": "李经理",
        "contact_phone": "13800000001",
        "demand": "更换模组",
    }
    values.update(kw)
    return complaints.register(
        actor=actor or w.agent, data=complaints.ComplaintInput(**values), now=now or day(0)
    )


def investigate(
    w: Any, c: Complaint, severity: str = "minor", *, now: dt.datetime | None = None, **kw: Any
) -> Complaint:
    values: dict[str, Any] = {
        "cause": "电源模块批次虚焊",
        "severity": severity,
        "responsible_department_id": w.tech.id,
        "production_batch": "B2026-11",
        "production_line": "SMT-2",
        "production_people": "张三、李四",
        "production_date": "2026-10-08",
    }
    values.update(kw)
    return complaints.investigate(
        actor=w.qd,
        complaint=c,
        data=complaints.InvestigationInput(**values),
        now=now or day(0.5),
    )


def handling_form(w: Any, c: Complaint, *, now: dt.datetime | None = None) -> Complaint:
    return complaints.submit_handling(
        actor=w.coordinator,
        complaint=c,
        measures_production="加强焊接工序首件检验",
        measures_technical="更换电源供应商批次",
        solution="免费更换全部同批次电源并延保一年",
        department_ids=[w.sales.id, w.tech.id],
        now=now or day(1),
    )


def pending(c: Complaint, department: Any = None) -> ApprovalTask:
    qs = ApprovalTask.objects.filter(
        request__object_id=c.pk,
        request__flow__document_type="quality.complaint",
        state=TaskState.PENDING,
    )
    return qs.get(department=department) if department is not None else qs.get()


def approve_all(w: Any, c: Complaint, *, now: dt.datetime | None = None) -> Complaint:
    at = now or day(1)
    engine.decide(actor=w.sales_rep, task=pending(c, w.sales), decision="approve", now=at)
    engine.decide(actor=w.tech_rep, task=pending(c, w.tech), decision="approve", now=at)
    engine.decide(actor=w.qd, task=pending(c), decision="approve", comment="同意", now=at)
    c.refresh_from_db()
    return c
