"""CAPA screens: the list (overdue deadlines marked), opening one by hand, and the page with
the form of every allowed step, the verifications and the history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from aftersales.accounts.models import Department
from aftersales.approvals import workflow
from aftersales.approvals.web import int_or_none, list_deadlines, or_404, post, run, timeline
from aftersales.core.i18n import translated
from aftersales.installed_base.models import ProductModel
from aftersales.quality import selectors
from aftersales.quality.models import CapaKind, CapaState, CorrectiveAction
from aftersales.quality.services import capa
from aftersales.quality.transitions import CAPA

STATE_CSS = {
    "draft": "st-new",
    "open": "st-work",
    "verifying": "st-wait",
    "closed": "st-done",
    "cancelled": "st-off",
}


@login_required
def capa_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or "all"
    qs = selectors.capa_list(request.user, state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    dls = list_deadlines(CorrectiveAction, page, timezone.now())
    return render(
        request,
        "quality/capa_list.html",
        {
            "page": page,
            "rows": [
                {"a": a, "dl": dls.get(a.pk), "css": STATE_CSS.get(a.state, "")} for a in page
            ],
            "state": state,
            "states": [("all", _("全部")), *translated(CapaState.choices)],
            "may_open": bool(workflow.actor_roles(request.user) & capa.QUALITY_OFFICE),
            "kinds": translated(CapaKind.choices),
            "models": ProductModel.objects.filter(archived_at__isnull=True).order_by("code")[:300],
        },
    )


@login_required
@require_POST
def capa_new(request: HttpRequest) -> HttpResponse:
    data = capa.CapaInput(
        title=post(request, "title"),
        kind=post(request, "kind") or CapaKind.CORRECTIVE,
        source=post(request, "source") or "manual",
        product_model_id=int_or_none(post(request, "product_model_id")),
        source_note=post(request, "source_note"),
    )
    made = run(request, lambda: capa.open_capa(actor=request.user, data=data), "已登记")
    return redirect("quality:capa", made.pk) if made is not None else redirect("quality:capas")


@login_required
def capa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = or_404(lambda: selectors.capa_detail(request.user, pk))
    return render(
        request,
        "quality/capa.html",
        {
            "a": a,
            "css": STATE_CSS.get(a.state, ""),
            "allowed": {tr.action for tr in workflow.allowed(a, CAPA, request.user)}
            | ({"submit"} if a.state == "open" and a.owner_id == request.user.pk else set()),
            "departments": Department.objects.active().order_by("code"),
            "people": get_user_model()
            .objects.filter(org_kind="company", is_active=True)
            .order_by("display_name", "username")[:300],
            "verifications": a.verifications.select_related("verified_by"),
            "timeline": timeline(a, CAPA, CapaState, request.user),
        },
    )


@login_required
@require_POST
def capa_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = or_404(lambda: selectors.capa_detail(request.user, pk))
    user: Any = request.user
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "plan": (
            lambda: capa.plan(
                actor=user,
                capa=a,
                cause=post(request, "cause"),
                measures=post(request, "measures"),
                owner_department_id=int_or_none(post(request, "owner_department_id")),
                owner_id=int_or_none(post(request, "owner_id")),
                deadline=post(request, "deadline"),
            ),
            "措施已制定，开始实施",
        ),
        "submit": (
            lambda: capa.submit(actor=user, capa=a, done_note=post(request, "done_note")),
            "已提交效果验证",
        ),
        "verify_ok": (
            lambda: capa.verify(actor=user, capa=a, effective=True, note=post(request, "note")),
            "验证有效，已关闭",
        ),
        "verify_fail": (
            lambda: capa.verify(
                actor=user,
                capa=a,
                effective=False,
                note=post(request, "note"),
                new_deadline=post(request, "new_deadline"),
            ),
            "验证无效，已重新打开",
        ),
        "cancel": (
            lambda: capa.cancel(actor=user, capa=a, reason=post(request, "reason")),
            "已撤销",
        ),
    }
    if action not in calls:
        raise Http404("未知操作")
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("quality:capa", pk)
