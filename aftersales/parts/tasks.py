"""Jobs of the parts domain: the closing run every 15 days, the overdue judgement after the
grace, the monthly analysis draft. Each calls a service with the clock as ``now``."""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.parts.models import MonthlyAnalysis
from aftersales.parts.services import analysis, closing


@app.periodic(cron="0 7 * * *", periodic_id="parts_closing_run")
@app.task(name="parts.closing_run", queue="default", queueing_lock="parts_closing_run")
def closing_run(timestamp: int) -> str:
    created = closing.run_if_due(timezone.now())
    return created.number if created else ""


@app.periodic(cron="10 * * * *", periodic_id="parts_closing_enforce")
@app.task(name="parts.closing_enforce", queue="default", queueing_lock="parts_closing_enforce")
def closing_enforce(timestamp: int) -> int:
    return closing.enforce(timezone.now())


@app.periodic(cron="0 8 1 * *", periodic_id="parts_monthly_analysis")
@app.task(name="parts.monthly_analysis", queue="default", queueing_lock="parts_monthly_analysis")
def monthly_analysis(timestamp: int) -> str:
    now = timezone.now()
    month = analysis.previous_month(now)
    if MonthlyAnalysis.objects.filter(month=month).exists():
        return ""
    return analysis.prepare(actor=None, month=month, now=now).number
