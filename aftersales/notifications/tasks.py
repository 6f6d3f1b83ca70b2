"""Delivery jobs (queue ``notifications``).

``notifications.deliver`` makes one attempt for one outbox row. The row decides what happens
next: on a failure it records the error and the time of the next attempt (exponential backoff
from the channel's configuration) and the job is retried at exactly that time; after the
channel's maximum attempts the row is ``dead`` and the job ends as failed.
``notifications.sweep`` runs every minute: it re-defers rows whose job was lost. A job whose
worker died mid-send is put back in the queue by ``core.retry_stalled_jobs``; the row itself
was never left half-sent (see ``delivery``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from procrastinate import RetryDecision
from procrastinate.contrib.django import app
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy

from aftersales.notifications import delivery

logger = logging.getLogger(__name__)

QUEUE = "notifications"


class RetryLater(Exception):
    """The attempt failed; the row says when to try again."""

    def __init__(self, message: str, *, at: dt.datetime) -> None:
        super().__init__(message)
        self.at = at


class DeliveryAbandoned(Exception):
    """The row is dead: no more attempts."""


class OutboxRetry(BaseRetryStrategy):
    """Retry exactly when the outbox row asks for it, never otherwise."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, RetryLater):
            return RetryDecision(retry_at=exception.at)
        return None


@app.task(name=delivery.DELIVER_TASK, queue=QUEUE, retry=OutboxRetry())
def deliver(notification_id: int) -> None:
    outcome = delivery.deliver(notification_id)
    if outcome.result == "retry":
        assert outcome.retry_at is not None
        raise RetryLater(outcome.error, at=outcome.retry_at)
    if outcome.result == "dead":
        raise DeliveryAbandoned(outcome.error)


@app.periodic(cron="* * * * *", periodic_id="notifications.sweep")
@app.task(name="notifications.sweep", queue=QUEUE)
def sweep(timestamp: int) -> None:
    ids = delivery.orphaned_ids(now=timezone.now())
    for notification_id in ids:
        deliver.defer(notification_id=notification_id)
    if ids:
        logger.warning("notifications.sweep: %s re-deferred", len(ids))
