"""The printable service report (服务报告单) as a Chinese PDF, drawn by WeasyPrint with the
Noto CJK fonts: for staff under /service/reports/<id>/pdf/, and the customer's copy by the
confirmation link."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
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


STORED = "stored:"  # how report_html names an uploaded file; only _fetcher resolves it


def _stored(field_or_name: Any) -> str:
    """An uploaded file (a file field or its stored name) as a ``stored:`` URL: WeasyPrint
    reads it from the storage through _fetcher. (Inlined as data: URLs, the photos made the
    HTML megabytes long and its parsing a third of the PDF's time.)"""
    name = getattr(field_or_name, "name", field_or_name) or ""
    return STORED + name if name and default_storage.exists(name) else ""


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StoredOnly(URLFetcher):  # type: ignore[misc]
        """Uploaded files only: no file:, http: or other look-ups from a report's HTML."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(STORED):
                raise ValueError(f"not a stored file: {url[:40]}")
            name = url[len(STORED) :]
            with default_storage.open(name, "rb") as fh:
                body = fh.read()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": _photo_mime(name)})

    return StoredOnly()


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
            "signature": _stored(report.signature),
            "photos": [
                {"src": _stored(p.image), "caption": p.caption} for p in report.photos.all()
            ],
            "printed_at": timezone.now(),
            "company": company(),
            "logo": _stored(company().logo),
        },
    )


def html_pdf(html: str) -> bytes:
    """A report's HTML as PDF; its uploaded files named by ``stored_url`` (nothing else is
    fetched). Every printed report of the system goes through here."""
    from weasyprint import HTML

    return bytes(HTML(string=html, url_fetcher=_fetcher()).write_pdf())


stored_url = _stored  # the public name, for the other domains' reports


def render_pdf(report: ServiceReport) -> bytes:
    return html_pdf(report_html(report))


log = logging.getLogger(__name__)
_WARM_HTML = (
    '<html lang="zh-hans"><body style="font-family: \'Noto Sans CJK SC\', sans-serif">'
    "<h1 style='font-weight:700'>服务报告单</h1><table><tr><th>客户</th><td>Aa 0123 ¥</td></tr>"
    "</table></body></html>"
)
warmed_in: float | None = None  # seconds the warm-up took in this process; None before


def warm_up() -> float:
    """Pay what the first report PDF of a process would pay — importing WeasyPrint, its C
    bindings' type parsing, fontconfig's font lookup and the CJK faces (regular and bold)
    being opened and subset — once, at worker start (aftersales.wsgi), not in a customer's
    request. Measured in bench/report_pdf_bench.py."""
    global warmed_in
    started = time.perf_counter()
    from weasyprint import HTML

    HTML(string=_WARM_HTML, url_fetcher=_fetcher()).write_pdf()
    warmed_in = time.perf_counter() - started
    return warmed_in


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
