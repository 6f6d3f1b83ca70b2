"""Jobs of the stock domain: overdue loaners are told about and escalated (hourly); the
keepers hear of locations below their minimum stock (each morning); each location holding
stock gets this month's count deadline (daily, on the deadline engine, which reminds and
escalates it)."""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.stock.services import counts, flags, loaners


@app.periodic(cron="20 * * * *", periodic_id="stock_loans_overdue")
@app.task(name="stock.loans_overdue", queue="default", queueing_lock="stock_loans_overdue")
def loans_overdue(timestamp: int) -> int:
    return loaners.sweep_overdue(timezone.now())


@app.periodic(cron="30 7 * * *", periodic_id="stock_below_minimum")
@app.task(name="stock.below_minimum", queue="default", queueing_lock="stock_below_minimum")
def below_minimum(timestamp: int) -> int:
    return flags.tell_below_minimum(timezone.now())


@app.periodic(cron="10 0 * * *", periodic_id="stock_monthly_count")
@app.task(name="stock.monthly_count", queue="default", queueing_lock="stock_monthly_count")
def monthly_count(timestamp: int) -> int:
    return counts.monthly_deadlines(timezone.now())
