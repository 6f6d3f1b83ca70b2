"""Kill -9 of a real worker process in the middle of a burst of e-mails, then a new worker:
every notification is delivered exactly once — none lost with its job left ``doing``, none
delivered twice (issue 8 #7). Real PostgreSQL, real worker processes started the way
``make run`` starts them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction

from aftersales import testing as t
from aftersales.notifications.delivery import message_id
from aftersales.notifications.models import Channel, LocalMail, Notification, Status
from aftersales.notifications.services import Recipient, notify
from aftersales.notifications.tests.conftest import configure, delivery_jobs, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("workers")]

ROOT = Path(__file__).resolve().parents[3]
BURST = 80


def start_worker() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": t.database_url(),
        "EMAIL_BACKEND": "aftersales.notifications.tests.slow_mailbox.SlowMailboxBackend",
        "SLOW_MAILBOX_SECONDS": "0.2",
        # a short stall threshold, checked every second
        "JOB_HEARTBEAT_SECONDS": "0.5",
        "JOB_STALLED_AFTER_SECONDS": "2",
        "JOB_STALLED_CHECK_CRON": "* * * * * *",
    }
    cmd = [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "4"]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_kill_9_of_the_worker_mid_burst_loses_and_duplicates_nothing() -> None:
    configure(Channel.EMAIL, enabled=True, retry_base_seconds=0, max_attempts=5)
    with transaction.atomic():
        for i in range(BURST):
            notify(
                key=f"burst:{i}",
                recipients=[Recipient(name=f"客户{i}", email=f"c{i}@example.com")],
                subject=f"工程师已出发（BX-{i:03d}）",
                body="工程师已出发前往现场。",
                channels=["email"],
            )
    rows = list(Notification.objects.filter(channel=Channel.EMAIL))
    assert len(rows) == BURST

    first = start_worker()
    try:
        wait_until(lambda: LocalMail.objects.count() >= 20, timeout=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # killed in the middle: jobs were running, messages were still waiting
    assert delivery_jobs(status="doing").exists()
    assert LocalMail.objects.count() < BURST

    second = start_worker()
    try:
        wait_until(
            lambda: (
                not Notification.objects.exclude(status=Status.SENT).exists()
                and not delivery_jobs(status__in=["todo", "doing"]).exists()
            ),
            timeout=45,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    delivered = Counter(LocalMail.objects.values_list("message_id", flat=True))
    assert delivered == Counter({message_id(row): 1 for row in rows})
    assert sorted(LocalMail.objects.values_list("to", flat=True)) == sorted(
        f"c{i}@example.com" for i in range(BURST)
    )
    assert not delivery_jobs(status__in=["doing", "failed"]).exists()
    # the killed worker's jobs were put back in the queue (procrastinate counts the retry)
    assert delivery_jobs(status="succeeded", attempts__gte=1).exists()
