"""Jobs of the stock domain: overdue loaners are told about and escalated (hourly)."""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.stock.services import loaners


@app.periodic(cron="20 * * * *", periodic_id="stock_loans_overdue")
@app.task(name="stock.loans_overdue", queue="default", queueing_lock="stock_loans_overdue")
def loans_overdue(timestamp: int) -> int:
    return loaners.sweep_overdue(timezone.now())
