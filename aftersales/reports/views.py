"""The KPI board (/reports/): every registered panel with its chart, its table and its Excel
export, under one set of filters; the monthly packs' list, generation on demand and downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.models import Department
from aftersales.core.errors import DomainError, PermissionDenied
from aftersales.core.exports import content_disposition
from aftersales.core.i18n import translated
from aftersales.core.models import Region
from aftersales.customers.models import Customer
from aftersales.dealers.models import Dealer
from aftersales.installed_base.models import ProductCategory
from aftersales.reports import filters as rf
from aftersales.reports import registry, selectors
from aftersales.reports.models import MonthlyPack
from aftersales.reports.services import workbook


def _choices(user: Any) -> dict[str, Any]:
    return {
        "regions": Region.objects.active().order_by("code")
        if not getattr(user, "region_id", None)
        else Region.objects.filter(pk=user.region_id),
        "teams": Department.objects.active().order_by("code"),
        "categories": ProductCategory.objects.active().order_by("code"),
        "dealers": Dealer.objects.active().order_by("code")
        if user.org_kind != "dealer"
        else Dealer.objects.filter(pk=user.dealer_id),
        "tiers": translated(Customer.Tier.choices),
    }


def _refused(request: HttpRequest, exc: DomainError, raw: dict[str, str]) -> HttpResponse:
    status = exc.status
    ctx = {"error": _(exc.message) if exc.message else exc.message, "raw": raw, "results": []}
    if status == 403:
        return render(request, "reports/denied.html", ctx, status=403)
    ctx.update(_choices(request.user))
    return render(request, "reports/board.html", ctx, status=status)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    raw = {k: str(v)[:30] for k, v in request.GET.items()}
    try:
        f = rf.scoped(rf.parse(request.GET), request.user)
    except DomainError as exc:
        return _refused(request, exc, raw)
    only = request.GET.get("panel") or ""
    chosen = [p for p in registry.panels() if not only or p.key == only]
    results = [selectors.run(p, f, request.user) for p in chosen]
    ctx = {
        "f": f,
        "raw": raw,
        "query": urlencode(f.query()),
        "results": results,
        "charts": {r.panel.key: r.chart.as_dict() for r in results},
        "as_of": selectors.built_until(),
        **_choices(request.user),
    }
    return render(request, "reports/board.html", ctx)


@login_required
def export(request: HttpRequest, key: str) -> HttpResponse:
    panel = registry.get(key)
    if panel is None:
        raise Http404
    try:
        f = rf.scoped(rf.parse(request.GET), request.user)
    except DomainError as exc:
        return _refused(request, exc, {k: str(v)[:30] for k, v in request.GET.items()})
    result = selectors.run(panel, f, request.user)
    content = workbook.build([result], f)
    resp = HttpResponse(content, content_type=workbook.XLSX)
    resp["Content-Disposition"] = content_disposition(
        f"{panel.title}_{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx"
    )
    return resp


def _pack_viewer(user: Any) -> None:
    if not (rf.may_view(user) and user.org_kind == "company" and not user.region_id) and not (
        user.is_superuser
    ):
        raise PermissionDenied("无权查看月度报表包")


@login_required
def packs(request: HttpRequest) -> HttpResponse:
    try:
        _pack_viewer(request.user)
    except PermissionDenied as exc:
        return _refused(request, exc, {})
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "reports/packs.html",
        {
            "packs": MonthlyPack.objects.active().select_related("generated_by")[:60],
            "last_month": last_month,
        },
    )


@login_required
@require_POST
def pack_generate(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    from aftersales.reports import tasks

    try:
        _pack_viewer(request.user)
        f = rf.parse({"month": (request.POST.get("month") or "")[:7]})
    except DomainError as exc:
        messages.error(request, _(exc.message))
        return redirect("reports:packs")
    if f.start > timezone.localdate():
        messages.error(request, _("不能生成未来月份的报表包"))
        return redirect("reports:packs")
    with transaction.atomic():
        tasks.monthly_pack.configure(queueing_lock=f"pack-{f.start:%Y-%m}").defer(
            month=f.start.isoformat(), force=True, actor_id=request.user.pk
        )
    messages.success(request, _("已安排生成，稍后刷新本页"))
    return redirect("reports:packs")


@login_required
def pack_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    try:
        _pack_viewer(request.user)
    except PermissionDenied as exc:
        return _refused(request, exc, {})
    pack = MonthlyPack.objects.active().filter(pk=pk).first()
    if pack is None or kind not in ("pdf", "xlsx"):
        raise Http404
    field = pack.pdf if kind == "pdf" else pack.workbook
    if not field.name or not default_storage.exists(field.name):
        raise Http404
    with default_storage.open(field.name, "rb") as fh:
        body = fh.read()
    resp = HttpResponse(body, content_type="application/pdf" if kind == "pdf" else workbook.XLSX)
    resp["Content-Disposition"] = content_disposition(
        _("月度报表_%(month)s.%(ext)s") % {"month": f"{pack.month:%Y-%m}", "ext": kind},
        "inline" if kind == "pdf" else "attachment",
    )
    return resp
