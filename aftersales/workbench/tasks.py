"""Background job for long list exports, with progress (deferred in the transaction that
records the export job; running it twice is harmless, see ``services.run_export``)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.workbench import services


@app.task(name="workbench.export", queue="default")
def run_export_job(job_id: int) -> None:
    services.run_export(job_id)
