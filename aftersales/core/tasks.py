"""Background jobs of the core app.

Jobs are deferred with the Django connector, i.e. on the request's own database connection
and inside its transaction: a rolled-back change leaves no job behind, a committed one leaves
exactly one, and procrastinate's row locking gives it to exactly one worker.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.utils import timezone
from procrastinate.contrib.django import app

from aftersales.core.models import WorkerHeartbeat


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
