"""A small world for the document apps' tests (parts, returns, approvals): two dealers with
a customer each, one direct customer, a part master, departments, and one person per
company role (quality director and the sign-off departments' members in their departments)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.catalog.models import Part

TZ = ZoneInfo("Asia/Shanghai")
# Monday 23 November 2026, 09:00 Shanghai: the scenarios' day 0
DAY0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def day(n: float, hour: int = 9) -> dt.datetime:
    """Day ``n`` of a scenario at ``hour`` o'clock (fractions of a day allowed)."""
    return DAY0.replace(hour=hour) + dt.timedelta(days=n)


def edit_rule(code: str, **changes: Any) -> Any:
    """An administrator's edit of deadline rule ``code`` (时限规则), through the audited record
    service the back office's edits go through — not a bare queryset update."""
    from aftersales.approvals.services.deadlines import rule
    from aftersales.core.services import update_record

    admin = t.user("admin", is_staff=True, is_superuser=True)
    return update_record(rule(code), actor=admin, changes=changes)


def build() -> SimpleNamespace:
    east = t.region("EAST", "华东区")
    dealer_a = t.dealer(east, name="杭州经销商")
    dealer_b = t.dealer(east, name="苏州经销商")
    cust_a = t.customer(east, dealer_a, name="杭州客户")
    cust_b = t.customer(east, dealer_b, name="苏州客户")
    direct = t.customer(east, None, name="上海直营客户")
    qc = Department.objects.get_or_create(code="QC", defaults={"name": "品管中心"})[0]
    sales = Department.objects.get_or_create(code="SALES", defaults={"name": "销售部"})[0]
    tech = Department.objects.get_or_create(code="TECH", defaults={"name": "工艺技术部"})[0]
    part = Part.objects.create(code="PSU-5V", name="5V电源模块", price=Decimal("150.00"))
    panel = Part.objects.create(code="DOOR-01", name="柜门面板", price=Decimal("320.00"))
    w = SimpleNamespace(
        region=east,
        dealer_a=dealer_a,
        dealer_b=dealer_b,
        cust_a=cust_a,
        cust_b=cust_b,
        direct=direct,
        qc=qc,
        sales=sales,
        tech=tech,
        part=part,
        panel=panel,
    )
    w.agent = t.user("agent", username="agent")
    w.coordinator = t.user("coordinator", username="coord")
    w.coordinator2 = t.user("coordinator", username="coord2")
    w.team_leader = t.user("team_leader", username="leader")
    w.warehouse = t.user("warehouse", username="keeper")
    w.qd = t.user("quality_director", username="qd", department=qc)
    w.qcd = t.user("quality_centre_director", username="qcd", department=qc)
    w.finance = t.user("finance", username="fin")
    w.manager = t.user("manager", username="boss")
    w.sales_rep = t.user("agent", username="sales1", department=sales)
    w.tech_rep = t.user("agent", username="tech1", department=tech)
    w.dealer_user_a = t.user("dealer", org=dealer_a, username="dealer_a")
    w.dealer_user_b = t.user("dealer", org=dealer_b, username="dealer_b")
    w.customer_user_a = t.user("customer", org=cust_a, username="cust_a")
    return w
