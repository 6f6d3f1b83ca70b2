"""Jobs of the service domain: SLA checks at their exact time, a sweep every minute as a
safety net, and the daily callback plan generation."""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.service.services import callbacks, clocks


@app.task(name="service.sla_check", queue="sla")
def sla_check(ticket_id: int) -> int:
    return clocks.process_ticket(ticket_id)


@app.periodic(cron="* * * * *", periodic_id="sla_sweep")
@app.task(name="service.sla_sweep", queue="sla", queueing_lock="sla_sweep")
def sla_sweep(timestamp: int) -> int:
    return clocks.sweep()


@app.periodic(cron="15 6 * * *", periodic_id="callback_plans")
@app.task(name="service.callback_plans", queue="default", queueing_lock="callback_plans")
def callback_plans(timestamp: int) -> int:
    callbacks.ensure_plans()
    return callbacks.generate_due()
