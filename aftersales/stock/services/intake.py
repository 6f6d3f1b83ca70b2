"""Stock that comes in as a consequence of another document: an accepted parts-request
receipt check (SPEC §4.6) puts the request's parts into the after-sales store, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.stock.models import Bin, LotSource, Movement, Warehouse, WarehouseKind
from aftersales.stock.services import movements


def after_sales_store() -> Warehouse | None:
    found: Warehouse | None = (
        Warehouse.objects.filter(kind=WarehouseKind.MAIN, archived_at__isnull=True)
        .order_by("code")
        .first()
    )
    return found


def parts_received(*, actor: Any, receipt: Any, now: dt.datetime) -> Movement | None:
    """Receive the lines of ``receipt``'s parts request into the after-sales store, at the
    bin whose code is the receipt's storage area when there is one; at the part's unit cost.
    Nothing when the company keeps no after-sales store in the system."""
    store = after_sales_store()
    if store is None:
        return None
    request = receipt.request
    bin_ = (
        Bin.objects.filter(
            warehouse=store, code__iexact=receipt.storage_location.strip(), archived_at=None
        ).first()
        if receipt.storage_location.strip()
        else None
    )
    lines = [
        movements.ReceiptLine(
            part_id=line.part_id,
            quantity=line.quantity,
            unit_cost=line.part.unit_cost or 0,
            bin_id=bin_.pk if bin_ else None,
            received_at=now,
        )
        for line in request.lines.select_related("part").order_by("id")
    ]
    if not lines:
        return None
    return movements.receive(
        actor=actor,
        warehouse_id=store.pk,
        lines=lines,
        source=LotSource.PARTS_RECEIPT,
        reason="补件入库检查合格",
        reference=request.number,
        source_key=f"parts_receipt:{receipt.pk}",
        check=False,
        now=now,
    )
