"""Stock that moves as a consequence of another document: an accepted parts-request receipt
check (SPEC §4.6) puts the request's parts into the after-sales store, once; an old part the
technical department judged reusable (§6.4) goes back into the store that received it, once;
loading the
request for shipment (§4.5, §4.9) takes them out of the store it ships from, once; a finished-goods
pack borrowed for a part that cannot ship in time (成品借用单, §4.4) leaves the finished-goods
store for the after-sales store's opened-pack area, and goes back after its QA pass with the
arrived part fitted into it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.catalog.models import Part
from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said
from aftersales.stock.models import Bin, LotSource, Movement, Warehouse, WarehouseKind
from aftersales.stock.services import movements


def _store(kind: str) -> Warehouse | None:
    found: Warehouse | None = (
        Warehouse.objects.filter(kind=kind, archived_at__isnull=True).order_by("code").first()
    )
    return found


def after_sales_store() -> Warehouse | None:
    return _store(WarehouseKind.MAIN)


def finished_goods_store() -> Warehouse | None:
    return _store(WarehouseKind.FINISHED)


def _bin_named(store: Warehouse, code: str) -> Bin | None:
    """The store's bin whose code is ``code`` (a receipt's storage area), if any."""
    if not code.strip():
        return None
    found: Bin | None = Bin.objects.filter(
        warehouse=store, code__iexact=code.strip(), archived_at=None
    ).first()
    return found


def parts_received(*, actor: Any, receipt: Any, now: dt.datetime) -> Movement | None:
    """Receive the lines of ``receipt``'s parts request into the after-sales store, at the
    bin whose code is the receipt's storage area when there is one; at the part's unit cost.
    Nothing when the company keeps no after-sales store in the system."""
    store = after_sales_store()
    if store is None:
        return None
    request = receipt.request
    bin_ = _bin_named(store, receipt.storage_location)
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


def old_part_reusable(
    *, actor: Any, old_part: Any, unit_cost: Any = None, now: dt.datetime
) -> Movement:
    """A returned old part appraised reusable (SPEC §6.4): received into the store (and bin)
    it was received at as a new lot of source 旧件鉴定可再用, at ``unit_cost`` (default the
    part's unit cost); exactly once per old part (source key ``old_part:<pk>``: a repeat, or
    a concurrent twin, returns the first movement). ``Conflict`` when the old part was never
    received at a store."""
    from aftersales.core.errors import Conflict

    key = f"old_part:{old_part.pk}"
    if (found := movements.existing(key)) is not None:
        return found
    if old_part.warehouse_id is None:
        raise Conflict("旧件没有接收仓库，不能回库")
    cost = unit_cost if unit_cost not in (None, "") else old_part.part.unit_cost or 0
    return movements.receive(
        actor=actor,
        warehouse_id=old_part.warehouse_id,
        lines=[
            movements.ReceiptLine(
                part_id=old_part.part_id,
                quantity=old_part.quantity,
                unit_cost=cost,
                bin_id=old_part.bin_id,
                received_at=now,
            )
        ],
        source=LotSource.REUSABLE,
        reason="旧件鉴定可再用",
        reference=old_part.number,
        source_key=key,
        check=False,
        now=now,
    )


def parts_shipped(*, actor: Any, request: Any, now: dt.datetime) -> Movement | None:
    """The shipped quantities of a parts request leave the store it ships from, once
    (source key ``parts_shipment:<request>``):

    - received at the after-sales store (in store after its receipt check): the very lots
      the receipt check put there (the parts labelled for this customer), from that store;
    - shipped straight from stock (成品仓发货): the request's lines from the finished-goods
      store, oldest lot first;
    - a request served by a borrowed finished-goods pack: nothing — the part shipped came
      out of the pack, which the borrowing moved, and the part that arrives later is fitted
      into the pack (``pack_returned``).

    ``InsufficientStock`` (库存不足, nothing taken) when the store does not hold them: the
    shipment is refused. Nothing when the company keeps no such store in the system, or the
    receipt check found none to receive into."""
    from aftersales.parts.models import PackBorrowing, PartsRequestState

    key = f"parts_shipment:{request.pk}"
    if (found := movements.existing(key)) is not None:
        return found
    if PackBorrowing.objects.filter(request=request).exists():
        return None
    if request.state == PartsRequestState.STOCK_SHIPMENT:
        fg = finished_goods_store()
        if fg is None:
            return None
        warehouse_id = fg.pk
        lines = [
            movements.OutLine(line.quantity, line.part_id) for line in request.lines.order_by("id")
        ]
    else:
        received = list(
            Movement.objects.filter(
                source_key__in=[
                    f"parts_receipt:{pk}"
                    for pk in request.receipts.filter(accepted=True).values_list("pk", flat=True)
                ],
                to_warehouse__isnull=False,
            ).prefetch_related("lines")
        )
        if not received:
            return None
        to_warehouse_id = received[0].to_warehouse_id
        if to_warehouse_id is None:
            return None
        warehouse_id = to_warehouse_id
        lines = [
            movements.OutLine(ln.quantity, ln.part_id, lot_id=ln.lot_id)
            for mv in received
            for ln in mv.lines.all()
        ]
    if not lines:
        return None
    return movements.issue(
        actor=actor,
        warehouse_id=warehouse_id,
        lines=lines,
        reason="补件装车发货",
        reference=request.number,
        source_key=key,
        check=False,
        now=now,
    )


def _key(borrowing: Any, step: str) -> str:
    return f"pack_borrowing:{borrowing.pk}:{step}"


def pack_borrowed(*, actor: Any, borrowing: Any, now: dt.datetime) -> Movement | None:
    """The borrowed pack (its code is an item of the part master) moves from the
    finished-goods store to the after-sales store, at the bin named by the opened-pack area
    when there is one; oldest lot first. ``InsufficientStock`` when the finished-goods store
    does not hold it (the borrowing is refused). Nothing when the company keeps no
    finished-goods or after-sales store in the system."""
    fg, store = finished_goods_store(), after_sales_store()
    if fg is None or store is None:
        return None
    code = borrowing.pack_code.strip()
    pack = Part.objects.filter(code__iexact=code, archived_at__isnull=True).first()
    if pack is None:
        raise ValidationFailed(
            Said(
                "成品包编号「%(code)s」不在物料档案中，无法从%(name)s借出", code=code, name=fg.name
            ),
            field="pack_code",
        )
    bin_ = _bin_named(store, borrowing.storage_area)
    return movements.transfer(
        actor=actor,
        from_warehouse_id=fg.pk,
        to_warehouse_id=store.pk,
        lines=[movements.OutLine(1, pack.pk, to_bin_id=bin_.pk if bin_ else None)],
        reason="成品借用（拆包）",
        reference=borrowing.number,
        source_key=_key(borrowing, "out"),
        check=False,
        now=now,
    )


def pack_returned(*, actor: Any, borrowing: Any, now: dt.datetime) -> list[Movement]:
    """After the QA pass: the very lot lent goes back to the finished-goods store, and the
    part that arrived for the request (received into the after-sales store since the
    borrowing) leaves the store fitted into the pack. Each posted once; nothing when the
    pack never left the finished-goods store in the books."""
    out = movements.existing(_key(borrowing, "out"))
    if out is None or out.from_warehouse_id is None or out.to_warehouse_id is None:
        return []
    lent = list(out.lines.all())
    back = movements.transfer(
        actor=actor,
        from_warehouse_id=out.to_warehouse_id,
        to_warehouse_id=out.from_warehouse_id,
        lines=[
            movements.OutLine(ln.quantity, ln.part_id, lot_id=ln.lot_id, from_bin_id=ln.to_bin_id)
            for ln in lent
        ],
        reason="成品包QA检验合格，归还成品仓",
        reference=borrowing.number,
        source_key=_key(borrowing, "back"),
        check=False,
        now=now,
    )
    receipts = borrowing.request.receipts.filter(
        accepted=True, checked_at__gte=borrowing.borrowed_at
    ).values_list("pk", flat=True)
    arrived = [
        ln
        for mv in Movement.objects.filter(
            source_key__in=[f"parts_receipt:{pk}" for pk in receipts],
            to_warehouse_id=out.to_warehouse_id,
        ).prefetch_related("lines")
        for ln in mv.lines.all()
    ]
    if not arrived:
        return [back]
    fitted = movements.issue(
        actor=actor,
        warehouse_id=out.to_warehouse_id,
        lines=[
            movements.OutLine(ln.quantity, ln.part_id, lot_id=ln.lot_id, from_bin_id=ln.to_bin_id)
            for ln in arrived
        ],
        reason="到货补件装回借用的成品包",
        reference=borrowing.number,
        source_key=_key(borrowing, "fitted"),
        check=False,
        now=now,
    )
    return [back, fitted]
