"""Quality warning screens: the list, and the warning page with its trend chart (ECharts),
the faults it counted, the check list of the model's other equipment and the one-step
conversion into proactive check tickets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from aftersales.approvals import workflow
from aftersales.approvals.web import or_404, post, run, timeline
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.quality import selectors
from aftersales.quality.models import ProactiveCheck, WarningFault, WarningState
from aftersales.quality.services import warnings

STATE_CSS = {"open": "st-new", "checking": "st-work", "closed": "st-done"}


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or "all"
    qs = selectors.warning_list(request.user, state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/warnings.html",
        {
            "page": page,
            "rows": [
                {"w": w, "what": warnings.describe(w), "css": STATE_CSS.get(w.state, "")}
                for w in page
            ],
            "state": state,
            "states": [("all", _("全部")), *translated(WarningState.choices)],
        },
    )


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    w = or_404(lambda: selectors.warning_detail(request.user, pk))
    checked = {
        c.equipment_id: c for c in ProactiveCheck.objects.filter(warning=w).select_related("ticket")
    }
    candidates = list(warnings.check_list(w))
    return render(
        request,
        "quality/warning.html",
        {
            "w": w,
            "what": warnings.describe(w),
            "css": STATE_CSS.get(w.state, ""),
            "faults": WarningFault.objects.filter(warning=w).select_related(
                "equipment__site__customer", "report__ticket", "complaint"
            ),
            "candidates": [{"e": e, "check": checked.get(e.pk)} for e in candidates],
            "pending": sum(1 for e in candidates if e.pk not in checked),
            "may_check": w.state != WarningState.CLOSED
            and bool(workflow.actor_roles(request.user) & warnings.CHECK_ROLES),
            "may_close": w.state != WarningState.CLOSED
            and bool(workflow.actor_roles(request.user) & warnings.CLOSE_ROLES),
            "chart": selectors.warning_trend(w),
            "timeline": timeline_rows(w, request.user),
        },
    )


VERB_LABELS = {"创建": "预警触发", "create_checks": "生成主动排查单", "close": "关闭预警"}


def timeline_rows(w: Any, user: Any) -> list[dict[str, Any]]:
    rows = timeline(w, {}, WarningState, user)
    for row in rows:
        row["label"] = VERB_LABELS.get(row["label"], row["label"])
    return rows


@login_required
@require_POST
def warning_checks(request: HttpRequest, pk: int) -> HttpResponse:
    w = or_404(lambda: selectors.warning_detail(request.user, pk))
    result = run(
        request,
        lambda: warnings.create_checks(actor=request.user, warning=w),
        lambda r: Said("已生成 %(created)s 张主动排查单", created=len(r.created)),
    )
    if result is not None and result.skipped:
        messages.warning(
            request,
            "以下设备的客户没有可用的联系电话，未生成排查单：" + "、".join(result.skipped),
        )
    return redirect("quality:warning", pk)


@login_required
@require_POST
def warning_close(request: HttpRequest, pk: int) -> HttpResponse:
    w = or_404(lambda: selectors.warning_detail(request.user, pk))
    run(
        request,
        lambda: warnings.close(actor=request.user, warning=w, note=post(request, "note")),
        "预警已关闭",
    )
    return redirect("quality:warning", pk)
