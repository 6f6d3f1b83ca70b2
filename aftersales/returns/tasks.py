"""Jobs of the returns domain: the customer's silence for 2 days becomes deemed acceptance."""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.returns.services import handling


@app.periodic(cron="*/10 * * * *", periodic_id="returns_deem_silence")
@app.task(name="returns.deem_silence", queue="returns")
def deem_silence(timestamp: int = 0) -> int:
    return handling.deem_silence(timezone.now())
