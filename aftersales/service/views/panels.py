"""The forms of the ticket page's panels: warranty override, quotes, dispatch, re-assign,
appointment window."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said
from aftersales.service.models import Quote
from aftersales.service.services import dispatch, warranty
from aftersales.service.views.common import (
    flag,
    int_list,
    opt_datetime,
    opt_decimal,
    run,
    text,
    ticket_or_404,
    visible_or_404,
    work_order_or_404,
)


def _next(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next", "")
    if (
        nxt
        and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
        and nxt.startswith("/")
    ):
        return nxt
    return default


def _ticket_url(pk: int) -> str:
    return reverse("service:ticket_detail", args=[pk])


@require_POST
@login_required
def warranty_override(request: HttpRequest, pk: int) -> HttpResponse:
    t = ticket_or_404(request.user, pk)
    return run(
        request,
        lambda: warranty.override(
            actor=request.user,
            ticket=t,
            outcome=text(request, "outcome"),
            reason=text(request, "reason"),
        ),
        success="保修判定已调整",
        back=_ticket_url(t.pk),
    )


def quote_parts(request: HttpRequest) -> list[warranty.QuotePart]:
    """Rows of ``part_code`` / ``part_qty``; empty rows are skipped."""
    codes = request.POST.getlist("part_code")
    qtys = request.POST.getlist("part_qty")
    parts = []
    for i, code in enumerate(codes):
        code = code.strip()
        if not code:
            continue
        raw = qtys[i].strip() if i < len(qtys) else "1"
        try:
            qty = int(raw or "1")
        except ValueError as exc:
            raise ValidationFailed(
                Said("配件 %(code)s 的数量应为整数", code=code), field="part_qty"
            ) from exc
        parts.append(warranty.QuotePart(code, qty))
    return parts


@require_POST
@login_required
def quote_create(request: HttpRequest, pk: int) -> HttpResponse:
    t = ticket_or_404(request.user, pk)

    def call() -> Quote:
        return warranty.quote_create(
            actor=request.user,
            ticket=t,
            parts=quote_parts(request),
            labour_hours=opt_decimal(request.POST.get("labour_hours"), "工时", "labour_hours") or 0,
            distance_km=opt_decimal(request.POST.get("distance_km"), "里程", "distance_km") or 0,
            manual_lines=[
                warranty.ManualLine(d.strip()[:200], a.strip()[:20])
                for d, a in zip(
                    request.POST.getlist("manual_description"),
                    request.POST.getlist("manual_amount"),
                    strict=False,
                )
                if d.strip() or a.strip()
            ],
        )

    return run(
        request,
        call,
        success=lambda q: (
            "报价含收费标准外项目，已提交主管领导审批"
            if q.state == Quote.State.APPROVING
            else "报价已生成，请将确认链接发给客户"
        ),
        back=_ticket_url(t.pk),
    )


@require_POST
@login_required
def quote_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the customer's answer given by phone or in person."""
    quote = visible_or_404(Quote.objects.select_related("ticket"), request.user, pk=pk)
    accept = request.POST.get("accept") == "1"
    return run(
        request,
        lambda: warranty.quote_decide(
            quote=quote, accept=accept, by_name=text(request, "by_name"), actor=request.user
        ),
        success="已登记客户接受报价" if accept else "已登记客户拒绝报价",
        back=_ticket_url(quote.ticket_id),
    )


@require_POST
@login_required
def ticket_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    """One technician = assignment; several = offer (the first to accept wins)."""
    t = ticket_or_404(request.user, pk)

    def call() -> object:
        return dispatch.dispatch(
            actor=request.user,
            ticket=t,
            technician_ids=int_list(
                request.POST.getlist("technician_ids"), "工程师", "technician_ids"
            ),
            remote=flag(request, "remote"),
            note=text(request, "note"),
            window_start=opt_datetime(
                request.POST.get("window_start"), "预约开始时间", "window_start"
            ),
            window_end=opt_datetime(request.POST.get("window_end"), "预约结束时间", "window_end"),
            confirm_late=flag(request, "confirm_late"),
        )

    return run(
        request,
        call,
        success=Said("%(number)s 已派工", number=t.number),
        back=_next(request, _ticket_url(t.pk)),
    )


@require_POST
@login_required
def work_order_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    wo = work_order_or_404(request.user, pk)
    return run(
        request,
        lambda: dispatch.reassign(
            actor=request.user,
            work_order=wo,
            technician_ids=int_list(
                request.POST.getlist("technician_ids"), "工程师", "technician_ids"
            ),
            reason=text(request, "reason"),
        ),
        success=Said("%(number)s 已改派", number=wo.number),
        back=_next(request, _ticket_url(wo.ticket_id)),
    )


@require_POST
@login_required
def work_order_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    wo = work_order_or_404(request.user, pk)

    def call() -> object:
        start = opt_datetime(request.POST.get("window_start"), "预约开始时间", "window_start")
        end = opt_datetime(request.POST.get("window_end"), "预约结束时间", "window_end")
        if start is None or end is None:
            raise ValidationFailed("请填写预约时间段", field="window_start")
        return dispatch.schedule(
            actor=request.user,
            work_order=wo,
            start=start,
            end=end,
            confirm_late=flag(request, "confirm_late"),
        )

    return run(
        request, call, success="预约时间已保存", back=_next(request, _ticket_url(wo.ticket_id))
    )
