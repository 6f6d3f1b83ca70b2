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
