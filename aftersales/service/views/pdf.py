"""The printable service report (服务报告单) as a Chinese PDF, drawn by WeasyPrint with the
Noto CJK fonts: for staff under /service/reports/<id>/pdf/, and the customer's copy by the
confirmation link."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from aftersales.core.company import company
from aftersales.service.models import ServiceReport
from aftersales.service.services import reports, warranty
from aftersales.service.views import display
from aftersales.service.views.common import visible_or_404

REPORT_RELATED = (
    "ticket__customer",
    "ticket__site",
    "ticket__equipment__model__category",
    "work_order__technician",
)


def _data_url(field: Any, mime: str = "image/png") -> str:
    """An image file as a data URL, so the PDF needs no web server to fetch it."""
    if not field:
        return ""
    try:
        with field.open("rb") as fh:
            raw = fh.read()
    except OSError:
        return ""
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


def _photo_mime(name: str) -> str:
    lower = name.lower()
    if lower.endswith((".jpg", ".jpeg")):
        return "image/jpeg"
    if lower.endswith(".webp"):
        return "image/webp"
    return "image/png"


def report_html(report: ServiceReport) -> str:
    """The HTML WeasyPrint lays out (also what the tests read)."""
    t = report.ticket
    wo = report.work_order
    record = warranty.current(t)
    causes = dict(display.CAUSE_CHOICES)
    return render_to_string(
        "service/pdf/report.html",
        {
            "r": report,
            "t": t,
            "wo": wo,
            "number": wo.number,
            "cause_class": causes.get(report.cause_class, report.cause_class),
            "responsibility": report.get_responsibility_display(),
            "parts": list(report.parts.select_related("part")),
            "warranty": record,
            "repeat_days": reports.repeat_window_days() if report.repeat_of_id else "",
            "signature": _data_url(report.signature),
            "photos": [
                {"src": _data_url(p.image, _photo_mime(p.image.name or "")), "caption": p.caption}
                for p in report.photos.all()
            ],
            "printed_at": timezone.now(),
            "company": company(),
        },
    )


def render_pdf(report: ServiceReport) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=report_html(report)).write_pdf())


def _pdf_response(report: ServiceReport) -> HttpResponse:
    response = HttpResponse(render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="service-report-{report.work_order.number}.pdf"'
    )
    return response


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_or_404(
        ServiceReport.objects.select_related(*REPORT_RELATED), request.user, pk=pk
    )
    return _pdf_response(report)


def report_pdf_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's copy, by the confirmation link they were sent."""
    report = (
        ServiceReport.objects.select_related(*REPORT_RELATED).filter(confirm_token=token).first()
        if token
        else None
    )
    if report is None:
        raise Http404("链接无效")
    return _pdf_response(report)
