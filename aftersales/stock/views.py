"""Stock screens: stock by location (with units and value), warehouses, movement documents
and their detail. Company staff see every store; a technician sees his van; others 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from aftersales.approvals import selectors as approval_selectors
from aftersales.approvals.web import post, run
from aftersales.core import limits
from aftersales.core.errors import NotFound
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.parts.views.common import is_staff
from aftersales.stock import selectors
from aftersales.stock.models import (
    CountState,
    LoanerState,
    MovementKind,
    ShortageState,
    WarehouseKind,
)
from aftersales.stock.services import consumption, counts, flags, loaners


def _may_see(user: Any) -> None:
    if not (is_staff(user) or (user.org_kind == "company" and "technician" in user.role_codes)):
        raise Http404("库存仅对公司员工可见")


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or 0 < number <= limits.INT_MAX else None


def _query(request: HttpRequest) -> str:
    return urlencode({k: v for k, v in request.GET.items() if k != "page" and v})


@login_required
def stock_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    g = request.GET
    f = selectors.LevelFilters(
        warehouse_id=_int(g.get("warehouse_id")),
        part_id=_int(g.get("part_id")),
        bin_id=_int(g.get("bin_id")),
        kind=g.get("kind") if g.get("kind") in WarehouseKind.values else None,
        q=(g.get("q") or "").strip()[:50] or None,
    )
    qs = selectors.levels(request.user, f)
    # the page's ids first (a narrow sort across the joins), then those rows in full
    page = Paginator(qs.values_list("pk", flat=True), 50).get_page(g.get("page"))
    rows = selectors.levels_by_ids(list(page.object_list))
    page.object_list = rows  # type: ignore[assignment]
    flags.flags_for_levels(rows)
    return render(
        request,
        "stock/list.html",
        {
            "page": page,
            "f": f,
            "totals": selectors.totals(qs),
            "query": _query(request),
            "warehouses": selectors.warehouses(request.user),
            "kinds": translated(WarehouseKind.choices),
            "bin": selectors.bins(request.user).filter(pk=f.bin_id).first() if f.bin_id else None,
            "part": _part(f.part_id),
        },
    )


def _part(pk: int | None) -> Any:
    """The part of a stock-by-part page (the part master is company data, seen by all who
    may see stock); None without one or for an unknown id (the page then lists nothing)."""
    from aftersales.catalog.models import Part

    return Part.objects.filter(pk=pk).only("code", "name", "unit").first() if pk else None


MAX_LABELS = 200


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """库存看板: stock value by location, slow movers, the loaner pool (ECharts)."""
    _may_see(request.user)
    from django.utils.translation import gettext as _

    from aftersales.stock import dashboard as board

    titles = {
        "places": _("各仓库库存金额"),
        "slow": _("呆滞库存金额"),
        "red": _("红色预警金额前十配件"),
        "pool": _("备用机状态"),
    }
    return render(
        request, "stock/dashboard.html", {"f": board.figures(request.user), "titles": titles}
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Everything the user may see of the stock, one sheet per kind of record."""
    _may_see(request.user)
    from aftersales.core.exports import download
    from aftersales.stock import spreadsheets

    day = timezone.localdate().strftime("%Y%m%d")
    return download(spreadsheets.export_all(request.user), Said("库存导出%(day)s.xlsx", day=day))


@login_required
def opening_import(request: HttpRequest) -> HttpResponse:
    """期初库存导入: GET the form (and ``?template=1`` the sheet to fill), POST the file."""
    _may_see(request.user)
    from aftersales.core.exports import download
    from aftersales.stock import spreadsheets

    if request.GET.get("template") == "1":
        return download(spreadsheets.template(), "期初库存导入模板.xlsx")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的Excel文件")
        else:
            done = run(
                request,
                lambda: spreadsheets.import_opening(actor=request.user, fileobj=upload),
                lambda docs: Said(
                    "已导入期初库存：%(docs)s 张入库单，%(sum)s 行",
                    docs=len(docs),
                    sum=sum(d.lines.count() for d in docs),
                ),
            )
            if done is not None:
                return redirect("stock:movements")
    return render(request, "stock/import.html", {"headers": spreadsheets.HEADERS})


@login_required
def bin_labels(request: HttpRequest) -> HttpResponse:
    """库位标签: an A4 sheet of the bins of a warehouse (``?warehouse_id=``, optionally
    ``&id=…`` for some of them), each with a QR code that opens what lies at the bin."""
    _may_see(request.user)
    from django.urls import reverse
    from django.utils.safestring import mark_safe

    from aftersales.service.views.public import qr_svg

    warehouse_id = _int(request.GET.get("warehouse_id"))
    if warehouse_id is None:
        raise Http404("请选择仓库")
    try:
        wh = selectors.warehouse(request.user, warehouse_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    qs = selectors.bins(request.user, wh.pk)
    ids = [int(v) for v in request.GET.getlist("id") if v.strip().isdigit()][:MAX_LABELS]
    if ids:
        qs = qs.filter(pk__in=ids)
    found = list(qs[: MAX_LABELS + 1])
    labels = []
    for b in found[:MAX_LABELS]:
        url = request.build_absolute_uri(f"{reverse('stock:list')}?bin_id={b.pk}")
        labels.append({"bin": b, "url": url, "svg": mark_safe(qr_svg(url, scale=4))})
    return render(
        request,
        "stock/bin_labels.html",
        {"wh": wh, "labels": labels, "truncated": len(found) > MAX_LABELS, "max": MAX_LABELS},
    )


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    g = request.GET
    f = selectors.MovementFilters(
        kind=g.get("kind") if g.get("kind") in MovementKind.values else None,
        warehouse_id=_int(g.get("warehouse_id")),
        part_id=_int(g.get("part_id")),
        lot_id=_int(g.get("lot_id")),
        q=(g.get("q") or "").strip()[:50] or None,
    )
    page = Paginator(selectors.movements(request.user, f), 30).get_page(g.get("page"))
    return render(
        request,
        "stock/movements.html",
        {
            "page": page,
            "f": f,
            "query": _query(request),
            "warehouses": selectors.warehouses(request.user),
            "kinds": translated(MovementKind.choices),
        },
    )


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    try:
        doc = selectors.movement(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    lines = list(doc.lines.all())
    return render(
        request,
        "stock/movement.html",
        {"m": doc, "lines": lines, "total": sum((ln.amount for ln in lines), start=0)},
    )


@login_required
def shortage_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    state = request.GET.get("state") or "open"
    if state not in ("open", "all", *ShortageState.values):
        state = "open"
    page = Paginator(selectors.shortages(request.user, state), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "stock/shortages.html",
        {
            "page": page,
            "state": state,
            "states": [("open", _("待补货")), ("all", _("全部")), ("replenished", _("已补货"))],
            "query": _query(request),
            "may_replenish": request.user.has_perm("stock.add_movement"),
        },
    )


@login_required
@require_POST
def shortage_replenish(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: consumption.replenish(actor=request.user, shortage=pk),
        lambda s: Said("已补货：调拨单 %(number)s", number=s.replenishment.number),
    )
    return redirect("stock:shortages")


LOAN_VIEWS = [
    ("open", _("借出中")),
    ("overdue", _("逾期未还")),
    ("returned", _("已归还")),
    ("all", _("全部")),
]


@login_required
def loaner_board(request: HttpRequest) -> HttpResponse:
    """备用机看板: the pool by state and the loans (open, overdue…), lend / take back /
    inspect / repaired from one page."""
    _may_see(request.user)
    g = request.GET
    f = selectors.LoanerFilters(
        state=g.get("state") if g.get("state") in LoanerState.values else None,
        q=(g.get("q") or "").strip()[:50] or None,
    )
    which = str(g.get("which")) if g.get("which") in dict(LOAN_VIEWS) else "open"
    units = selectors.loaner_units(request.user, f)
    counts = dict(
        units.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    page = Paginator(selectors.loans(request.user, which=which), 30).get_page(g.get("page"))
    may_lend = request.user.has_perm("stock.add_loan")
    return render(
        request,
        "stock/loaners.html",
        {
            "units": units,
            "f": f,
            "states": [
                (v, label, counts.get(v, 0)) for v, label in translated(LoanerState.choices)
            ],
            "which": which,
            "loan_views": LOAN_VIEWS,
            "page": page,
            "query": _query(request),
            "may_lend": may_lend,
            "available": [u for u in units if u.state == LoanerState.AVAILABLE] if may_lend else [],
            "today": timezone.localdate(),
        },
    )


def _ticket_id(request: HttpRequest, number: str) -> int | None:
    from aftersales.service.models import Ticket

    found = visible(Ticket, request.user).filter(number=number[:20]).values_list("pk", flat=True)
    return found.first()


@login_required
@require_POST
def loan_lend(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    number = post(request, "ticket")
    ticket_id = _ticket_id(request, number) if number else None
    if ticket_id is None:
        messages.error(request, "请填写您可查看的报修单号")
        return redirect("stock:loaners")
    run(
        request,
        lambda: loaners.lend(
            actor=request.user,
            unit_id=_int(post(request, "unit")) or 0,
            ticket_id=ticket_id,
            signed_by=post(request, "signed_by"),
            due_back=post(request, "due_back"),
        ),
        lambda loan: Said(
            "已借出 %(code)s：借用单 %(number)s", code=loan.unit.code, number=loan.number
        ),
    )
    return redirect("stock:loaners")


@login_required
@require_POST
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: loaners.take_back(actor=request.user, loan=pk),
        lambda loan: Said("已收回 %(code)s，请检验后再借出", code=loan.unit.code),
    )
    return redirect("stock:loaners")


@login_required
@require_POST
def loan_inspect(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    ok = post(request, "result") == "ok"
    run(
        request,
        lambda: loaners.inspect(actor=request.user, loan=pk, ok=ok, note=post(request, "note")),
        lambda loan: (
            Said("%(code)s 检验合格，可再借出", code=loan.unit.code)
            if ok
            else Said("%(code)s 检验不合格，已转维修", code=loan.unit.code)
        ),
    )
    return redirect("stock:loaners")


@login_required
@require_POST
def loaner_repaired(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: loaners.repaired(actor=request.user, unit=pk),
        lambda u: Said("%(code)s 已修复，可借用", code=u.code),
    )
    return redirect("stock:loaners")


COUNT_VIEWS = [("open", _("进行中")), ("posted", _("已过账")), ("all", _("全部"))]


@login_required
def count_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    g = request.GET
    which = str(g.get("state")) if g.get("state") in dict(COUNT_VIEWS) else "open"
    qs = selectors.counts(
        request.user,
        warehouse_id=_int(g.get("warehouse_id")),
        state=None if which == "all" else which,
    )
    page = Paginator(qs, 30).get_page(g.get("page"))
    return render(
        request,
        "stock/counts.html",
        {
            "page": page,
            "which": which,
            "views": COUNT_VIEWS,
            "query": _query(request),
            "warehouses": selectors.warehouses(request.user),
            "month": selectors.month_counts(request.user),
        },
    )


@login_required
@require_POST
def count_open(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    done = run(
        request,
        lambda: counts.open_count(
            actor=request.user,
            warehouse_id=_int(post(request, "warehouse_id")) or 0,
            note=post(request, "note"),
        ),
        lambda c: Said("已发起盘点 %(number)s", number=c.number),
    )
    return redirect("stock:count", done.pk) if done else redirect("stock:counts")


@login_required
def count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    try:
        found, rows = selectors.count_sheet(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    counted = sum(1 for r in rows if r.counted is not None)
    diff = [r for r in rows if r.variance]
    return render(
        request,
        "stock/count.html",
        {
            "c": found,
            "rows": rows,
            "counted": counted,
            "diff": diff,
            "diff_value": sum((r.variance_value or 0 for r in diff), start=Decimal("0.00")),
            "blind": found.state == CountState.COUNTING,
            "approvals": approval_selectors.history(found),
            "my_task": approval_selectors.pending_task_for(found, request.user),
        },
    )


@login_required
@require_POST
def count_enter(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    entries = []
    for key, value in request.POST.items():
        if key.startswith("line_") and str(value).strip() != "":
            line_id = _int(key.removeprefix("line_"))
            if line_id:
                entries.append((line_id, str(value).strip()[:12]))
    run(
        request,
        lambda: counts.enter(actor=request.user, count=pk, entries=entries),
        Said("已保存 %(entries)s 行实盘数量", entries=len(entries)),
    )
    return redirect("stock:count", pk)


@login_required
@require_POST
def count_found(request: HttpRequest, pk: int) -> HttpResponse:
    """A part found that the sheet has no line for: part code, bin code, counted."""
    _may_see(request.user)
    run(
        request,
        lambda: counts.add_found(
            actor=request.user,
            count=pk,
            part_code=post(request, "part_code")[:30],
            bin_code=post(request, "bin_code")[:40],
            counted=post(request, "counted")[:12],
        ),
        lambda ln: Said(
            "已添加无账配件 %(code)s，实盘 %(counted)s", code=ln.level.part.code, counted=ln.counted
        ),
    )
    return redirect("stock:count", pk)


@login_required
@require_POST
def count_submit(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: counts.submit(actor=request.user, count=pk),
        lambda c: (
            "盘点无差异，已完成"
            if c.state == CountState.NO_VARIANCE
            else "已提交盘点差异审批，批准后过账调整"
        ),
    )
    return redirect("stock:count", pk)


@login_required
@require_POST
def count_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: counts.cancel(actor=request.user, count=pk, reason=post(request, "reason")),
        "盘点单已作废",
    )
    return redirect("stock:count", pk)


@login_required
def slow_list(request: HttpRequest) -> HttpResponse:
    """呆滞预警: stock by location and part, red then yellow, with the time since it last
    went out."""
    _may_see(request.user)
    g = request.GET
    colour = g.get("flag") if g.get("flag") in ("any", "yellow", "red", "all") else "any"
    rows = flags.slow_moving(
        request.user,
        warehouse_id=_int(g.get("warehouse_id")),
        flag=None if colour == "all" else colour,
    )
    page = Paginator(rows, 50).get_page(g.get("page"))
    pol = flags.policy()
    return render(
        request,
        "stock/slow.html",
        {
            "page": page,
            "colour": colour,
            "colours": [
                ("any", "全部预警"),
                ("red", "红色"),
                ("yellow", "黄色"),
                ("all", "全部库存"),
            ],
            "warehouse_id": _int(g.get("warehouse_id")),
            "warehouses": selectors.warehouses(request.user),
            "policy": pol,
            "query": _query(request),
        },
    )


@login_required
def minimum_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    proposals = flags.below_minimum(
        request.user, warehouse_id=_int(request.GET.get("warehouse_id"))
    )
    return render(
        request,
        "stock/minimums.html",
        {
            "proposals": proposals,
            "rules": selectors.minimums(request.user),
            "warehouses": selectors.warehouses(request.user),
            "may_replenish": request.user.has_perm("stock.add_movement"),
        },
    )


@login_required
@require_POST
def minimum_replenish(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: flags.replenish_minimum(actor=request.user, rule=pk),
        lambda doc: Said("已补货：调拨单 %(number)s", number=doc.number),
    )
    return redirect("stock:minimums")


@login_required
def pick_list(request: HttpRequest, pk: int) -> HttpResponse:
    """拣货单: printable, bins in walking order."""
    _may_see(request.user)
    try:
        doc, lines = selectors.pick_list(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "stock/pick.html",
        {"m": doc, "lines": lines, "units": sum(abs(ln.quantity) for ln in lines)},
    )
