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


def test_jobs_of_a_worker_with_a_stale_heartbeat_go_back_to_the_queue() -> None:
    """core.retry_stalled_jobs with procrastinate's own stalled-job query: the running job
    of a worker silent for longer than the threshold is queued again, a live worker's is not."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import async_to_sync
    from django.db import connection

    from aftersales.core.tasks import retry_stalled

    with transaction.atomic():
        request_heartbeat("dead")
        request_heartbeat("alive")
    dead, alive = (ProcrastinateJob.objects.get(args__token=t).pk for t in ("dead", "alive"))
    with connection.cursor() as cur:
        for job_id, age in ((dead, "1 minute"), (alive, "1 second")):
            cur.execute(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                f"VALUES (now() - interval '{age}') RETURNING id"
            )
            (worker_id,) = cur.fetchone()
            cur.execute(
                "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
                [worker_id, job_id],
            )
    # in a thread of its own: a browser test earlier in the run may have left this thread
    # with an event loop, where async_to_sync refuses to run
    with ThreadPoolExecutor(1) as pool:
        requeued = pool.submit(async_to_sync(retry_stalled), seconds_since_heartbeat=30).result()
    assert requeued == [dead]
    statuses = dict(ProcrastinateJob.objects.values_list("id", "status"))
    assert (statuses[dead], statuses[alive]) == ("todo", "doing")
    run_workers(1)  # the re-queued job now runs (exactly once)
    assert WorkerHeartbeat.objects.filter(token="dead").count() == 1


def test_a_job_whose_worker_died_too_often_is_failed_not_retried() -> None:
    """A job that kills its worker would take down every worker in turn: after
    JOB_STALLED_MAX_RETRIES re-queues it is marked failed instead (the others still retry)."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import async_to_sync
    from django.db import connection

    from aftersales.core.tasks import retry_stalled

    with transaction.atomic():
        request_heartbeat("poison")
        request_heartbeat("unlucky")
    poison, unlucky = (
        ProcrastinateJob.objects.get(args__token=t).pk for t in ("poison", "unlucky")
    )
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '1 minute') RETURNING id"
        )
        (worker_id,) = cur.fetchone()
        for job_id, attempts in ((poison, 3), (unlucky, 2)):
            cur.execute(
                "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s, attempts = %s "
                "WHERE id = %s",
                [worker_id, attempts, job_id],
            )
    with ThreadPoolExecutor(1) as pool:
        requeued = pool.submit(
            async_to_sync(retry_stalled), seconds_since_heartbeat=30, max_retries=3
        ).result()
    assert requeued == [unlucky]
    statuses = dict(ProcrastinateJob.objects.values_list("id", "status"))
    assert (statuses[poison], statuses[unlucky]) == ("failed", "todo")
    run_workers(1)
    assert not WorkerHeartbeat.objects.filter(token="poison").exists()
    assert WorkerHeartbeat.objects.filter(token="unlucky").count() == 1
