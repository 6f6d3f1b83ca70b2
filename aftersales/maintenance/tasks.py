"""Jobs of the maintenance domain: the daily generation of visits (idempotent: safe to run
twice or on two workers), release as tickets, and the overdue scan."""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.maintenance.services import generation, overdue


@app.periodic(cron="30 1 * * *", periodic_id="maintenance_generate")
@app.task(name="maintenance.generate", queue="default", queueing_lock="maintenance_generate")
def generate_visits(timestamp: int = 0) -> int:
    today = timezone.localdate()
    created = generation.generate(today=today).created
    overdue.mark_overdue(today=today)
    return created
