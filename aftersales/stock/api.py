"""REST API of the stock: warehouses and bins (master data), stock by location, movement
documents. Thin endpoints: each posts through one movement service or reads one selector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from aftersales.core.crud import Page, register_crud
from aftersales.core.errors import PermissionDenied
from aftersales.stock import api_schemas as sch
from aftersales.stock import selectors
from aftersales.stock.api_schemas import (
    LoanerRetireIn,
    LoanerUnitOut,
    LoanIn,
    LoanInspectIn,
    LoanOut,
    MinStockProposalOut,
    SlowMovingOut,
    StockAdjustIn,
    StockCountCancelIn,
    StockCountDetailOut,
    StockCountEntriesIn,
    StockCountFoundIn,
    StockCountIn,
    StockCountOut,
    StockIssueIn,
    StockLevelOut,
    StockMovementDetailOut,
    StockMovementOut,
    StockReceiptIn,
    StockScrapIn,
    StockShortageOut,
    StockTechReturnIn,
    StockTotalsOut,
    StockTransferIn,
)
from aftersales.stock.models import Bin, LoanerUnit, MinStock, Movement, Warehouse
from aftersales.stock.services import consumption, counts, flags, loaners
from aftersales.stock.services import movements as mv

router = Router(tags=["库存"])

# master data of the stock: model, path, the prefix of its schemas, searched columns
for model, path, schemas, search in (
    (Warehouse, "warehouses", "Warehouse", ["code", "name"]),
    (LoanerUnit, "loaners", "LoanerUnit", ["code", "serial_no"]),
    (MinStock, "minimums", "MinStock", ["part__code"]),
    (Bin, "bins", "StockBin", ["code"]),
):
    register_crud(
        router,
        model=model,
        path=f"stock/{path}",
        out=getattr(sch, f"{schemas}Out"),
        create=getattr(sch, f"{schemas}In"),
        update=getattr(sch, f"{schemas}Patch"),
        filters=getattr(sch, f"{schemas}Filter"),
        search=search,
    )


def _levels(request: HttpRequest, **f: Any) -> Any:
    return selectors.levels(request.user, selectors.LevelFilters(**f))


@router.get("/stock/levels", response=list[StockLevelOut], summary="库存（按仓库/配件/库位/批次）")
@paginate(Page)
def list_levels(
    request: HttpRequest,
    warehouse_id: int | None = None,
    part_id: int | None = None,
    bin_id: int | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> Any:
    return _levels(
        request, warehouse_id=warehouse_id, part_id=part_id, bin_id=bin_id, kind=kind, q=q
    )


@router.get("/stock/totals", response=StockTotalsOut, summary="库存数量与金额合计")
def stock_totals(
    request: HttpRequest,
    warehouse_id: int | None = None,
    part_id: int | None = None,
    bin_id: int | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> Any:
    f = {"warehouse_id": warehouse_id, "part_id": part_id, "bin_id": bin_id, "kind": kind, "q": q}
    return selectors.totals(_levels(request, **f))


@router.get("/stock/movements", response=list[StockMovementOut], summary="库存单据列表")
@paginate(Page)
def list_movements(
    request: HttpRequest,
    kind: str | None = None,
    warehouse_id: int | None = None,
    part_id: int | None = None,
    lot_id: int | None = None,
    q: str | None = None,
) -> Any:
    return selectors.movements(
        request.user,
        selectors.MovementFilters(
            kind=kind, warehouse_id=warehouse_id, part_id=part_id, lot_id=lot_id, q=q
        ),
    )


@router.get("/stock/movements/{int:pk}", response=StockMovementDetailOut, summary="库存单据详情")
def get_movement(request: HttpRequest, pk: int) -> Any:
    return selectors.movement(request.user, pk)


def _done(request: HttpRequest, doc: Movement) -> tuple[int, Movement]:
    return 201, selectors.movement(request.user, doc.pk)


def _out_lines(payload: Any) -> list[mv.OutLine]:
    return [mv.OutLine(**ln.dict()) for ln in payload.lines]


@router.post("/stock/receipts", response={201: StockMovementDetailOut}, summary="入库")
def post_receipt(request: HttpRequest, payload: StockReceiptIn) -> Any:
    data = payload.dict()
    lines = [mv.ReceiptLine(**ln) for ln in data.pop("lines")]
    return _done(request, mv.receive(actor=request.user, lines=lines, **data))


def _post_out(request: HttpRequest, payload: Any, service: Any) -> tuple[int, Movement]:
    data = payload.dict(exclude={"lines"})
    return _done(request, service(actor=request.user, lines=_out_lines(payload), **data))


@router.post("/stock/issues", response={201: StockMovementDetailOut}, summary="出库（先进先出）")
def post_issue(request: HttpRequest, payload: StockIssueIn) -> Any:
    return _post_out(request, payload, mv.issue)


@router.post("/stock/transfers", response={201: StockMovementDetailOut}, summary="调拨")
def post_transfer(request: HttpRequest, payload: StockTransferIn) -> Any:
    return _post_out(request, payload, mv.transfer)


@router.post("/stock/tech-returns", response={201: StockMovementDetailOut}, summary="工程师退库")
def post_tech_return(request: HttpRequest, payload: StockTechReturnIn) -> Any:
    return _post_out(request, payload, mv.tech_return)


@router.post("/stock/scraps", response={201: StockMovementDetailOut}, summary="报废")
def post_scrap(request: HttpRequest, payload: StockScrapIn) -> Any:
    return _post_out(request, payload, mv.scrap)


@router.post("/stock/adjustments", response={201: StockMovementDetailOut}, summary="盘点调整")
def post_adjustment(request: HttpRequest, payload: StockAdjustIn) -> Any:
    data = payload.dict(exclude={"lines"})
    lines = [mv.CountLine(**ln.dict()) for ln in payload.lines]
    return _done(request, mv.adjust(actor=request.user, lines=lines, **data))


@router.get("/stock/shortages", response=list[StockShortageOut], summary="缺料记录（补货建议）")
@paginate(Page)
def list_shortages(request: HttpRequest, state: str | None = "open") -> Any:
    return selectors.shortages(request.user, state)


@router.post("/stock/shortages/{int:pk}/replenish", response=StockShortageOut, summary="按建议补货")
def replenish(request: HttpRequest, pk: int) -> Any:
    done = consumption.replenish(actor=request.user, shortage=pk)
    return selectors.shortages(request.user, "all").get(pk=done.pk)


@router.get(
    "/stock/loaners-for-ticket/{int:ticket_id}",
    response=list[LoanerUnitOut],
    summary="可借备用机（同产品线，就近优先）",
)
def loaners_for_ticket(request: HttpRequest, ticket_id: int) -> Any:
    if not request.user.has_perm("stock.view_loanerunit"):
        raise PermissionDenied("无权查看备用机")
    return loaners.offer(selectors.visible_ticket(request.user, ticket_id), limit=20)


@router.post("/stock/loaners/{int:pk}/repaired", response=LoanerUnitOut, summary="备用机修复可借")
def loaner_repaired(request: HttpRequest, pk: int) -> Any:
    return loaners.repaired(actor=request.user, unit=pk)


@router.post("/stock/loaners/{int:pk}/retire", response=LoanerUnitOut, summary="备用机报废")
def loaner_retire(request: HttpRequest, pk: int, payload: LoanerRetireIn) -> Any:
    return loaners.retire(actor=request.user, unit=pk, reason=payload.reason)


@router.get("/stock/loans", response=list[LoanOut], summary="备用机借用记录")
@paginate(Page)
def list_loans(
    request: HttpRequest,
    which: str = "open",
    ticket_id: int | None = None,
    unit_id: int | None = None,
) -> Any:
    return selectors.loans(request.user, which=which, ticket_id=ticket_id, unit_id=unit_id)


@router.get("/stock/loans/{int:pk}", response=LoanOut, summary="借用记录详情")
def get_loan(request: HttpRequest, pk: int) -> Any:
    return selectors.loan(request.user, pk)


@router.post("/stock/loans", response={201: LoanOut}, summary="借出备用机（客户签收）")
def lend(request: HttpRequest, payload: LoanIn) -> Any:
    done = loaners.lend(actor=request.user, **payload.dict())
    return 201, selectors.loan(request.user, done.pk)


@router.post("/stock/loans/{int:pk}/return", response=LoanOut, summary="收回备用机（待检验）")
def take_back(request: HttpRequest, pk: int) -> Any:
    loaners.take_back(actor=request.user, loan=pk)
    return selectors.loan(request.user, pk)


@router.post("/stock/loans/{int:pk}/inspect", response=LoanOut, summary="归还检验")
def inspect(request: HttpRequest, pk: int, payload: LoanInspectIn) -> Any:
    loaners.inspect(actor=request.user, loan=pk, ok=payload.ok, note=payload.note)
    return selectors.loan(request.user, pk)


def _count_detail(request: HttpRequest, pk: int) -> Any:
    found, rows = selectors.count_sheet(request.user, pk)
    found.sheet = rows  # type: ignore[attr-defined]
    return found


@router.get("/stock/counts", response=list[StockCountOut], summary="盘点单列表")
@paginate(Page)
def list_counts(
    request: HttpRequest, warehouse_id: int | None = None, state: str | None = None
) -> Any:
    return selectors.counts(request.user, warehouse_id=warehouse_id, state=state)


@router.get("/stock/counts/{int:pk}", response=StockCountDetailOut, summary="盘点单（盲盘）")
def get_count(request: HttpRequest, pk: int) -> Any:
    return _count_detail(request, pk)


@router.post("/stock/counts", response={201: StockCountDetailOut}, summary="发起盘点")
def open_count(request: HttpRequest, payload: StockCountIn) -> Any:
    done = counts.open_count(actor=request.user, **payload.dict())
    return 201, _count_detail(request, done.pk)


@router.post("/stock/counts/{int:pk}/entries", response=StockCountDetailOut, summary="录入实盘数量")
def count_entries(request: HttpRequest, pk: int, payload: StockCountEntriesIn) -> Any:
    counts.enter(
        actor=request.user,
        count=pk,
        entries=[(e.line_id, e.counted) for e in payload.entries],
    )
    return _count_detail(request, pk)


@router.post(
    "/stock/counts/{int:pk}/found", response=StockCountDetailOut, summary="添加无账配件（盘盈）"
)
def count_found(request: HttpRequest, pk: int, payload: StockCountFoundIn) -> Any:
    counts.add_found(actor=request.user, count=pk, **payload.dict())
    return _count_detail(request, pk)


@router.post(
    "/stock/counts/{int:pk}/submit", response=StockCountDetailOut, summary="提交盘点差异审批"
)
def count_submit(request: HttpRequest, pk: int) -> Any:
    counts.submit(actor=request.user, count=pk)
    return _count_detail(request, pk)


@router.post("/stock/counts/{int:pk}/cancel", response=StockCountDetailOut, summary="作废盘点单")
def count_cancel(request: HttpRequest, pk: int, payload: StockCountCancelIn) -> Any:
    counts.cancel(actor=request.user, count=pk, reason=payload.reason)
    return _count_detail(request, pk)


@router.get("/stock/slow-moving", response=list[SlowMovingOut], summary="呆滞预警（黄色/红色）")
@paginate(Page)
def slow_moving(
    request: HttpRequest, warehouse_id: int | None = None, flag: str | None = "any"
) -> Any:
    rows = flags.slow_moving(request.user, warehouse_id=warehouse_id, flag=flag or None)
    return [
        {
            **vars(r),
            "warehouse_id": r.warehouse.pk,
            "warehouse": r.warehouse.name,
            "supply_text": r.supply_text,
            "supply_ended": r.supply_ended,
            "scrap_proposed": r.scrap_proposed,
        }
        for r in rows
    ]


@router.get(
    "/stock/minimum-proposals", response=list[MinStockProposalOut], summary="低于最低库存的补货建议"
)
def minimum_proposals(request: HttpRequest, warehouse_id: int | None = None) -> Any:
    return [
        {
            "rule_id": p.rule.pk,
            "warehouse_id": p.rule.warehouse_id,
            "warehouse": p.rule.warehouse.name,
            "part_id": p.rule.part_id,
            "part_code": p.rule.part.code,
            "min_qty": p.rule.min_qty,
            "reorder_to": p.rule.reorder_to,
            "on_hand": p.on_hand,
            "quantity": p.quantity,
            "source_id": p.source.pk if p.source else None,
            "action": p.action,
        }
        for p in flags.below_minimum(request.user, warehouse_id=warehouse_id)
    ]


@router.post(
    "/stock/minimums/{int:pk}/replenish",
    response={201: StockMovementDetailOut},
    summary="按最低库存建议补货（调拨）",
)
def minimum_replenish(request: HttpRequest, pk: int) -> Any:
    return _done(request, flags.replenish_minimum(actor=request.user, rule=pk))
