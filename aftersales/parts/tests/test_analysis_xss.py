"""Finding 8#1: a part code that closes ``</script>`` stays data on the monthly analysis."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.approvals.testing import build
from aftersales.catalog.models import Part
from aftersales.parts.models import MonthlyAnalysis

pytestmark = pytest.mark.django_db

XSS = "</script><svg onload=alert(0)>"


def test_hostile_part_code_cannot_close_the_chart_data_script() -> None:
    w = build()
    part = Part.objects.create(code=XSS, name="恶意编码配件")
    a = MonthlyAnalysis.objects.create(
        number="FX-XSS-1",
        month=timezone.localdate().replace(day=1) - dt.timedelta(days=40),
        figures={"top_parts": [{"code": part.code, "name": part.name, "quantity": 3}]},
        prepared_at=timezone.now(),
    )
    c = Client()
    c.force_login(w.coordinator)
    resp = c.get(f"/parts/analyses/{a.pk}/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<svg onload" not in html
    assert "<script>" not in html  # no inline script left on the page
    data = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert data is not None and json.loads(data.group(1))["parts"] == [[XSS, 3]]
    assert "script-src 'self'" in resp["Content-Security-Policy"]
