"""Background job for large imports: the dry run and the import itself, with progress.

Deferred with the Django connector inside the transaction that creates or confirms the
import job, so a rolled-back upload leaves no job behind. Running it twice is harmless: each
phase only acts on a job in the matching status.
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.imports import services


@app.task(name="imports.run", queue="default")
def run_import_job(job_id: int, phase: str) -> None:
    if phase == "validate":
        services.run_validation(job_id, report=True)
    elif phase == "import":
        services.run_import(job_id, report=True)
    else:
        raise ValueError(f"unknown import phase {phase!r}")
