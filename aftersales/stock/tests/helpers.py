"""A small stock world: the after-sales store with bins, a regional store, two technicians'
vans and two parts; every step a real service call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales import testing as t
from aftersales.catalog.models import Part
from aftersales.stock.models import Bin, Movement, StockLevel, Warehouse, WarehouseKind
from aftersales.stock.services import movements


@dataclass
class StockWorld:
    keeper: Any
    tech: Any
    tech2: Any
    agent: Any
    store: Warehouse
    regional: Warehouse
    van: Warehouse
    van2: Warehouse
    bin_a: Bin
    bin_b: Bin
    psu: Part
    card: Part


def at(days: int, hour: int = 9) -> dt.datetime:
    base = timezone.make_aware(dt.datetime(2026, 11, 2, hour))
    return base + dt.timedelta(days=days)


def build() -> StockWorld:
    keeper = t.user("warehouse", username="keeper")
    tech = t.user("technician", username="vantech")
    tech2 = t.user("technician", username="vantech2")
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind=WarehouseKind.MAIN)
    regional = Warehouse.objects.create(code="EAST", name="华东区域库", kind=WarehouseKind.REGIONAL)
    van = Warehouse.objects.create(
        code="VAN-1", name="张工车载库", kind=WarehouseKind.VAN, technician=tech
    )
    van2 = Warehouse.objects.create(
        code="VAN-2", name="李工车载库", kind=WarehouseKind.VAN, technician=tech2
    )
    return StockWorld(
        keeper=keeper,
        tech=tech,
        tech2=tech2,
        agent=t.user("agent", username="agent9"),
        store=store,
        regional=regional,
        van=van,
        van2=van2,
        bin_a=Bin.objects.create(warehouse=store, zone="A", shelf="01", level="1"),
        bin_b=Bin.objects.create(warehouse=store, zone="B", shelf="02", level="3"),
        psu=Part.objects.create(code="PSU-5V", name="5V电源模块", price=Decimal("150.00")),
        card=Part.objects.create(code="RCV-CARD", name="接收卡", price=Decimal("260.00")),
    )


def receive(
    s: StockWorld,
    qty: int,
    cost: str,
    *,
    part: Part | None = None,
    wh: Warehouse | None = None,
    bin_: Bin | None = None,
    when: dt.datetime | None = None,
) -> Movement:
    return movements.receive(
        actor=s.keeper,
        warehouse_id=(wh or s.store).pk,
        lines=[
            movements.ReceiptLine(
                part_id=(part or s.psu).pk,
                quantity=qty,
                unit_cost=cost,
                bin_id=bin_.pk if bin_ else None,
                received_at=when,
            )
        ],
        now=when,
    )


def on_hand(wh: Warehouse, part: Part) -> int:
    return sum(
        StockLevel.objects.filter(warehouse=wh, part=part).values_list("quantity", flat=True)
    )
