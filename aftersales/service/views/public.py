"""Pages opened without login from a QR label or a link the customer received: 扫码报修,
the survey, the report confirmation and the quote decision. The token in the address is
the only key; each page shows no more than its one record needs."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from aftersales.core.errors import DomainError, NotFound
from aftersales.installed_base.models import Equipment
from aftersales.service.models import Callback, Quote, ServiceReport, Ticket
from aftersales.service.services import callbacks, intake, qr, reports, warranty
from aftersales.service.views import display
from aftersales.service.views.common import flag, org_kind, text, visible_or_404
from aftersales.service.views.portal import progress_steps
from aftersales.sla.models import Severity

QR_SEVERITIES = [
    (Severity.NORMAL.value, "一般（不影响使用）"),
    (Severity.URGENT.value, "紧急（影响正常使用）"),
    (Severity.LOW.value, "低（咨询或小问题）"),
]


def _equipment(token: str) -> Equipment:
    try:
        return qr.equipment_for_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@dataclass(frozen=True)
class Progress:
    """What a customer may see of a ticket: its number, state, steps and when each state
    was reached — no names, comments or internal notes."""

    ticket: Ticket
    css: str
    steps: list[dict[str, Any]]
    changes: list[tuple[Any, str]]  # (when, the state reached)


def progress(ticket: Ticket) -> Progress:
    from django.contrib.contenttypes.models import ContentType

    from aftersales.core.models import AuditEvent

    events = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Ticket), object_id=str(ticket.pk)
        )
        .exclude(to_state="")
        .order_by("at", "id")
        .values_list("at", "to_state")
    )
    return Progress(
        ticket=ticket,
        css=display.STATE_CSS.get(ticket.state, ""),
        steps=progress_steps(ticket.state),
        changes=[(at, display.state_label(state)) for at, state in events],
    )


def _qr_context(eq: Equipment, values: dict[str, Any], error: str) -> dict[str, Any]:
    return {
        "eq": eq,
        "v": values,
        "error": error,
        "severities": QR_SEVERITIES,
        "open": [progress(t) for t in qr.open_tickets(eq)],
        "reason_max": intake.REASON_MAX,
    }


@require_http_methods(["GET", "POST"])
def qr_page(request: HttpRequest, token: str) -> HttpResponse:
    """扫码报修: the equipment from the label, the reporter's phone checked against the
    customer's registered numbers. An open ticket is shown by its progress; reporting a
    different fault (新故障) then needs a reason. The reporter gets a tracking link."""
    eq = _equipment(token)
    values: dict[str, Any] = {"severity": Severity.NORMAL.value}
    error, status = "", 200
    if request.method == "POST":
        values = {
            name: text(request, name)
            for name in (
                "contact_name",
                "phone",
                "description",
                "severity",
                "different_fault_reason",
            )
        }
        values["different_fault"] = flag(request, "different_fault")
        try:
            ticket = qr.qr_submit(
                token=token,
                phone=values["phone"],
                contact_name=values["contact_name"],
                description=values["description"],
                severity=values["severity"],
                different_fault=values["different_fault"],
                different_fault_reason=values["different_fault_reason"],
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
            if exc.code == "duplicate_ticket":
                error = "该设备已有报修正在处理，进度见上方；如果是另一个故障，请选择「这是新故障」并说明。"
        else:
            track = reverse("service:track", args=[qr.tracking_token(ticket)])
            return render(
                request,
                "service/public/qr_done.html",
                {"eq": eq, "ticket": ticket, "track_url": request.build_absolute_uri(track)},
            )
    return render(request, "service/public/qr.html", _qr_context(eq, values, error), status=status)


def track(request: HttpRequest, token: str) -> HttpResponse:
    """报修进度 by the signed link the QR page gave the reporter (no login)."""
    try:
        ticket = qr.ticket_for_tracking(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "service/public/track.html", {"p": progress(ticket)})


def qr_svg(data: str, scale: int = 6) -> str:
    """The QR code as inline SVG, drawn on the server."""
    import segno

    out = io.BytesIO()
    segno.make(data, error="m").save(
        out,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        svgclass="qr",
        lineclass=None,
    )
    return out.getvalue().decode()


def may_print_labels(user: Any) -> bool:
    """QR labels are printed by the company and dealers, never by customers."""
    return org_kind(user) != "customer"


@login_required
def qr_label(request: HttpRequest, token: str) -> HttpResponse:
    """A printable label for the equipment: QR code of the 扫码报修 page, model, serial, site."""
    if not may_print_labels(request.user):
        raise Http404("无权打印标签")
    eq = _equipment(token)
    visible_or_404(Equipment, request.user, pk=eq.pk)
    url = request.build_absolute_uri(reverse("service:qr", args=[token]))
    return render(
        request,
        "service/public/qr_label.html",
        {
            "eq": eq,
            "url": url,
            "svg": mark_safe(qr_svg(url)),
        },
    )


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """客户评价 by the link in the 'completed' message (callbacks.record_result, no login)."""
    cb = (
        Callback.objects.select_related("ticket", "customer").filter(survey_token=token).first()
        if token
        else None
    )
    if cb is None:
        raise Http404("评价链接无效")
    values: dict[str, Any] = {}
    error, status = "", 200
    if request.method == "POST":
        values = {
            name: text(request, name)
            for name in (
                "attitude",
                "quality",
                "solved",
                "score",
                "comment",
                "dissatisfaction_cause",
            )
        }
        try:
            callbacks.record_result(
                actor=None,
                survey_token=token,
                attitude=values["attitude"],
                quality=values["quality"],
                solved=values["solved"] == "1",
                score=values["score"],
                comment=values["comment"],
                dissatisfaction_cause=values["dissatisfaction_cause"],
                channel="link",
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            cb.refresh_from_db()
    return render(
        request,
        "service/public/survey.html",
        {
            "cb": cb,
            "v": values,
            "error": error,
            "ratings": [5, 4, 3, 2, 1],
        },
        status=status,
    )


def _report(token: str) -> ServiceReport:
    report = (
        ServiceReport.objects.select_related(
            "ticket__customer", "ticket__site", "ticket__equipment__model", "work_order__technician"
        )
        .prefetch_related("parts__part")
        .filter(confirm_token=token)
        .first()
        if token
        else None
    )
    if report is None:
        raise Http404("确认链接无效")
    return report


@require_http_methods(["GET", "POST"])
def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The customer confirms the technician's report by link (instead of signing on site)."""
    report = _report(token)
    values: dict[str, Any] = {"opinion": report.customer_opinion}
    error, status = "", 200
    if request.method == "POST":
        values = {"name": text(request, "name"), "opinion": text(request, "opinion")}
        try:
            report = reports.confirm_by_link(
                token=token, name=values["name"], opinion=values["opinion"]
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        report = _report(token)
    return render(
        request,
        "service/public/report_confirm.html",
        {
            "report": report,
            "t": report.ticket,
            "v": values,
            "error": error,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def quote_page(request: HttpRequest, token: str) -> HttpResponse:
    """报价确认: the customer accepts or rejects chargeable work before it starts."""
    quote = (
        Quote.objects.select_related("ticket__customer", "ticket__equipment__model")
        .prefetch_related("lines")
        .filter(accept_token=token)
        .first()
        if token
        else None
    )
    if quote is None:
        raise Http404("报价链接无效")
    values: dict[str, Any] = {}
    error, status = "", 200
    if request.method == "POST":
        values = {"by_name": text(request, "by_name")}
        try:
            quote = warranty.quote_decide(
                quote_token=token,
                accept=request.POST.get("accept") == "1",
                by_name=values["by_name"],
                via="link",
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        quote = (
            Quote.objects.select_related("ticket__customer", "ticket__equipment__model")
            .prefetch_related("lines")
            .get(pk=quote.pk)
        )
    return render(
        request,
        "service/public/quote.html",
        {
            "q": quote,
            "t": quote.ticket,
            "v": values,
            "error": error,
        },
        status=status,
    )
