"""Stocking-plan screens (备货计划): the dealer fills in and submits its own plans, the company
opens seasons, reviews the plans and exports them to Excel; late plans are flagged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aftersales.approvals.services import deadlines
from aftersales.approvals.web import int_or_none, or_404, post, run
from aftersales.core.errors import ValidationFailed
from aftersales.core.exports import xlsx
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.dealers import selectors
from aftersales.dealers.defaults import STOCKING
from aftersales.dealers.models import Dealer, PlanState
from aftersales.dealers.services import stocking

BLANK_ROWS = 5


def _company(user: Any) -> bool:
    return getattr(user, "org_kind", "company") == "company"


def _reviewer(user: Any) -> bool:
    roles = frozenset(getattr(user, "role_codes", frozenset()))
    return _company(user) and (user.is_superuser or bool(roles & stocking.REVIEWERS))


def _plan_filters(request: HttpRequest) -> selectors.PlanFilters:
    g = request.GET
    return selectors.PlanFilters(
        season_id=int_or_none(g.get("season_id")),
        dealer_id=int_or_none(g.get("dealer_id")),
        state=(g.get("state") or "")[:12] or None,
        late=g.get("late") == "1",
    )


def _date(request: HttpRequest, name: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(post(request, name))
    except ValueError:
        raise ValidationFailed(
            Said("%(label)s格式应为 YYYY-MM-DD", label=label), field=name
        ) from None


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    f = _plan_filters(request)
    rows = selectors.plan_list(request.user, f)
    if request.GET.get("format") == "xlsx":
        return _export(rows)
    today = timezone.localdate()
    dealer = getattr(request.user, "org_kind", "") == "dealer"
    seasons = list(selectors.seasons(request.user))
    own = {p.season_id for p in rows} if dealer else set()
    return render(
        request,
        "dealers/stocking.html",
        {
            "rows": rows,
            "f": f,
            "states": translated(PlanState.choices),
            "seasons": seasons,
            "startable": [s for s in seasons if s.starts_on > today and s.pk not in own]
            if dealer
            else [],
            "dealer": dealer,
            "reviewer": _reviewer(request.user),
            "dealers": visible(Dealer, request.user).filter(archived_at__isnull=True)
            if _company(request.user)
            else [],
            "lead": deadlines.rule(STOCKING),
        },
    )


def _export(rows: list[Any]) -> HttpResponse:
    header = ["计划编号", "经销商", "旺季", "旺季开始", "应提交时间", "提交时间", "状态", "逾期"]
    header += ["类别", "编码", "名称", "数量"]

    def lines() -> Any:
        for p in rows:
            head = [
                p.number,
                p.dealer.name,
                p.season.name,
                p.season.starts_on,
                timezone.localtime(p.due_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M")
                if p.submitted_at
                else "",
                p.get_state_display(),
                "逾期" if p.flagged_late else "",
            ]
            if not p.active_lines:
                yield [*head, "", "", "", ""]
            for ln in p.active_lines:
                yield [*head, stocking.KINDS[ln.kind], ln.code, ln.name, ln.quantity]

    return xlsx("经销商备货计划.xlsx", "备货计划", header, lines())


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = or_404(lambda: selectors.plan_detail(request.user, pk))
    dealer = getattr(request.user, "org_kind", "") == "dealer"
    editable = (
        dealer
        and plan.state in (PlanState.DRAFT, PlanState.RETURNED)
        and plan.season.starts_on > timezone.localdate()
    )
    return render(
        request,
        "dealers/stocking_plan.html",
        {
            "p": plan,
            "editable": editable,
            "blank_rows": range(BLANK_ROWS),
            "reviewer": _reviewer(request.user) and plan.state == PlanState.SUBMITTED,
            "deadlines": deadlines.of(plan),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def season_new(request: HttpRequest) -> HttpResponse:
    def go() -> Any:
        return stocking.open_season(
            actor=request.user,
            code=post(request, "code")[:20],
            name=post(request, "name")[:60],
            starts_on=_date(request, "starts_on", "旺季开始日期"),
            ends_on=_date(request, "ends_on", "旺季结束日期"),
        )

    run(request, go, "销售旺季已开立，各经销商的备货计划已下达")
    return redirect("dealers:stocking")


@login_required
@require_POST
def plan_start(request: HttpRequest) -> HttpResponse:
    made = run(
        request,
        lambda: stocking.start_plan(
            actor=request.user, season_id=int_or_none(post(request, "season_id")) or 0
        ),
        "备货计划已开立",
    )
    return redirect("dealers:stocking_plan", made.pk) if made else redirect("dealers:stocking")


def posted_lines(request: HttpRequest) -> list[stocking.LineIn]:
    kinds = request.POST.getlist("kind")[: stocking.MAX_LINES + 1]
    codes = request.POST.getlist("code")[: stocking.MAX_LINES + 1]
    qtys = request.POST.getlist("quantity")[: stocking.MAX_LINES + 1]
    return [
        stocking.LineIn(kind[:10], code.strip()[:50], qty.strip()[:12])
        for kind, code, qty in zip(kinds, codes, qtys, strict=False)
        if code.strip() or qty.strip()
    ]


@login_required
@require_POST
def plan_lines(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(lambda: selectors.plan_detail(request.user, pk))
    send = post(request, "action") == "submit"

    def go() -> Any:
        with transaction.atomic():  # a refused submission keeps nothing of the post
            plan = stocking.save_lines(actor=request.user, plan_id=pk, lines=posted_lines(request))
            return stocking.submit(actor=request.user, plan_id=pk) if send else plan

    run(request, go, "备货计划已提交" if send else "备货明细已保存")
    return redirect("dealers:stocking_plan", pk)


@login_required
@require_POST
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(lambda: selectors.plan_detail(request.user, pk))
    approve = post(request, "decision") == "approve"
    run(
        request,
        lambda: stocking.review(
            actor=request.user, plan_id=pk, approve=approve, note=post(request, "note")[:300]
        ),
        "备货计划已审核通过" if approve else "备货计划已退回经销商",
    )
    return redirect("dealers:stocking_plan", pk)
