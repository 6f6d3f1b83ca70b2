"""Background jobs: deferred in the caller's transaction; never run when it rolls back,
run exactly once when it commits, even with two workers competing."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from aftersales.core.models import WorkerHeartbeat
from aftersales.core.tasks import request_heartbeat
from aftersales.testing import run_workers

pytestmark = pytest.mark.django_db(transaction=True)


def test_job_deferred_in_rolled_back_transaction_never_runs() -> None:
    token = uuid.uuid4().hex

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        request_heartbeat(token)
        assert ProcrastinateJob.objects.filter(args__token=token).exists()
        raise Boom
    assert not ProcrastinateJob.objects.filter(args__token=token).exists()
    run_workers(1)
    assert not WorkerHeartbeat.objects.filter(token=token).exists()


def test_committed_job_runs_exactly_once_with_two_workers() -> None:
    tokens = [uuid.uuid4().hex for _ in range(20)]
    with transaction.atomic():
        for token in tokens:
            request_heartbeat(token)
    run_workers(2)
    for token in tokens:
        assert WorkerHeartbeat.objects.filter(token=token).count() == 1
    assert ProcrastinateJob.objects.filter(args__token__in=tokens, status="succeeded").count() == 20
