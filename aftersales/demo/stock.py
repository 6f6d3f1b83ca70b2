"""Demo stock (库存), posted through the movement services: the after-sales store with
bins, a store per region (the first few), a van per technician, lots received at different
ages (so FIFO and the ages show), transfers into the vans — some vans deliberately short,
so a filed report's shortage and its proposed replenishment show too."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales.approvals.documents import users_with_roles
from aftersales.catalog.models import Part
from aftersales.core.models import Region
from aftersales.staff.models import StaffProfile
from aftersales.stock.models import Bin, Warehouse, WarehouseKind
from aftersales.stock.services import movements

LOT_AGES_DAYS = (400, 150, 75, 20, 3)  # old lots and fresh ones


@dataclass
class StockReport:
    warehouses: int = 0
    movements: int = 0


def load_stock(*, users: dict[str, Any], seed: int = 2026, regions: int = 3) -> StockReport:
    """Nothing when stock is already set up (a second start) or there is no 仓管 or part."""
    report = StockReport()
    keeper = users.get("warehouse")
    parts = list(Part.objects.active().order_by("code")[:30])
    if keeper is None or not parts or Warehouse.objects.exists():
        return report
    rng = random.Random(seed)
    now = timezone.now()
    store = Warehouse.objects.create(code="SH-MAIN", name="售后总库", kind=WarehouseKind.MAIN)
    bins = [
        Bin.objects.create(warehouse=store, zone=zone, shelf=f"{shelf:02d}", level=str(level))
        for zone in "AB"
        for shelf in (1, 2)
        for level in (1, 2, 3)
    ]
    stores = [store]
    for region in Region.objects.filter(archived_at__isnull=True).order_by("code")[:regions]:
        stores.append(
            Warehouse.objects.create(
                code=f"RG-{region.code}"[:20],
                name=f"{region.name}仓库"[:50],
                kind=WarehouseKind.REGIONAL,
                region=region,
            )
        )
    profiles = {p.user_id: p for p in StaffProfile.objects.all()}
    vans = []
    for tech in sorted(users_with_roles(["technician"]), key=lambda u: u.pk):
        profile = profiles.get(tech.pk)
        vans.append(
            Warehouse.objects.create(
                code=f"VAN-{tech.username}"[:20],
                name=f"{tech.display_name or tech.username}车载库"[:50],
                kind=WarehouseKind.VAN,
                technician=tech,
                region=profile.region if profile else None,
            )
        )
    report.warehouses = len(stores) + len(vans)
    for wh in stores:
        lines = []
        for part in parts:
            for age in rng.sample(LOT_AGES_DAYS, 2 if wh is store else 1):
                cost = part.unit_cost or Decimal("10.00")
                lines.append(
                    movements.ReceiptLine(
                        part_id=part.pk,
                        quantity=rng.randint(5, 40) if wh is store else rng.randint(2, 10),
                        unit_cost=(cost * Decimal(rng.choice(("0.95", "1.00", "1.05")))).quantize(
                            Decimal("0.01")
                        ),
                        bin_id=rng.choice(bins).pk if wh is store else None,
                        received_at=now - dt.timedelta(days=age),
                    )
                )
        movements.receive(
            actor=keeper,
            warehouse_id=wh.pk,
            lines=lines,
            source="opening",
            reason="期初库存",
        )
        report.movements += 1
    for index, van in enumerate(vans):
        if index % 3 == 2:
            continue  # a van left empty: its technician's parts show up as shortages
        picked = rng.sample(parts, min(len(parts), 6))
        movements.transfer(
            actor=keeper,
            from_warehouse_id=store.pk,
            to_warehouse_id=van.pk,
            lines=[movements.OutLine(rng.randint(1, 3), p.pk) for p in picked],
            reason="车载库备货",
        )
        report.movements += 1
    return report
