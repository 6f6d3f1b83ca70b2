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
