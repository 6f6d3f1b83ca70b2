"""A small world for the web tests of the service screens: two dealers with a customer each,
an LED screen in warranty, staff of every role the screens serve, parts and a price list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales import testing as t
from aftersales.catalog.models import Part, PriceList
from aftersales.customers.models import Contact
from aftersales.service.services import dispatch, intake, reports
from aftersales.staff.models import StaffProfile

CUSTOMER_PHONE = "13800138000"


def _sla_defaults() -> None:
    try:
        from aftersales.demo.defaults import ensure_defaults
    except ImportError:  # pragma: no cover - the demo app is written in parallel
        from aftersales.bizcalendar.services import ensure_standard_pattern, seed_years
        from aftersales.sla.models import SlaPolicy, SlaTarget

        pattern = ensure_standard_pattern()
        seed_years([2026, 2027])
        policy = SlaPolicy.objects.create(
            code="default", name="默认", is_default=True, pattern=pattern
        )
        for sev in ("major", "urgent", "normal", "low"):
            for metric, minutes in (("response", 30), ("on_site", 120), ("resolution", 240)):
                SlaTarget.objects.create(
                    policy=policy,
                    severity=sev,
                    metric=metric,
                    amount=Decimal(minutes),
                    unit="minutes",
                    working_time=False,
                )
        return
    ensure_defaults()


def build() -> dict[str, Any]:
    _sla_defaults()
    east = t.region("EAST", "华东区")
    d1 = t.dealer(east, name="甲经销商")
    d2 = t.dealer(east, name="乙经销商")
    c1 = t.customer(east, d1, name="上海浦东会展中心", phone=CUSTOMER_PHONE)
    c2 = t.customer(east, d2, name="杭州西湖医院", phone="13900139000")
    Contact.objects.create(customer=c1, name="王经理", mobile="13700137000", is_primary=True)
    s1 = t.site(c1, name="会展中心一号馆", lat=Decimal("31.2"), lng=Decimal("121.5"))
    s2 = t.site(c2, name="西湖医院门诊楼")
    led = t.category("led", "LED显示屏")
    t.policy(led, months=24)
    model = t.product_model(led, code="P3-500", name="室内P3全彩屏")
    recent = timezone.localdate() - dt.timedelta(days=90)
    e1 = t.equipment(s1, model, serial_no="LED2025001", acceptance_date=recent)
    e2 = t.equipment(s2, model, serial_no="LED2025002", acceptance_date=recent)
    users = {
        "agent": t.user("agent", username="agent1", display_name="客服小李"),
        "coordinator": t.user("coordinator", username="coord1", display_name="主办老张"),
        "manager": t.user("manager", username="boss1", display_name="王主管"),
        "tech": t.user("technician", username="tech1", display_name="工程师小赵"),
        "tech2": t.user("technician", username="tech2", display_name="工程师小钱"),
        "dealer1": t.user("dealer", org=d1, username="dealer1", display_name="甲经销商小孙"),
        "dealer2": t.user("dealer", org=d2, username="dealer2", display_name="乙经销商小周"),
        "cust1": t.user("customer", org=c1, username="cust1", display_name="会展王经理"),
        "cust2": t.user("customer", org=c2, username="cust2", display_name="医院刘主任"),
    }
    for i, key in enumerate(("tech", "tech2"), start=1):
        profile = StaffProfile.objects.create(
            user=users[key],
            employee_no=f"E{i:03d}",
            region=east,
            home_lat=Decimal("31.2"),
            home_lng=Decimal("121.4"),
        )
        profile.skills.add(led)
    parts = [
        Part.objects.create(
            code="PWR-200",
            name="开关电源200W",
            category=led,
            unit_cost=Decimal("80.00"),
            price=Decimal("120.00"),
        ),
        Part.objects.create(
            code="MOD-P3",
            name="P3模组",
            category=led,
            unit_cost=Decimal("150.00"),
            price=Decimal("220.00"),
        ),
    ]
    PriceList.objects.create(
        code="STD",
        name="标准收费",
        valid_from=dt.date(2025, 1, 1),
        is_default=True,
        labour_rate_per_hour=Decimal("100.00"),
        travel_rate_per_km=Decimal("2.00"),
    )
    return {
        "d1": d1,
        "d2": d2,
        "c1": c1,
        "c2": c2,
        "s1": s1,
        "s2": s2,
        "e1": e1,
        "e2": e2,
        "led": led,
        "parts": parts,
        **users,
    }


def ticket(
    world: dict[str, Any],
    *,
    equipment: str = "e1",
    severity: str = "normal",
    description: str = "屏幕左下角黑屏",
) -> Any:
    eq = world[equipment]
    return intake.ticket_create(
        actor=world["agent"],
        data=intake.TicketInput(
            description=description,
            contact_name="王经理",
            contact_phone="13700137000",
            channel="phone",
            equipment_id=eq.pk,
            severity=severity,
            allow_duplicate=True,
            different_fault_reason="另一处故障",
        ),
    )


def on_site(world: dict[str, Any], tk: Any) -> Any:
    """Dispatched to ``tech``, accepted and checked in: the technician is at the site."""
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=tk, technician_ids=[world["tech"].pk])
    dispatch.accept(actor=world["tech"], work_order=wo)
    return dispatch.check_in(actor=world["tech"], work_order=wo)


def filed_report(world: dict[str, Any], wo: Any) -> Any:
    """A complete report confirmed by link and submitted."""
    tech = world["tech"]
    reports.save(
        actor=tech,
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="左下角模组黑屏",
            environment="室内，温度正常",
            cause="模组驱动芯片损坏",
            cause_class="manufacturing",
            fault_category="模组故障",
            component_code="MOD-P3",
            responsibility="product",
            actions="更换P3模组一块，测试正常",
            minutes_spent=45,
            customer_opinion="满意",
            quick_rating=5,
            parts=[("MOD-P3", 1, True)],
        ),
    )
    report = reports.request_link_confirmation(actor=tech, work_order=wo)
    reports.confirm_by_link(token=report.confirm_token, name="王经理")
    return reports.submit(actor=tech, work_order=wo)
