"""Slow-moving flags (呆滞预警) and minimum stock (最低库存).

A part at a location is flagged by the time since stock last went out of it — an issue or
a transfer out (scrap and count adjustments do not count) — or, when nothing ever went out,
since it first came in (a receipt at its lot date, a transfer in when posted): yellow from exactly ``slow_yellow_months`` months
later (same local time, a month without that day ends on its last day, as for warranty
months), red from ``slow_red_months``. Thresholds are data (``StockPolicy``).

Minimum stock: a location holding less of a part than its ``MinStock.min_qty`` gets a
proposal to bring it up to ``reorder_to`` — a transfer from a store holding it (a van from
its region's store first, a regional store from the after-sales store), or a purchase when
no store can give it (the after-sales store itself). The keepers are told once a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Max, Min, Sum, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import Conflict, NotFound, PermissionDenied
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible, visible
from aftersales.installed_base.supply import PartsSupply
from aftersales.stock.models import (
    PARTS_STORES,
    MinStock,
    Movement,
    MovementKind,
    MovementLine,
    StockLevel,
    StockPolicy,
    Warehouse,
    WarehouseKind,
)
from aftersales.stock.services import movements
from aftersales.stock.services.supply import UNLINKED, supplies
from aftersales.warranty.periods import add_months

OUTFLOWS = (MovementKind.ISSUE, MovementKind.TRANSFER)
INFLOWS = (MovementKind.RECEIPT, MovementKind.TRANSFER, MovementKind.TECH_RETURN)
YELLOW, RED = "yellow", "red"
FLAG_LABELS = {YELLOW: _("黄色预警"), RED: _("红色预警")}


def policy() -> StockPolicy:
    found, _ = StockPolicy.objects.get_or_create(code="default")
    return found


def months_later(moment: dt.datetime, months: int) -> dt.datetime:
    local = timezone.localtime(moment)
    day = add_months(local.date(), months)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def flag_of(since: dt.datetime | None, now: dt.datetime, pol: StockPolicy) -> str:
    if since is None:
        return ""
    if now >= months_later(since, pol.slow_red_months):
        return RED
    if now >= months_later(since, pol.slow_yellow_months):
        return YELLOW
    return ""


@dataclass
class Since:
    at: dt.datetime | None
    out: bool  # True: the last outflow; False: the oldest lot on hand (nothing went out)


def since_of(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Since]:
    """For (warehouse, part) pairs: when stock last went out, else the oldest lot on hand."""
    if not pairs:
        return {}
    whs = {w for w, _ in pairs}
    parts = {p for _, p in pairs}
    outs = {
        (r["movement__from_warehouse_id"], r["part_id"]): r["last"]
        for r in MovementLine.objects.filter(
            movement__kind__in=OUTFLOWS,
            movement__from_warehouse_id__in=whs,
            part_id__in=parts,
            movement__archived_at__isnull=True,
        )
        .values("movement__from_warehouse_id", "part_id")
        .annotate(last=Max("movement__posted_at"))
    }
    # nothing went out: since stock first came in — a receipt at its lot date, a transfer
    # or a technician's return when it was posted (an old lot moved into a van yesterday has
    # been in the van a day)
    came_in = Case(
        When(movement__kind=MovementKind.RECEIPT, then=F("lot__received_at")),
        default=F("movement__posted_at"),
    )
    first_in = {
        (r["movement__to_warehouse_id"], r["part_id"]): r["first"]
        for r in MovementLine.objects.filter(
            movement__kind__in=INFLOWS,
            movement__to_warehouse_id__in=whs,
            part_id__in=parts,
            movement__archived_at__isnull=True,
        )
        .values("movement__to_warehouse_id", "part_id")
        .annotate(first=Min(came_in))
    }
    oldest = {
        (r["warehouse_id"], r["part_id"]): r["oldest"]
        for r in StockLevel.objects.filter(warehouse_id__in=whs, part_id__in=parts, quantity__gt=0)
        .values("warehouse_id", "part_id")
        .annotate(oldest=Min("lot__received_at"))
    }
    out: dict[tuple[int, int], Since] = {}
    for key in pairs:
        last = outs.get(key)
        out[key] = Since(last, True) if last else Since(first_in.get(key) or oldest.get(key), False)
    return out


@dataclass
class SlowRow:
    warehouse: Warehouse
    part_id: int
    part_code: str
    part_name: str
    quantity: int
    value: Decimal
    since: dt.datetime | None
    since_out: bool
    flag: str
    supply: PartsSupply | None = None  # None: the part is linked to no product model

    @property
    def flag_label(self) -> str:
        return str(FLAG_LABELS.get(self.flag, ""))

    @property
    def supply_text(self) -> str:
        return self.supply.text if self.supply else UNLINKED

    @property
    def supply_ended(self) -> bool:
        return self.supply is not None and not self.supply.guaranteed

    @property
    def scrap_proposed(self) -> bool:
        return scrap_proposed(self.flag, self.supply)


def scrap_proposed(flag: str, supply: PartsSupply | None) -> bool:
    """A red slow mover is proposed for scrap (建议报废) — never while its spare-parts supply
    is still guaranteed for a model it fits."""
    return flag == RED and not (supply is not None and supply.guaranteed)


def slow_moving(
    user: Any,
    *,
    warehouse_id: int | None = None,
    flag: str | None = None,
    now: dt.datetime | None = None,
) -> list[SlowRow]:
    """Stock on hand by location and part with its flag; red first, then yellow, then by
    value (``flag``: only that colour; ``"any"``: both)."""
    from aftersales.stock.selectors import VALUE

    now = now or timezone.now()
    pol = policy()
    qs = visible(StockLevel, user).filter(quantity__gt=0)
    if warehouse_id:
        qs = qs.filter(warehouse_id=warehouse_id)
    groups = list(
        qs.order_by()
        .values("warehouse_id", "part_id", "part__code", "part__name")
        .annotate(n=Sum("quantity"), amount=Sum(VALUE))
    )
    since = since_of({(g["warehouse_id"], g["part_id"]) for g in groups})
    whs = Warehouse.objects.in_bulk({g["warehouse_id"] for g in groups})
    supply = supplies({g["part_id"] for g in groups}, timezone.localdate(now))
    rows = []
    for g in groups:
        s = since[(g["warehouse_id"], g["part_id"])]
        colour = flag_of(s.at, now, pol)
        if (flag == "any" and not colour) or (flag in (YELLOW, RED) and colour != flag):
            continue
        rows.append(
            SlowRow(
                warehouse=whs[g["warehouse_id"]],
                part_id=g["part_id"],
                part_code=g["part__code"],
                part_name=g["part__name"],
                quantity=g["n"],
                value=Decimal(g["amount"] or 0).quantize(Decimal("0.01")),
                since=s.at,
                since_out=s.out,
                flag=colour,
                supply=supply.get(g["part_id"]),
            )
        )
    order = {RED: 0, YELLOW: 1, "": 2}
    rows.sort(key=lambda r: (order[r.flag], -r.value, r.warehouse.code, r.part_code))
    return rows


def flags_for_levels(levels: list[StockLevel], now: dt.datetime | None = None) -> None:
    """Set ``flag`` / ``flag_label`` on each stock row of a page (by its location and part),
    and ``supply`` (the part's spare-parts supply, None when linked to no model) with
    ``supply_ended``."""
    now = now or timezone.now()
    pol = policy()
    since = since_of({(lv.warehouse_id, lv.part_id) for lv in levels})
    supply = supplies({lv.part_id for lv in levels}, timezone.localdate(now))
    for lv in levels:
        colour = flag_of(since[(lv.warehouse_id, lv.part_id)].at, now, pol)
        lv.flag = colour  # type: ignore[attr-defined]
        lv.flag_label = FLAG_LABELS.get(colour, "")  # type: ignore[attr-defined]
        found = supply.get(lv.part_id)
        lv.supply = found  # type: ignore[attr-defined]
        lv.supply_ended = found is not None and not found.guaranteed  # type: ignore[attr-defined]


@dataclass
class Proposal:
    rule: MinStock
    on_hand: int
    quantity: int  # up to reorder_to
    source: Warehouse | None  # None: to be purchased

    @property
    def action(self) -> str:
        return Said("从%(name)s调拨", name=self.source.name) if self.source else "需采购"


def _source(wh: Warehouse, part_id: int, quantity: int) -> Warehouse | None:
    """A store holding ``quantity`` that is not ``wh``: for a van, its region's store first;
    the after-sales store before other regional stores; None for the after-sales store."""
    if wh.kind == WarehouseKind.MAIN:
        return None
    stores = (
        Warehouse.objects.filter(archived_at__isnull=True)
        .filter(kind__in=PARTS_STORES)
        .exclude(pk=wh.pk)
    )
    if wh.kind == WarehouseKind.REGIONAL:
        stores = stores.filter(kind=WarehouseKind.MAIN)
    holding = (
        StockLevel.objects.filter(part_id=part_id, warehouse__in=stores)
        .values("warehouse")
        .annotate(n=Sum("quantity"))
        .filter(n__gte=quantity)
        .values_list("warehouse", flat=True)
    )
    with_stock = stores.filter(pk__in=holding)
    if wh.region_id:
        local = with_stock.filter(region_id=wh.region_id).order_by("kind", "code").first()
        if local is not None:
            return local
    return with_stock.order_by("kind", "code").first()


def below_minimum(user: Any, *, warehouse_id: int | None = None) -> list[Proposal]:
    qs = visible(MinStock, user).filter(archived_at__isnull=True, warehouse__archived_at=None)
    if warehouse_id:
        qs = qs.filter(warehouse_id=warehouse_id)
    rules = list(qs.select_related("warehouse", "part"))
    held = {
        (r["warehouse_id"], r["part_id"]): r["n"]
        for r in StockLevel.objects.filter(
            warehouse_id__in={r.warehouse_id for r in rules},
            part_id__in={r.part_id for r in rules},
        )
        .values("warehouse_id", "part_id")
        .annotate(n=Sum("quantity"))
    }
    out = []
    for rule in rules:
        n = held.get((rule.warehouse_id, rule.part_id)) or 0
        if n >= rule.min_qty:
            continue
        want = rule.reorder_to - n
        out.append(Proposal(rule, n, want, _source(rule.warehouse, rule.part_id, want)))
    out.sort(key=lambda p: (p.rule.warehouse.code, p.rule.part.code))
    return out


@transaction.atomic
def replenish_minimum(
    *, actor: Any, rule: MinStock | int, now: dt.datetime | None = None
) -> Movement:
    """Post the proposal of a rule below its minimum: one transfer up to ``reorder_to``."""
    now = now or timezone.now()
    pk = rule.pk if isinstance(rule, MinStock) else int(rule)
    try:
        found = get_visible(MinStock.objects.select_related("warehouse", "part"), actor, pk=pk)
    except NotFound as exc:
        raise NotFound("最低库存设置不存在或无权查看") from exc
    if not actor.has_perm("stock.add_movement"):
        raise PermissionDenied("无权办理补货调拨")
    # one replenishment at a time per rule: the rule row is the lock
    MinStock.objects.select_for_update().filter(pk=found.pk).first()
    proposal = next(
        (p for p in below_minimum(actor, warehouse_id=found.warehouse_id) if p.rule.pk == pk),
        None,
    )
    if proposal is None:
        raise Conflict("库存已不低于最低库存，无需补货", code="not_below_minimum")
    if proposal.source is None:
        raise Conflict(
            Said(
                "没有可调出%(quantity)s%(unit)s的仓库，请采购入库",
                quantity=proposal.quantity,
                unit=found.part.unit,
            ),
            code="no_source",
        )
    return movements.transfer(
        actor=actor,
        from_warehouse_id=proposal.source.pk,
        to_warehouse_id=found.warehouse_id,
        lines=[movements.OutLine(proposal.quantity, found.part_id)],
        reason="最低库存补货",
        reference=f"MIN-{found.pk}",
        now=now,
    )


def tell_below_minimum(now: dt.datetime | None = None) -> int:
    """Once a day: the keepers get the list of locations below their minimum stock."""
    from aftersales.approvals.documents import users_with_roles
    from aftersales.notifications.services import notify

    now = now or timezone.now()
    keepers = users_with_roles(["warehouse"])
    if not keepers:
        return 0
    proposals = below_minimum(keepers[0])
    if not proposals:
        return 0
    items = "；".join(
        Said(
            "%(name)s %(code)s 现有%(on_hand)s（最低%(min_qty)s），建议补%(quantity)s，%(action)s",
            name=p.rule.warehouse.name,
            code=p.rule.part.code,
            on_hand=p.on_hand,
            min_qty=p.rule.min_qty,
            quantity=p.quantity,
            action=p.action,
        )
        for p in proposals[:20]
    )
    more = Said("等%(proposals)s项", proposals=len(proposals)) if len(proposals) > 20 else ""
    notify(
        key=f"stock:minimum:{timezone.localdate(now):%Y%m%d}",
        recipients=keepers,
        subject=Said("低于最低库存：%(proposals)s项", proposals=len(proposals)),
        body=(items + more)[:1000],
        link="/stock/minimums/",
    )
    return len(proposals)
