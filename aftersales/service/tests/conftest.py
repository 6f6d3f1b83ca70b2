"""A small service world: calendar and SLA defaults, one customer with a site and an LED
screen under a 24-month warranty, an agent, a coordinator, a manager, two technicians."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from aftersales import testing as t
from aftersales.catalog.models import Part, PriceList
from aftersales.customers.models import Contact
from aftersales.demo.defaults import ensure_defaults
from aftersales.staff.models import StaffProfile


def build_world() -> SimpleNamespace:
    ensure_defaults(today=dt.date(2026, 11, 23))
    east = t.region("EAST", "华东区")
    led = t.category("led", "LED显示屏")
    policy = t.policy(led, months=24, latent_defect_months=24)
    model = t.product_model(led, code="P3-500", name="室内P3全彩屏")
    customer = t.customer(east, None, name="上海浦东会展中心", phone="021-50001234")
    Contact.objects.create(customer=customer, name="王经理", mobile="13800138000", is_primary=True)
    site = t.site(
        customer,
        name="会展中心一号馆",
        lat=Decimal("31.2000"),
        lng=Decimal("121.5000"),
        acceptance_date=dt.date(2025, 6, 1),
    )
    equipment = t.equipment(
        site, model, serial_no="LED2025001", acceptance_date=dt.date(2025, 6, 1)
    )
    agent = t.user("agent", username="agent")
    coordinator = t.user("coordinator", username="coord")
    manager = t.user("manager", username="boss")
    techs = []
    for i, (lat, lng) in enumerate([(31.21, 121.47), (31.30, 121.60)], start=1):
        tech = t.user("technician", username=f"tech{i}")
        prof = StaffProfile.objects.create(
            user=tech,
            employee_no=f"E{i:03d}",
            region=east,
            home_lat=Decimal(str(lat)),
            home_lng=Decimal(str(lng)),
            is_field_engineer=True,
        )
        prof.skills.add(led)
        techs.append(tech)
    PriceList.objects.create(
        code="STD",
        name="标准收费",
        valid_from=dt.date(2026, 1, 1),
        is_default=True,
        labour_rate_per_hour=Decimal("120.00"),
        travel_rate_per_km=Decimal("2.50"),
    )
    part = Part.objects.create(
        code="PSU-5V",
        name="5V电源模块",
        unit_cost=Decimal("85.00"),
        price=Decimal("150.00"),
        category=led,
    )
    return SimpleNamespace(
        region=east,
        category=led,
        policy=policy,
        model=model,
        customer=customer,
        site=site,
        equipment=equipment,
        agent=agent,
        coordinator=coordinator,
        manager=manager,
        tech1=techs[0],
        tech2=techs[1],
        part=part,
    )


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return build_world()
