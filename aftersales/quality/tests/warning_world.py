"""A world for the quality warning: the service web world's P3 screens (e1, e2), two more of
that model (one at a second site of customer 1, one archived), one of another model, and
faults made the real way — tickets dispatched, worked and their reports filed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales import testing as t
from aftersales.core.services import archive_record
from aftersales.quality.models import WarningThreshold
from aftersales.service.models import ServiceReport
from aftersales.service.services import dispatch
from aftersales.service.tests import web_world


def build() -> dict[str, Any]:
    w = web_world.build()
    model = w["e1"].model
    s3 = t.site(w["c1"], name="会展中心二号馆")
    w["e3"] = t.equipment(s3, model, serial_no="LED2025003", software_version="V2.1")
    w["e4"] = t.equipment(s3, model, serial_no="LED2025004")
    archive_record(w["e4"], actor=None, check=False)
    other = t.product_model(w["led"], code="P5-800", name="户外P5屏")
    w["e5"] = t.equipment(s3, other, serial_no="P5-0001")
    w["model"] = model
    w["qd"] = t.user("quality_director", username="qd1", display_name="品质办主任")
    return w


def thresholds(**windows: Any) -> None:
    """Replace the default thresholds: ``month=3`` (a count) or ``month=(None, "0.5")``."""
    WarningThreshold.objects.filter(archived_at__isnull=True).update(archived_at=timezone.now())
    for window, value in windows.items():
        count, rate = value if isinstance(value, tuple) else (value, None)
        WarningThreshold.objects.create(
            window=window, min_count=count, min_rate=Decimal(rate) if rate else None
        )


def fault(w: dict[str, Any], *, equipment: str = "e1", at: dt.datetime | None = None) -> Any:
    """One filed report (component MOD-P3, cause class manufacturing) on ``equipment``,
    filed at ``at`` (the report is filed now, then dated back: the arrangement of the
    scenario, not of the scan under test)."""
    tk = web_world.ticket(w, equipment=equipment)
    wo = web_world.on_site(w, tk)
    report = web_world.filed_report(w, wo)
    dispatch.check_out(actor=w["tech"], work_order=wo)  # the report filed, the visit is done
    if at is not None:
        ServiceReport.objects.filter(pk=report.pk).update(filed_at=at)
    return report


def local(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))
