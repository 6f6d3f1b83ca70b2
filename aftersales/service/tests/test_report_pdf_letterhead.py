"""Issue 9 #20: the service report PDF carries the company letterhead (name and hotline
from CompanySettings) and the engineer's name beside the customer's signature."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.core.models import CompanySettings
from aftersales.service.models import ServiceReport
from aftersales.service.tests import web_world as w
from aftersales.service.views import pdf

pytestmark = pytest.mark.django_db


def test_letterhead_and_engineer_beside_signature() -> None:
    world: dict[str, Any] = w.build()
    CompanySettings.objects.create(company_name="华光显示科技有限公司", hotline="400-820-1234")
    wo = w.on_site(world, w.ticket(world))
    report = ServiceReport.objects.get(pk=w.filed_report(world, wo).pk)
    source = pdf.report_html(report)
    head = source.split('data-testid="letterhead"', 1)[1].split("</div>", 1)[0]
    assert "华光显示科技有限公司" in head and "400-820-1234" in head
    sign_row = source.split("<th>客户签字</th>", 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="engineer-sign"' in sign_row and "工程师小赵" in sign_row
    assert pdf.render_pdf(report).startswith(b"%PDF")


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 80), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _images_in_pdf(report: ServiceReport) -> int:
    from weasyprint import HTML

    raw = HTML(string=pdf.report_html(report), url_fetcher=pdf._fetcher()).write_pdf(
        uncompressed_pdf=True
    )
    return bytes(raw).count(b"/Subtype /Image")


def test_company_logo_is_printed_on_the_letterhead() -> None:
    from django.core.files.base import ContentFile

    world: dict[str, Any] = w.build()
    row = CompanySettings.objects.create(company_name="华光显示科技有限公司")
    wo = w.on_site(world, w.ticket(world))
    report = ServiceReport.objects.get(pk=w.filed_report(world, wo).pk)
    assert 'data-testid="logo"' not in pdf.report_html(report)
    without = _images_in_pdf(report)

    row.logo.save("logo.png", ContentFile(_png()), save=True)  # the cache drops on save
    source = pdf.report_html(report)
    head = source.split('data-testid="letterhead"', 1)[1].split("</div>", 1)[0]
    assert 'data-testid="logo"' in head and f'src="stored:{row.logo.name}"' in head
    assert _images_in_pdf(report) == without + 1  # the logo is really drawn, not a dead link


def test_report_html_fetches_only_stored_files() -> None:
    fetcher = pdf._fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/", "https://example.com/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_each_web_worker_warms_the_pdf_stack_at_start() -> None:
    """aftersales.wsgi (what every gunicorn worker imports) renders a throwaway PDF first;
    PDF_WARMUP=0 skips it. Timings: bench/report_pdf_bench.py, docs/benchmarks.md."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys, aftersales.wsgi; from aftersales.service.views import pdf; "
        "print(pdf.warmed_in is not None, 'weasyprint' in sys.modules)"
    )
    for flag, expected in (("1", "True True"), ("0", "False False")):
        out = subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "PDF_WARMUP": flag},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.strip().splitlines()[-1] == expected, flag
