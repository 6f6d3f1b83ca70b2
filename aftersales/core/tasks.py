"""Background jobs of the core app.

Jobs are deferred with the Django connector, i.e. on the request's own database connection
and inside its transaction: a rolled-back change leaves no job behind, a committed one leaves
exactly one, and procrastinate's row locking gives it to exactly one worker.

A worker that dies mid-job (kill -9, a crash, a lost host) leaves its jobs ``doing``.
``core.retry_stalled_jobs`` runs periodically on every worker and, with procrastinate's own
stalled-job query, puts back in the queue every job whose worker's heartbeat is older than
``JOB_STALLED_AFTER_SECONDS`` — at most ``JOB_STALLED_MAX_RETRIES`` times, then the job is
marked failed. A job must therefore be safe to run again after a crash: the
notification delivery commits "sent" in the transaction that claimed the row (see
``aftersales.notifications.delivery``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

from aftersales.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@app.task(name="core.heartbeat", queue="default")
def heartbeat(token: str, requested_at: str) -> None:
    WorkerHeartbeat.objects.create(
        token=token,
        requested_at=dt.datetime.fromisoformat(requested_at),
        processed_at=timezone.now(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )


def request_heartbeat(token: str) -> None:
    heartbeat.defer(token=token, requested_at=timezone.now().isoformat())


async def retry_stalled(
    *, seconds_since_heartbeat: float, max_retries: int | None = None
) -> list[int]:
    """Put the running jobs of dead workers (heartbeat older than the threshold, or pruned)
    back in the queue; returns their ids. A job already re-queued ``max_retries`` times
    (``JOB_STALLED_MAX_RETRIES``) is marked failed instead and logged."""
    cap = settings.JOB_STALLED_MAX_RETRIES if max_retries is None else max_retries
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=seconds_since_heartbeat
    )
    ids = []
    for job in stalled:
        assert job.id is not None
        if job.attempts >= cap:
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            logger.error(
                "任务 %s（%s）已 %s 次因后台进程异常退出而中断，不再重试，已标记为失败",
                job.id,
                job.task_name,
                job.attempts + 1,
            )
            continue
        await app.job_manager.retry_job(job)
        ids.append(job.id)
    return ids


@app.periodic(cron=settings.JOB_STALLED_CHECK_CRON, periodic_id="core.retry_stalled_jobs")
@app.task(name="core.retry_stalled_jobs", queue="default", queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    ids = await retry_stalled(seconds_since_heartbeat=settings.JOB_STALLED_AFTER_SECONDS)
    if ids:
        logger.warning("后台进程异常退出，%s 个未完成的任务已重新排队：%s", len(ids), ids)
