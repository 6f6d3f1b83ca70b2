"""Jobs of the installed base: the daily warranty-expiry notice to sales (idempotent: one
notice per unit and warranty end, whatever the number of runs or workers)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.installed_base import expiry


@app.periodic(cron="30 7 * * *", periodic_id="warranty_expiry_notice")
@app.task(
    name="installed_base.warranty_expiry_notice",
    queue="default",
    queueing_lock="warranty_expiry_notice",
)
def warranty_expiry_notice(timestamp: int) -> int:
    return expiry.announce_expiring()
