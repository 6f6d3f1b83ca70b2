"""Dealer-domain screens: warranty cards (register a sale, bulk by Excel, the company's
received date, recognition with its reason), dealer tasks with their 2 h clock, claims and
their appraisal, settlement notices to confirm or dispute, the receivables statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.approvals.web import flag, int_or_none, or_404, post, run
from aftersales.core.errors import ValidationFailed
from aftersales.core.exports import xlsx
from aftersales.core.formvalues import opt_int
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.dealers import selectors
from aftersales.dealers.models import OPEN_TASK_STATES, ClaimState, Dealer, NoticeState, TaskState
from aftersales.dealers.services import cards, claims, tasks
from aftersales.warranty.rules import CARD_TIMING_LABELS

CARD_CSS = {"waiting": "st-wait", "in_time": "st-done", "late": "st-alert", "invalid": "st-alert"}


def _card_filters(request: HttpRequest) -> selectors.CardFilters:
    g = request.GET
    return selectors.CardFilters(
        state=(g.get("state") or "")[:10] or None,
        dealer_id=int_or_none(g.get("dealer_id")),
        q=(g.get("q") or "").strip()[:50] or None,
    )


def _card_row(card: Any) -> dict[str, Any]:
    """A card with its check in the reader's language (the rule's texts are msgids)."""
    check = card.recognition
    return {
        "c": card,
        "css": CARD_CSS[check.state],
        "label": _(check.label),
        "reason": _(check.template) % check.params,
    }


def _roles(user: Any) -> frozenset[str]:
    return frozenset(getattr(user, "role_codes", frozenset()))


def _company(user: Any) -> bool:
    return getattr(user, "org_kind", "company") == "company"


@login_required
def card_list(request: HttpRequest) -> HttpResponse:
    f = _card_filters(request)
    rows = selectors.card_list(request.user, f)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    company = _company(request.user)
    return render(
        request,
        "dealers/cards.html",
        {
            "page": page,
            "rows": [_card_row(c) for c in page],
            "f": f,
            "query": query,
            "states": [(s.value, _(label)) for s, label in CARD_TIMING_LABELS.items()],
            "company": company,
            "can_receive": company and request.user.has_perm("dealers.change_warrantycard"),
            "can_register": request.user.has_perm("dealers.add_warrantycard"),
            "dealers": visible(Dealer, request.user).filter(archived_at__isnull=True)
            if company
            else [],
            "today": dt.date.today(),
        },
    )


@login_required
@require_POST
def card_register(request: HttpRequest) -> HttpResponse:
    def go() -> Any:
        try:
            sale = dt.date.fromisoformat(post(request, "sale_date"))
        except ValueError:
            raise ValidationFailed("销售日期格式应为 YYYY-MM-DD", field="sale_date") from None
        return cards.register_card(
            actor=request.user,
            data=cards.CardInput(
                customer_code=post(request, "customer_code")[:30],
                serial_no=post(request, "serial_no")[:50],
                model_code=post(request, "model_code")[:50],
                sale_date=sale,
                card_no=post(request, "card_no")[:50],
                dealer_id=int_or_none(post(request, "dealer_id")),
            ),
        )

    run(request, go, "三包回执卡已登记")
    return redirect("dealers:cards")


@login_required
@require_POST
def card_import(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    upload = request.FILES.get("file")
    if upload is None or (upload.size or 0) > 5 * 1024 * 1024:
        messages.error(request, "请选择不超过 5 MB 的 Excel 文件")
        return redirect("dealers:cards")
    result = cards.import_cards(
        actor=request.user, fileobj=upload, dealer_id=int_or_none(post(request, "dealer_id"))
    )
    if result.errors:
        for e in result.errors[:20]:
            messages.error(request, e)
    else:
        messages.success(
            request, Said("已登记 %(created)s 张三包回执卡", created=len(result.created))
        )
    return redirect("dealers:cards")


@login_required
def card_template(request: HttpRequest) -> HttpResponse:
    return xlsx("三包回执卡导入模板.xlsx", "三包回执卡", cards.CARD_HEADERS, [])


@login_required
@require_POST
def card_receive(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(lambda: selectors.card_detail(request.user, pk))

    def go() -> Any:
        try:
            day = dt.date.fromisoformat(post(request, "received_date"))
        except ValueError:
            raise ValidationFailed("收卡日期格式应为 YYYY-MM-DD", field="received_date") from None
        return cards.receive_card(actor=request.user, card_id=pk, received_date=day)

    run(request, go, "收卡日期已登记")
    return redirect("dealers:cards")


@login_required
def card_export(request: HttpRequest) -> HttpResponse:
    rows = selectors.card_list(request.user, _card_filters(request))
    return xlsx(
        "三包回执卡.xlsx",
        "三包回执卡",
        ["三包卡号", "经销商", "客户", "型号", "出厂编号", "销售日期", "收卡日期", "认定", "说明"],
        (
            [
                c.card_no,
                c.dealer.name,
                c.customer.name,
                c.equipment.model.code,
                c.equipment.serial_no,
                c.sale_date,
                c.received_date,
                c.recognition.label,  # type: ignore[attr-defined]
                c.recognition.reason,  # type: ignore[attr-defined]
            ]
            for c in rows
        ),
    )


# ---- dealer tasks, claims, settlement notices, receivables statement ---------------------


def _dealers(user: Any) -> Any:
    return visible(Dealer, user).filter(archived_at__isnull=True) if _company(user) else []


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    state = (request.GET.get("state") or "open")[:15]
    rows = selectors.task_list(request.user, state=None if state == "all" else state)
    roles = _roles(request.user)
    return render(
        request,
        "dealers/tasks.html",
        {
            "rows": rows,
            "state": state,
            "states": [("open", _("未完成")), ("all", _("全部")), *translated(TaskState.choices)],
            "mine": {t.pk for t in rows if tasks.may_act(request.user, t)},
            "checker": _company(request.user) and bool(roles & tasks.CHECKERS),
            "assigner": _company(request.user) and bool(roles & tasks.ASSIGNERS),
            "departments": selectors.active_departments() if _company(request.user) else [],
            "hand_backs": tasks.hand_back_counts() if _company(request.user) else {},
            **_task_durations(),
        },
    )


def ticket_task_context(user: Any, ticket: Any) -> dict[str, Any]:
    """The ticket page's service-task panel: the ticket's tasks the user sees, with their
    clocks, and for an assigner while none is open the form that gives the ticket to its
    dealer or to a company department (the same call as the task list's)."""
    rows = selectors.task_list(user, ticket_id=ticket.pk)
    can_give = (
        _company(user)
        and (user.is_superuser or bool(_roles(user) & tasks.ASSIGNERS))
        and ticket.is_open
        and not any(r.state in OPEN_TASK_STATES for r in rows)
    )
    return {
        "service_tasks": rows,
        "can_give_task": can_give,
        "task_departments": selectors.active_departments() if can_give else [],
        "task_dealer": ticket.dealer or ticket.customer.dealer,
        **_task_durations(),
    }


def _task_durations() -> dict[str, str]:
    """The arrangement and check times as configured (deadline rules), for the pages' hints."""
    from aftersales.approvals.services import deadlines
    from aftersales.dealers.defaults import ARRANGE, CHECK

    return {
        "arrange_within": deadlines.duration_said(ARRANGE),
        "check_after": deadlines.duration_said(CHECK),
    }


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    if action == "assign":
        ticket_id = int_or_none(post(request, "ticket_id")) or 0
        raw_department = post(request, "department_id")
        run(
            request,
            lambda: tasks.assign(
                actor=user,
                ticket_id=ticket_id,
                department_id=opt_int(raw_department, "承办部门", "department_id"),
            ),
            "已交部门处理" if raw_department else "已交经销商处理",
        )
        if post(request, "back") == "ticket" and ticket_id:
            return redirect("service:ticket_detail", pk=ticket_id)
        return redirect("dealers:tasks")
    or_404(lambda: selectors.task_detail(user, pk))
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "arrange": (
            lambda: tasks.arrange(
                actor=user,
                task_id=pk,
                arrangement=post(request, "arrangement")[:300],
                customer_informed=flag(request, "customer_informed"),
            ),
            "已确认安排",
        ),
        "check": (
            lambda: tasks.check(
                actor=user, task_id=pk, ok=flag(request, "ok"), note=post(request, "note")[:300]
            ),
            "已核查",
        ),
        "hand_back": (
            lambda: tasks.hand_back(actor=user, task_id=pk, reason=post(request, "reason")[:300]),
            "已退回公司",
        ),
    }
    if action not in calls:
        raise Http404()
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("dealers:tasks")


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    state = (request.GET.get("state") or "")[:15] or None
    qs = selectors.claim_list(request.user, state=state)
    if request.GET.get("format") == "xlsx":
        return _claims_export(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dealers/claims.html",
        {
            "page": page,
            "state": state,
            "states": translated(ClaimState.choices),
            "totals": selectors.claim_totals(request.user),
            "dealer": getattr(request.user, "org_kind", "") == "dealer",
            "appraiser": _company(request.user)
            and bool(_roles(request.user) & (claims.APPRAISERS | {"coordinator"})),
        },
    )


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = or_404(lambda: selectors.claim_detail(request.user, pk))
    return render(
        request,
        "dealers/claim.html",
        {
            "c": claim,
            "appraiser": _company(request.user)
            and bool(_roles(request.user) & (claims.APPRAISERS | {"coordinator"})),
        },
    )


@login_required
@require_POST
def claim_new(request: HttpRequest) -> HttpResponse:
    def go() -> Any:
        try:
            day = dt.date.fromisoformat(post(request, "repair_date"))
        except ValueError:
            raise ValidationFailed("维修日期格式应为 YYYY-MM-DD", field="repair_date") from None
        codes = request.POST.getlist("part_code")[:20]
        qtys = request.POST.getlist("quantity")[:20]
        parts = [
            claims.PartIn(code.strip()[:30], qty.strip()[:12])
            for code, qty in zip(codes, qtys, strict=False)
            if code.strip()
        ]
        return claims.submit(
            actor=request.user,
            data=claims.ClaimInput(
                ticket_id=int_or_none(post(request, "ticket_id")) or 0,
                repair_date=day,
                description=post(request, "description")[:500],
                parts=parts,
                labour_hours=post(request, "labour_hours")[:12] or "0",
                visit=flag(request, "visit"),
                distance_km=post(request, "distance_km")[:12] or "0",
            ),
        )

    made = run(request, go, "三包索赔单已提交")
    return redirect("dealers:claim", made.pk) if made is not None else redirect("dealers:claims")


@login_required
@require_POST
def claim_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    claim = or_404(lambda: selectors.claim_detail(request.user, pk))
    amounts = {
        ln.pk: post(request, f"line_{ln.pk}")[:12]
        for ln in claim.lines.all()
        if post(request, f"line_{ln.pk}")
    }
    run(
        request,
        lambda: claims.appraise(
            actor=request.user,
            claim_id=pk,
            decision=post(request, "decision")[:10],
            reason=post(request, "reason")[:300],
            line_amounts=amounts,
        ),
        "鉴定已保存",
    )
    return redirect("dealers:claim", pk)


def _claims_export(qs: Any) -> HttpResponse:
    """The claims the user sees, for finance (states in Chinese, amounts as numbers)."""
    header = ["索赔单号", "经销商", "报修单", "维修日期", "状态", "索赔金额", "核定金额"]
    header += ["鉴定意见", "核销通知"]
    return xlsx(
        "三包索赔单.xlsx",
        "三包索赔单",
        header,
        (
            [
                c.number,
                c.dealer.name,
                c.ticket.number,
                c.repair_date,
                ClaimState(c.state).label,
                c.claimed_amount,
                c.accepted_amount,
                c.appraisal_reason,
                c.notice.number if c.notice_id else "",
            ]
            for c in qs.select_related("notice")[:5000]
        ),
    )


def _notices_export(rows: Any) -> HttpResponse:
    header = ["核销通知号", "经销商", "期间起", "期间止", "核销金额", "状态", "开具时间"]
    header += ["确认时间", "异议原因", "索赔单"]

    def at(value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return xlsx(
        "三包费用核销通知.xlsx",
        "核销通知",
        header,
        (
            [
                n.number,
                n.dealer.name,
                n.period_start,
                n.period_end,
                n.total,
                NoticeState(n.state).label,
                at(n.issued_at),
                at(n.answered_at),
                n.dispute_reason,
                "、".join(c.number for c in n.claims.all()),
            ]
            for n in rows
        ),
    )


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "xlsx":
        return _notices_export(selectors.notice_list(request.user)[:5000])
    return render(
        request,
        "dealers/notices.html",
        {
            "notices": selectors.notice_list(request.user)[:200],
            "dealer": getattr(request.user, "org_kind", "") == "dealer",
            "finance": _company(request.user) and bool(_roles(request.user) & claims.FINANCE),
            "dealers": _dealers(request.user),
        },
    )


@login_required
@require_POST
def notice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    if action == "issue":

        def issue() -> Any:
            try:
                start = dt.date.fromisoformat(post(request, "period_start"))
                end = dt.date.fromisoformat(post(request, "period_end"))
            except ValueError:
                raise ValidationFailed("期间格式应为 YYYY-MM-DD") from None
            return claims.issue_notice(
                actor=user,
                dealer_id=int_or_none(post(request, "dealer_id")) or 0,
                period_start=start,
                period_end=end,
            )

        run(request, issue, "核销通知已开具")
        return redirect("dealers:notices")
    or_404(lambda: selectors.notice_detail(user, pk))
    if action == "confirm":
        run(request, lambda: claims.confirm_notice(actor=user, notice_id=pk), "已确认核销")
    elif action == "dispute":
        run(
            request,
            lambda: claims.dispute_notice(
                actor=user, notice_id=pk, reason=post(request, "reason")[:300]
            ),
            "异议已提交，索赔单退回鉴定",
        )
    else:
        raise Http404()
    return redirect("dealers:notices")


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    dealer_id = int_or_none(request.GET.get("dealer_id"))
    rows = selectors.ledger(request.user, dealer_id=dealer_id)
    if request.GET.get("format") == "xlsx":
        return xlsx(
            "应收账款台账.xlsx",
            "应收账款台账",
            ["经销商", "记账时间", "类别", "金额", "余额", "摘要"],
            (
                [e.dealer.name, e.at, e.get_kind_display(), e.amount, e.balance, e.note]
                for e in rows
            ),
        )
    return render(
        request,
        "dealers/ledger.html",
        {"rows": rows[:500], "dealers": _dealers(request.user), "dealer_id": dealer_id},
    )
