"""Shared builders for the notification tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.notifications.delivery import DELIVER_TASK
from aftersales.notifications.models import ChannelConfig, WebhookRobot


def configure(channel: str, **values: Any) -> ChannelConfig:
    """Channel configuration as data (transactional tests start without the seeded rows)."""
    return ChannelConfig.objects.update_or_create(channel=channel, defaults=values)[0]


def robot(channel: str, url: str, **kw: Any) -> WebhookRobot:
    return WebhookRobot.objects.create(
        name=kw.pop("name", f"{channel}群"), channel=channel, url=url, **kw
    )


def delivery_jobs(**filters: Any) -> Any:
    return ProcrastinateJob.objects.filter(task_name=DELIVER_TASK, **filters)


def drain(workers: int = 2, rounds: int = 8) -> None:
    """Run real worker processes until no delivery job is waiting (a retried job goes back to
    the queue after a one-shot worker has decided to stop, so a retry needs another round)."""
    for _ in range(rounds):
        t.run_workers(workers, queues="notifications")
        if not delivery_jobs(status__in=["todo", "doing"]).exists():
            return
    raise AssertionError("delivery jobs still waiting after all rounds")


@contextmanager
def running_workers(count: int = 2) -> Iterator[None]:
    """Long-running worker processes (as in production: they wait for jobs, so a retry
    scheduled a second later is taken by whichever worker polls first). Stopped with SIGTERM,
    procrastinate's graceful shutdown."""
    root = Path(__file__).resolve().parents[3]
    cmd = [sys.executable, "manage.py", "procrastinate", "worker", "-q", "notifications"]
    cmd += ["-c", "2", "--no-listen-notify", "-p", "0.2"]
    env = {**os.environ, "DATABASE_URL": t.database_url()}
    procs = [
        subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(count)
    ]
    try:
        yield
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()


def wait_until(check: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.2)


@pytest.fixture
def dept() -> Department:
    return Department.objects.create(code="SH", name="上海服务站")


@pytest.fixture
def staff(dept: Department) -> list[Any]:
    return [
        t.user(
            "coordinator",
            display_name="王主办",
            email="wang@example.com",
            phone="13800000001",
            department=dept,
        ),
        t.user(
            "technician",
            display_name="李工",
            email="li@example.com",
            phone="13800000002",
            department=dept,
        ),
    ]
