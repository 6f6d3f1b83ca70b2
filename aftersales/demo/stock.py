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
from aftersales.core.errors import ValidationFailed
from aftersales.core.models import Region
from aftersales.staff.models import StaffProfile
from aftersales.stock.models import PARTS_STORES, Bin, Warehouse, WarehouseKind
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


@dataclass
class LoanerReport:
    units: int = 0
    loans: int = 0
    counts: int = 0


def load_loaners(*, users: dict[str, Any], seed: int = 2026) -> LoanerReport:
    """备用机 in the stores (two per product line of the first lines with equipment), two of
    them lent on open urgent/major tickets of that line — one of those past its agreed
    return date — and a count in progress on the after-sales store (half its lines counted).
    Nothing when loaner units exist already or there is no store or keeper."""
    from aftersales.installed_base.models import ProductCategory
    from aftersales.service.models import Ticket
    from aftersales.service.models.ticket import OPEN_STATES
    from aftersales.stock.models import LoanerUnit, StockCount
    from aftersales.stock.services import counts, loaners

    report = LoanerReport()
    keeper = users.get("warehouse")
    stores = list(Warehouse.objects.filter(kind__in=PARTS_STORES).filter(archived_at__isnull=True))
    if keeper is None or not stores or LoanerUnit.objects.exists():
        return report
    rng = random.Random(seed)
    now = timezone.now()
    lines = list(
        ProductCategory.objects.filter(models__equipment__isnull=False)
        .distinct()
        .order_by("code")[:3]
    )
    units: list[LoanerUnit] = []
    for line in lines:
        for i in range(2):
            store = stores[(len(units) + i) % len(stores)]
            units.append(
                LoanerUnit.objects.create(
                    code=f"BY-{line.code.upper()}-{i + 1:02d}"[:30],
                    serial_no=f"LN{line.code.upper()}{rng.randrange(10**6):06d}"[:50],
                    category=line,
                    warehouse=store,
                )
            )
    report.units = len(units)
    open_tickets = list(
        Ticket.objects.filter(
            state__in=OPEN_STATES, severity__in=("urgent", "major"), equipment__isnull=False
        )
        .select_related("equipment__model")
        .order_by("pk")
    )
    for index, ticket in enumerate(open_tickets):
        if report.loans >= 2:
            break
        assert ticket.equipment is not None
        unit = next(
            (
                u
                for u in units
                if u.category_id == ticket.equipment.model.category_id and u.state == "available"
            ),
            None,
        )
        if unit is None:
            continue
        late = index == 0
        lent_at = now - dt.timedelta(days=10 if late else 1)
        loaners.lend(
            actor=keeper,
            unit_id=unit.pk,
            ticket_id=ticket.pk,
            signed_by=(ticket.contact_name or "客户")[:50],
            due_back=timezone.localdate(lent_at) + dt.timedelta(days=5 if late else 7),
            now=lent_at,
        )
        unit.state = "lent"
        report.loans += 1
    main = next((s for s in stores if s.kind == WarehouseKind.MAIN), None)
    if main is not None and not StockCount.objects.exists():
        try:
            count = counts.open_count(actor=keeper, warehouse_id=main.pk, note="月度盘点（演示）")
        except ValidationFailed:  # an empty store: no count to show
            return report
        sheet = list(counts.sheet_lines(count))
        counts.enter(
            actor=keeper,
            count=count,
            entries=[
                (ln.pk, ln.book - (1 if i == 0 and ln.book > 1 else 0))
                for i, ln in enumerate(sheet[: max(1, len(sheet) // 2)])
            ],
        )
        report.counts = 1
    return report
