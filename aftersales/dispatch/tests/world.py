"""A planning world in the real database: the default calendar and SLA policy, one region
(华东, Shanghai), two product categories, three technicians with different skills and
homes, a coordinator, and customers' sites around the city. Tickets are registered through
the intake service for the next working day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from aftersales import testing as t
from aftersales.bizcalendar.rules import periods_on
from aftersales.bizcalendar.selectors import business_calendar, invalidate
from aftersales.demo.defaults import ensure_defaults
from aftersales.dispatch.building import day_origin
from aftersales.service.models import Ticket
from aftersales.service.services import intake
from aftersales.staff.models import DutyShift, StaffProfile

# (name, lat, lng, category)
SITES = [
    ("浦东会展中心", 31.2000, 121.5000, "led"),
    ("张江科技园", 31.2050, 121.5900, "led"),
    ("虹桥商务区", 31.1950, 121.3200, "hvac"),
    ("徐汇滨江", 31.1700, 121.4600, "hvac"),
    ("静安寺广场", 31.2230, 121.4450, "led"),
    ("五角场商圈", 31.3000, 121.5150, "hvac"),
]
# (username, display name, lat, lng, skills)
TECHS = [
    ("tech_a", "工程师甲", 31.2100, 121.4700, ("led",)),
    ("tech_b", "工程师乙", 31.2900, 121.5500, ("led", "hvac")),
    ("tech_c", "工程师丙", 31.1600, 121.4000, ("hvac",)),
]


def next_working_day(after: dt.date | None = None) -> dt.date:
    cal = business_calendar()
    day = (after or timezone.localdate()) + dt.timedelta(days=1)
    while not periods_on(cal, day):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return day_origin(day) + dt.timedelta(hours=hour, minutes=minute)


def build() -> SimpleNamespace:
    today = timezone.localdate()
    ensure_defaults(today=today)
    invalidate()
    east = t.region("EAST", "华东区")
    east.centre_lat, east.centre_lng = Decimal("31.23"), Decimal("121.47")
    east.save(update_fields=["centre_lat", "centre_lng"])
    categories = {"led": t.category("led", "LED显示屏"), "hvac": t.category("hvac", "暖通空调")}
    models = {code: t.product_model(cat) for code, cat in categories.items()}
    for cat in categories.values():
        t.policy(cat, months=24)
    customer = t.customer(east, None, name="上海测试客户")
    equipment: list[Any] = []
    recent = today - dt.timedelta(days=60)
    for name, lat, lng, code in SITES:
        site = t.site(customer, name=name, lat=Decimal(str(lat)), lng=Decimal(str(lng)))
        equipment.append(t.equipment(site, models[code], acceptance_date=recent))
    techs = []
    for i, (username, display, lat, lng, skills) in enumerate(TECHS, start=1):
        user = t.user("technician", username=username, display_name=display)
        profile = StaffProfile.objects.create(
            user=user,
            employee_no=f"T{i:03d}",
            region=east,
            home_lat=Decimal(str(lat)),
            home_lng=Decimal(str(lng)),
            is_field_engineer=True,
        )
        profile.skills.add(*(categories[s] for s in skills))
        techs.append(user)
    day = next_working_day(today)
    for user in techs:
        DutyShift.objects.create(
            user=user, kind=DutyShift.Kind.NORMAL, starts_at=at(day, 8, 30), ends_at=at(day, 17, 30)
        )
    return SimpleNamespace(
        day=day,
        region=east,
        categories=categories,
        equipment=equipment,
        customer=customer,
        tech_a=techs[0],
        tech_b=techs[1],
        tech_c=techs[2],
        agent=t.user("agent", username="agent_w"),
        coordinator=t.user("coordinator", username="coord_w", display_name="调度老张"),
        manager=t.user("manager", username="boss_w"),
    )


def ticket(
    w: SimpleNamespace, index: int, *, severity: str = "urgent", hour: int = 8, minute: int = 0
) -> Ticket:
    """A ticket on the ``index``-th site, received on the planning day at ``hour``."""
    return intake.ticket_create(
        actor=w.agent,
        data=intake.TicketInput(
            description=f"{SITES[index][0]}设备故障",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=w.equipment[index].pk,
            severity=severity,
            received_at=at(w.day, hour, minute),
            allow_duplicate=True,
            different_fault_reason="另一处故障",
        ),
    )
