"""Jobs of the quality domain: the quality warning scan, every night (idempotent: a window's
warning is raised once, whatever the number of runs or workers)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.quality.services import warnings


@app.periodic(cron="30 2 * * *", periodic_id="quality_warning_scan")
@app.task(name="quality.warning_scan", queue="default", queueing_lock="quality_warning_scan")
def warning_scan(timestamp: int) -> int:
    return len(warnings.scan())
