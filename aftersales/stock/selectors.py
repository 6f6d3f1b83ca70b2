"""Reads of the stock domain, all starting from the user's visible rows (company staff see
every store, a technician his van, dealers and customers nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from aftersales.core.errors import NotFound
from aftersales.core.visibility import get_visible, visible
from aftersales.stock.models import (
    OPEN_STATES,
    Bin,
    CountState,
    Loan,
    LoanerUnit,
    Lot,
    MinStock,
    Movement,
    MovementLine,
    Shortage,
    StockCount,
    StockLevel,
    Warehouse,
)

VALUE = ExpressionWrapper(
    F("quantity") * F("lot__unit_cost"), output_field=DecimalField(max_digits=16, decimal_places=2)
)


@dataclass
class LevelFilters:
    warehouse_id: int | None = None
    part_id: int | None = None
    bin_id: int | None = None
    kind: str | None = None  # warehouse kind
    q: str | None = None  # part code / name / initials
    include_empty: bool = False


@dataclass
class MovementFilters:
    kind: str | None = None
    warehouse_id: int | None = None
    part_id: int | None = None
    lot_id: int | None = None
    q: str | None = None  # number, reference, reason


def warehouses(user: Any) -> QuerySet[Warehouse]:
    return (
        visible(Warehouse, user)
        .filter(archived_at__isnull=True)
        .select_related("region", "technician")
    )


def warehouse(user: Any, pk: int) -> Warehouse:
    try:
        found: Warehouse = get_visible(
            Warehouse.objects.select_related("region", "technician"), user, pk=pk
        )
    except NotFound as exc:
        raise NotFound("仓库不存在或无权查看") from exc
    return found


def levels(user: Any, f: LevelFilters) -> QuerySet[StockLevel]:
    """Stock by location: one row per lot at a bin, oldest lot first within a part."""
    qs = visible(StockLevel, user)
    if not f.include_empty:
        qs = qs.filter(quantity__gt=0)
    if f.warehouse_id:
        qs = qs.filter(warehouse_id=f.warehouse_id)
    if f.part_id:
        qs = qs.filter(part_id=f.part_id)
    if f.bin_id:
        qs = qs.filter(bin_id=f.bin_id)
    if f.kind:
        qs = qs.filter(warehouse__kind=f.kind)
    if f.q:
        qs = qs.filter(_matching(f.q.strip()))
    # the row's value is StockLevel.value (quantity × its lot's cost, the lot read with it):
    # no annotation, so the page's count reads the stock rows alone
    return qs.select_related("warehouse", "bin", "part", "lot").order_by(
        "warehouse__kind", "warehouse__code", "part__code", "lot__received_at", "id"
    )


def levels_by_ids(ids: list[int]) -> list[StockLevel]:
    """The stock rows of ``ids`` (already chosen from the user's ``levels``), in that order,
    with their location, bin, part and lot. A page sorts its ids alone first: sorting every
    row with all the columns of five tables had made the unfiltered first page 3× slower."""
    found = StockLevel.objects.select_related("warehouse", "bin", "part", "lot").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


SEARCH_IDS = 500  # beyond this many matching parts (or lots) the match stays a subquery


def _matching(term: str) -> Q:
    """The rows of the parts whose code, name or initials contain ``term`` and of the lots
    whose number does. The parts and lots are looked up once, first (trigram indexes), and
    the page, its count and its totals then read the rows of those ids by index — an OR of
    ``icontains`` across the joined part and lot columns had scanned every stock row three
    times per page."""
    from aftersales.catalog.models import Part

    # one query per column, united: each uses its trigram index (an OR of the three made
    # PostgreSQL scan the part master instead)
    by_column = [
        Part.objects.filter(**{f"{col}__icontains": term}).order_by().values("pk")
        for col in ("code", "name", "name_initials")
    ]
    parts = by_column[0].union(*by_column[1:])
    lots = Lot.objects.filter(number__icontains=term).order_by().values("pk")
    found = Q()
    for field, qs in (("part_id", parts), ("lot_id", lots)):
        ids = [row["pk"] for row in qs[: SEARCH_IDS + 1]]
        if len(ids) > SEARCH_IDS:
            found |= Q(**{f"{field}__in": qs})
        elif ids:
            found |= Q(**{f"{field}__in": ids})
    return found or Q(pk__in=[])


def totals(qs: QuerySet[StockLevel]) -> dict[str, Any]:
    """Units and stock value (Σ quantity × lot cost) of a ``levels`` query."""
    got = qs.order_by().aggregate(
        units=Coalesce(Sum("quantity"), 0),
        value=Coalesce(Sum(VALUE), Decimal("0.00"), output_field=DecimalField()),
    )
    return {"units": got["units"], "value": Decimal(got["value"]).quantize(Decimal("0.01"))}


def movements(user: Any, f: MovementFilters) -> QuerySet[Movement]:
    qs = visible(Movement, user).filter(archived_at__isnull=True)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.warehouse_id:
        qs = qs.filter(Q(from_warehouse_id=f.warehouse_id) | Q(to_warehouse_id=f.warehouse_id))
    if f.part_id:
        qs = qs.filter(pk__in=MovementLine.objects.filter(part_id=f.part_id).values("movement_id"))
    if f.lot_id:
        qs = qs.filter(pk__in=MovementLine.objects.filter(lot_id=f.lot_id).values("movement_id"))
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term) | Q(reference__icontains=term) | Q(reason__icontains=term)
        )
    return qs.select_related("from_warehouse", "to_warehouse", "posted_by").order_by(
        "-posted_at", "-id"
    )


def movement(user: Any, pk: int, *, with_lines: bool = True) -> Movement:
    qs = Movement.objects.select_related("from_warehouse", "to_warehouse", "posted_by")
    if with_lines:
        qs = qs.prefetch_related("lines__part", "lines__lot", "lines__from_bin", "lines__to_bin")
    try:
        found: Movement = get_visible(qs, user, pk=pk)
    except NotFound as exc:
        raise NotFound("库存单据不存在或无权查看") from exc
    return found


def shortages(user: Any, state: str | None = "open") -> QuerySet[Shortage]:
    qs = visible(Shortage, user).filter(archived_at__isnull=True)
    if state and state != "all":
        qs = qs.filter(state=state)
    return qs.select_related("technician", "van", "part", "proposed_from", "replenishment")


@dataclass
class LoanerFilters:
    state: str | None = None
    category_id: int | None = None
    warehouse_id: int | None = None
    q: str | None = None  # code / serial


def loaner_units(user: Any, f: LoanerFilters) -> QuerySet[LoanerUnit]:
    qs = visible(LoanerUnit, user).filter(archived_at__isnull=True)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.category_id:
        qs = qs.filter(category_id=f.category_id)
    if f.warehouse_id:
        qs = qs.filter(warehouse_id=f.warehouse_id)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(code__icontains=term) | Q(serial_no__icontains=term))
    open_loans = visible(Loan, user).filter(returned_at__isnull=True).select_related("ticket")
    return (
        qs.select_related("category", "model", "warehouse")
        .prefetch_related(Prefetch("loans", queryset=open_loans, to_attr="open_loans"))
        .order_by("category__name", "code")
    )


def loans(
    user: Any, *, which: str = "open", ticket_id: int | None = None, unit_id: int | None = None
) -> QuerySet[Loan]:
    """``which``: open / overdue / returned (waiting for or past inspection) / all."""
    qs = visible(Loan, user).filter(archived_at__isnull=True)
    if which == "open":
        qs = qs.filter(returned_at__isnull=True)
    elif which == "overdue":
        qs = qs.filter(returned_at__isnull=True, due_back__lt=timezone.localdate())
    elif which == "returned":
        qs = qs.filter(returned_at__isnull=False)
    if ticket_id:
        qs = qs.filter(ticket_id=ticket_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("unit", "ticket", "lent_by", "returned_by")


def loan(user: Any, pk: int) -> Loan:
    try:
        found: Loan = get_visible(
            Loan.objects.select_related("unit", "ticket", "lent_by", "returned_by"), user, pk=pk
        )
    except NotFound as exc:
        raise NotFound("借用记录不存在或无权查看") from exc
    return found


def visible_ticket(user: Any, pk: int) -> Any:
    from aftersales.service.models import Ticket

    try:
        return get_visible(Ticket.objects.select_related("equipment__model", "site"), user, pk=pk)
    except NotFound as exc:
        raise NotFound("报修单不存在或无权查看") from exc


def counts(user: Any, *, warehouse_id: int | None = None, state: str | None = None) -> Any:
    qs = visible(StockCount, user).filter(archived_at__isnull=True)
    if warehouse_id:
        qs = qs.filter(warehouse_id=warehouse_id)
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    return qs.select_related("warehouse", "opened_by", "adjustment")


@dataclass
class SheetRow:
    """A count sheet line as shown: the book and the variance stay hidden while counting."""

    id: int
    bin: str | None
    part_code: str
    part_name: str
    unit: str
    lot_number: str
    lot_date: Any
    counted: int | None
    book: int | None
    variance: int | None
    variance_value: Decimal | None


def count_sheet(user: Any, pk: int) -> tuple[StockCount, list[SheetRow]]:
    from aftersales.stock.services.counts import sheet_lines

    try:
        found: StockCount = get_visible(
            StockCount.objects.select_related("warehouse", "opened_by", "adjustment"), user, pk=pk
        )
    except NotFound as exc:
        raise NotFound("盘点单不存在或无权查看") from exc
    blind = found.state == CountState.COUNTING
    rows = []
    for ln in sheet_lines(found):
        level = ln.level
        var = None if blind or ln.counted is None else ln.counted - ln.book
        rows.append(
            SheetRow(
                id=ln.pk,
                bin=level.bin.code if level.bin else None,
                part_code=level.part.code,
                part_name=level.part.name,
                unit=level.part.unit,
                lot_number=level.lot.number,
                lot_date=level.lot.received_at,
                counted=ln.counted,
                book=None if blind else ln.book,
                variance=var,
                variance_value=None
                if var is None
                else (var * level.lot.unit_cost).quantize(Decimal("0.01")),
            )
        )
    return found, rows


def minimums(user: Any) -> QuerySet[MinStock]:
    return (
        visible(MinStock, user)
        .filter(archived_at__isnull=True)
        .select_related("warehouse", "part")
        .order_by("warehouse__code", "part__code")
    )


PICKABLE = ("issue", "transfer", "scrap", "tech_return")


def pick_list(user: Any, pk: int) -> tuple[Movement, list[MovementLine]]:
    """An outgoing document's lines in walking order: zone, shelf, level of the bin they
    leave (lines without a bin last), then part and lot age."""
    doc = movement(user, pk, with_lines=False)  # the lines are read once, below, in order
    if doc.kind not in PICKABLE:
        raise NotFound("该单据没有拣货单")
    lines = list(
        doc.lines.select_related("part", "lot", "from_bin").order_by(
            F("from_bin__zone").asc(nulls_last=True),
            F("from_bin__shelf").asc(nulls_last=True),
            F("from_bin__level").asc(nulls_last=True),
            "part__code",
            "lot__received_at",
            "id",
        )
    )
    return doc, lines


def bins(user: Any, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """The visible bins in walking order (warehouse, zone, shelf, level)."""
    qs = visible(Bin, user).filter(archived_at__isnull=True, warehouse__archived_at=None)
    if warehouse_id:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs.select_related("warehouse").order_by(
        "warehouse__kind", "warehouse__code", "zone", "shelf", "level", "id"
    )


WALK = ("bin__zone", "bin__shelf", "bin__level")


def bins_holding(warehouse: Warehouse, part_ids: set[int]) -> dict[int, list[str]]:
    """Where each part lies in ``warehouse``: the codes of the bins holding it, the oldest
    lot's first (FIFO: where it is picked from), then in walking order."""
    out: dict[int, list[str]] = {}
    rows = (
        StockLevel.objects.filter(
            warehouse=warehouse, part_id__in=part_ids, quantity__gt=0, bin__isnull=False
        )
        .order_by("part_id", "lot__received_at", "lot_id", *WALK)
        .values_list("part_id", "bin__code")
    )
    for part_id, code in rows:
        if code not in out.setdefault(part_id, []):
            out[part_id].append(code)
    return out


@dataclass
class MonthCount:
    """A visible location's count deadline of this month, as the count list shows it."""

    warehouse: Warehouse
    due_at: Any
    done_at: Any
    status: str  # done / late_done / open / overdue


def month_counts(user: Any, now: Any = None) -> list[MonthCount]:
    """This month's count deadlines (``counts.monthly_deadlines``) of the locations the user
    sees, the open ones first, then by due time; cancelled ones (nothing to count) left out."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.approvals.models import Deadline
    from aftersales.stock.services.counts import month_step

    now = now or timezone.now()
    places = {w.pk: w for w in warehouses(user)}
    rows = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Warehouse),
        object_id__in=list(places),
        step=month_step(now),
        cancelled_at__isnull=True,
    ).order_by("due_at", "id")
    out = []
    for d in rows:
        if d.done_at is not None:
            status = "late_done" if d.done_at > d.due_at else "done"
        else:
            status = "overdue" if now > d.due_at else "open"
        out.append(MonthCount(places[d.object_id], d.due_at, d.done_at, status))
    return sorted(out, key=lambda r: (r.done_at is not None, r.due_at, r.warehouse.code))
