"""Jobs of the reports: the daily facts kept current (today and yesterday every 15 minutes,
the last two months nightly, for late reports and callbacks), and the monthly pack on the 1st
for the previous month (idempotent: one pack per month whatever the number of runs)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.reports.services import packs, summary


@app.periodic(cron="*/15 * * * *", periodic_id="reports_refresh_today")
@app.task(name="reports.refresh_today", queue="reports", queueing_lock="reports_refresh_today")
def refresh_today(timestamp: int = 0) -> int:
    return summary.refresh_today()


@app.periodic(cron="20 2 * * *", periodic_id="reports_rebuild_recent")
@app.task(name="reports.rebuild_recent", queue="reports", queueing_lock="reports_rebuild_recent")
def rebuild_recent(timestamp: int = 0) -> int:
    return summary.rebuild_recent()


@app.periodic(cron="0 6 1 * *", periodic_id="reports_monthly_pack")
@app.task(name="reports.monthly_pack_previous", queue="reports")
def monthly_pack_previous(timestamp: int = 0) -> int:
    month = packs.previous_month(timezone.localdate())
    return packs.generate(month).pk


@app.task(name="reports.monthly_pack", queue="reports")
def monthly_pack(month: str, force: bool = False, actor_id: int | None = None) -> int:
    from aftersales.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return packs.generate(dt.date.fromisoformat(month), actor=actor, force=force).pk
