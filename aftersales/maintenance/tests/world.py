"""A small world for the maintenance tests: two customers with a site, a contract and
equipment each, a coordinator, three technicians, customer users; the calendar of 2026/27."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from aftersales import testing as t
from aftersales.customers.models import Contact, ServiceContract
from aftersales.demo.defaults import ensure_defaults
from aftersales.maintenance.services import plans

TODAY = dt.date(2026, 9, 1)  # a Tuesday


def build() -> SimpleNamespace:
    ensure_defaults(today=TODAY)
    east = t.region("EAST", "华东区")
    c1 = t.customer(east, None, name="上海浦东会展中心", phone="13800138000")
    c2 = t.customer(east, None, name="杭州西湖医院", phone="13900139000")
    Contact.objects.create(customer=c1, name="王经理", mobile="13700137000", is_primary=True)
    s1 = t.site(c1, name="会展中心一号馆")
    s2 = t.site(c2, name="西湖医院门诊楼")
    hvac = t.category("hvac", "中央空调")
    t.policy(hvac, months=36)
    e1 = t.equipment(s1, t.product_model(hvac), serial_no="HV0001")
    e2 = t.equipment(s2, t.product_model(hvac), serial_no="HV0002")
    k1 = ServiceContract.objects.create(
        customer=c1,
        code="WB-2026-001",
        name="会展中心维保合同",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    w = SimpleNamespace(region=east, c1=c1, c2=c2, s1=s1, s2=s2, e1=e1, e2=e2, k1=k1, hvac=hvac)
    w.coordinator = t.user("coordinator", username="coord", display_name="主办老张")
    w.agent = t.user("agent", username="agent")
    w.tech = t.user("technician", username="tech1", display_name="工程师小赵")
    w.tech2 = t.user("technician", username="tech2", display_name="工程师小钱")
    w.tech3 = t.user("technician", username="tech3", display_name="工程师小孙")
    w.cust1 = t.user("customer", org=c1, username="cust1")
    w.cust2 = t.user("customer", org=c2, username="cust2")
    return w


def plan_input(w: Any, **kw: Any) -> plans.PlanInput:
    values: dict[str, Any] = {
        "name": "空调机组月度巡检",
        "kind": "routine",
        "customer_id": w.c1.pk,
        "site_id": w.s1.pk,
        "recurrence": "monthly",
        "interval": 1,
        "start_date": dt.date(2026, 8, 1),
        "equipment_ids": [w.e1.pk],
        "lead_days": 90,
        "release_days": 7,
        "coordinator_id": w.coordinator.pk,
    }
    values.update(kw)
    return plans.PlanInput(**values)


def make_plan(w: Any, today: dt.date = TODAY, **kw: Any) -> Any:
    return plans.plan_create(actor=w.coordinator, data=plan_input(w, **kw), today=today)


def signature_png() -> str:
    import base64
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 60), "white").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def small_checklist(code: str = "chiller-test") -> Any:
    from decimal import Decimal

    from aftersales.maintenance.services import checklists

    return checklists.publish(
        actor=None,
        code=code,
        name="冷水机组检查（测试）",
        items=[
            checklists.ItemInput("机组运行无异常声音"),
            checklists.ItemInput(
                "出水温度", kind="value", unit="°C", min_value=Decimal("7"), max_value=Decimal("12")
            ),
            checklists.ItemInput("冷凝水排水顺畅"),
        ],
    )


def on_site_visit(w: Any, *, tech: Any = None, **plan_kw: Any) -> Any:
    """A visit of a fresh plan, released, dispatched to ``tech``, checked in and started."""
    from aftersales.maintenance.models import MaintenanceVisit
    from aftersales.maintenance.services import generation, inspections
    from aftersales.service.services import dispatch

    tech = tech or w.tech
    small_checklist()
    plan = make_plan(w, checklist_code="chiller-test", **plan_kw)
    generation.release_due(today=TODAY)
    visit = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    wo = dispatch.dispatch(actor=w.coordinator, ticket=visit.ticket, technician_ids=[tech.pk])
    dispatch.accept(actor=tech, work_order=wo)
    dispatch.check_in(actor=tech, work_order=wo)
    return inspections.start(actor=tech, visit=visit)
