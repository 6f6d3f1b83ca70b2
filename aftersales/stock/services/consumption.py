"""Parts used on site leave the technician's van (SPEC §11, §3.5): a filed service report
issues its parts from his van, oldest lots first, exactly once. Where the van is short the
report stands (a technician on site is not blocked by the books): the gap is recorded as a
shortage with a proposed replenishment — a transfer from his region's store, else the
after-sales store — which 仓管 posts with one click."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from aftersales.catalog.models import Part
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.stock.models import (
    PARTS_STORES,
    Shortage,
    ShortageState,
    StockLevel,
    Warehouse,
    WarehouseKind,
)
from aftersales.stock.services import movements


def van_of(technician: Any) -> Warehouse | None:
    found: Warehouse | None = Warehouse.objects.filter(
        kind=WarehouseKind.VAN, technician=technician, archived_at__isnull=True
    ).first()
    return found


def propose_source(van: Warehouse | None, part: Part, quantity: int) -> Warehouse | None:
    """The store a replenishment would come from: a store of the van's region holding the
    quantity, else any regional or main store holding it, else the after-sales store."""
    stores = Warehouse.objects.filter(archived_at__isnull=True).filter(kind__in=PARTS_STORES)
    holding = (
        StockLevel.objects.filter(part=part, warehouse__in=stores)
        .values("warehouse")
        .annotate(n=Sum("quantity"))
        .filter(n__gte=quantity)
        .values_list("warehouse", flat=True)
    )
    with_stock = stores.filter(pk__in=holding)
    if van is not None and van.region_id:
        local = with_stock.filter(region_id=van.region_id).order_by("kind", "code").first()
        if local is not None:
            return local
    return (
        with_stock.order_by("kind", "code").first()  # "main" sorts before "regional"
        or stores.filter(kind=WarehouseKind.MAIN).order_by("code").first()
    )


@transaction.atomic
def consume(
    *,
    actor: Any,
    technician: Any,
    wanted: list[tuple[Part, int]],
    reference: str,
    source_key: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[Shortage]:
    """Issue ``wanted`` from the technician's van; record a shortage for what it lacks.
    Repeating the same ``source_key`` moves nothing more and records nothing more."""
    now = now or timezone.now()
    if movements.existing(source_key) or Shortage.objects.filter(source_key=source_key).exists():
        return list(Shortage.objects.filter(source_key=source_key))
    totals: dict[int, int] = defaultdict(int)
    parts: dict[int, Part] = {}
    for part, n in wanted:
        totals[part.pk] += n
        parts[part.pk] = part
    if not totals:
        return []
    van = van_of(technician)
    issued: dict[int, int] = {}
    if van is not None:
        _, issued = movements.issue_available(
            actor=actor,
            warehouse=van,
            wanted=[(parts[pk], n) for pk, n in totals.items()],
            reason=reason or "服务报告用料",
            reference=reference,
            source_key=source_key,
            now=now,
        )
    out = []
    for pk, n in sorted(totals.items()):
        short = n - issued.get(pk, 0)
        if short <= 0:
            continue
        shortage = Shortage.objects.create(
            technician=technician,
            van=van,
            part=parts[pk],
            needed=n,
            issued=n - short,
            short=short,
            reference=reference[:40],
            source_key=source_key,
            proposed_from=propose_source(van, parts[pk], short),
            recorded_at=now,
        )
        audit.record(
            shortage,
            actor=actor,
            action="create",
            verb="stock_shortage",
            after=audit.snapshot(shortage),
            at=now,
        )
        out.append(shortage)
    if out:
        _tell_keepers(out, technician)
    return out


def _tell_keepers(shortages: list[Shortage], technician: Any) -> None:
    from aftersales.approvals.documents import users_with_roles
    from aftersales.notifications.services import notify

    keepers = users_with_roles(["warehouse"])
    if not keepers:
        return
    first = shortages[0]
    items = "、".join(f"{s.part.code}×{s.short}" for s in shortages)
    who = getattr(technician, "display_name", "") or str(technician)
    notify(
        key=f"shortage:{first.pk}:open",
        recipients=keepers,
        subject=Said("车载库缺料：%(who)s（%(reference)s）", who=who, reference=first.reference),
        body=Said(
            "%(who)s 现场用料超出车载库存：%(items)s。报告已受理，请按建议补货。",
            who=who,
            items=items,
        ),
        link="/stock/shortages/",
    )


def report_filed(*, actor: Any, report: Any, now: dt.datetime | None = None) -> list[Shortage]:
    """The parts of a filed service report leave the technician's van (called by the report
    submit, in its transaction)."""
    wo = report.work_order
    if wo.technician_id is None:
        return []
    wanted = [(line.part, line.quantity) for line in report.parts.select_related("part")]
    return consume(
        actor=actor,
        technician=wo.technician,
        wanted=wanted,
        reference=wo.ticket.number,
        source_key=f"service_report:{report.pk}",
        reason=Said("服务报告用料（%(number)s）", number=wo.ticket.number),
        now=now,
    )


@transaction.atomic
def replenish(*, actor: Any, shortage: Shortage | int, now: dt.datetime | None = None) -> Shortage:
    """Post the proposed replenishment: a transfer of the missing quantity from the proposed
    store to the technician's van."""
    now = now or timezone.now()
    pk = shortage.pk if isinstance(shortage, Shortage) else int(shortage)
    try:
        found = get_visible(Shortage.objects.select_for_update(), actor, pk=pk)
    except NotFound as exc:
        raise NotFound("缺料记录不存在或无权查看") from exc
    if not actor.has_perm("stock.add_movement"):
        raise PermissionDenied("无权办理补货调拨")
    if found.state != ShortageState.OPEN:
        raise Conflict("该缺料已补货", code="already_replenished")
    van = found.van or van_of(found.technician)
    if van is None:
        raise Conflict("该工程师没有车载库，无法补货", code="no_van")
    source = found.proposed_from or propose_source(van, found.part, found.short)
    if source is None:
        raise Conflict("没有可补货的仓库", code="no_source")
    moved = movements.transfer(
        actor=actor,
        from_warehouse_id=source.pk,
        to_warehouse_id=van.pk,
        lines=[movements.OutLine(found.short, found.part_id)],
        reason="缺料补货",
        reference=found.reference,
        now=now,
    )
    before = found.state
    Shortage.objects.filter(pk=found.pk).update(
        state=ShortageState.REPLENISHED, replenishment=moved, van=van, updated_at=now
    )
    found.refresh_from_db()
    audit.record(
        found,
        actor=actor,
        action="transition",
        verb="stock_replenished",
        from_state=before,
        to_state=found.state,
        payload={"movement": moved.number},
        at=now,
    )
    return found
