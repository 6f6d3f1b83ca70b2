"""Jobs of the deadlines: reminders before and escalations after, every five minutes."""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.approvals.services import deadlines


@app.periodic(cron="*/5 * * * *", periodic_id="deadline_sweep")
@app.task(name="approvals.deadline_sweep", queue="default", queueing_lock="deadline_sweep")
def deadline_sweep(timestamp: int) -> int:
    return deadlines.process_due()
