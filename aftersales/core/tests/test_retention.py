"""Retention as data: records last changed more than ``CompanySettings.retention_years``
(default 5) ago are listed for the administrator's export; nothing is deleted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aftersales import testing as t
from aftersales.core import retention
from aftersales.core.company import _CACHE
from aftersales.core.models import CompanySettings, Region

pytestmark = pytest.mark.django_db


def _aged(years: float) -> Region:
    region = t.region()
    Region.objects.filter(pk=region.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=int(365.25 * years))
    )
    return region


def test_records_past_the_configured_years_are_listed_and_exported(client) -> None:  # type: ignore[no-untyped-def]
    old, recent = _aged(6), _aged(4)
    labels = {p.label: p.count for p in retention.past_retention()}
    assert labels.get("core.region") == 1  # the 6-year-old one only, by the default 5 years
    CompanySettings.objects.create(company_name="测试公司", retention_years=3)
    _CACHE.clear()
    assert {p.label: p.count for p in retention.past_retention()}["core.region"] == 2
    CompanySettings.objects.create(company_name="测试公司", retention_years=10)
    _CACHE.clear()
    assert "core.region" not in {p.label for p in retention.past_retention()}
    CompanySettings.objects.create(company_name="测试公司", retention_years=5)
    _CACHE.clear()

    client.force_login(t.user("agent"))
    assert client.get("/admin-reports/retention.xlsx").status_code == 404
    client.force_login(t.user("admin"))
    resp = client.get("/admin-reports/retention.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    found = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[1] == "core.region"]
    assert [row[2] for row in found] == [old.pk]
    assert Region.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2  # nothing deleted
