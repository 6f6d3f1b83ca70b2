"""An A4 sheet of QR labels: a site's equipment, chosen ids or an equipment-list search —
only equipment the user may see, for staff (customers get 404 as for one label)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from aftersales.core.crud import search_q
from aftersales.core.visibility import visible
from aftersales.customers.models import Site
from aftersales.installed_base.models import Equipment
from aftersales.installed_base.selectors import EQUIPMENT_SEARCH
from aftersales.service.views.common import visible_or_404
from aftersales.service.views.public import may_print_labels, qr_svg

MAX_LABELS = 200  # one sheet request; a larger base is printed site by site


@dataclass(frozen=True)
class Label:
    eq: Equipment
    url: str
    svg: SafeString


@login_required
def equipment_labels(request: HttpRequest) -> HttpResponse:
    """``?site=<id>``, ``?id=1&id=2`` and/or ``?q=`` (as the equipment list searches)."""
    if not may_print_labels(request.user):
        raise Http404("无权打印标签")
    qs = visible(Equipment, request.user).filter(archived_at__isnull=True)
    site = None
    if site_id := request.GET.get("site", "").strip():
        if not site_id.isdigit():
            raise Http404("安装地点不存在")
        site = visible_or_404(Site, request.user, pk=int(site_id))
        qs = qs.filter(site=site)
    ids = [int(v) for v in request.GET.getlist("id") if v.strip().isdigit()]
    if ids:
        qs = qs.filter(pk__in=ids)
    if term := request.GET.get("q", "").strip():
        qs = qs.filter(search_q(term, EQUIPMENT_SEARCH))
    if site is None and not ids and not term:
        raise Http404("请选择安装地点或设备")
    found = list(
        qs.select_related("model", "site").order_by("site__name", "serial_no")[: MAX_LABELS + 1]
    )
    labels = [_label(request, eq) for eq in found[:MAX_LABELS]]
    return render(
        request,
        "service/labels/sheet.html",
        {"labels": labels, "site": site, "truncated": len(found) > MAX_LABELS, "max": MAX_LABELS},
    )


def _label(request: HttpRequest, eq: Equipment) -> Label:
    url = request.build_absolute_uri(reverse("service:qr", args=[eq.qr_token]))
    return Label(eq=eq, url=url, svg=mark_safe(qr_svg(url, scale=4)))
