"""List exports (tickets, callbacks, work orders): up to ``EXPORT_INLINE_MAX_ROWS`` rows are
written in the request and streamed from a temporary file; a longer export becomes an
``ExportJob`` run by the ``workbench.export`` job with progress, stored for its owner to
download. Either way the rows are the list's own selector for the requesting user, so his
visibility applies (docs/adr/0006-list-exports-inline-or-in-a-job.md)."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.exports import (
    LIST_EXPORTS,
    MAX_LIST_ROWS,
    ListExport,
    list_filename,
    write_list,
)
from aftersales.core.said import Said
from aftersales.workbench.models import ExportJob

INLINE_MAX_ROWS = 5000
CHUNK = 2000


def inline_max_rows() -> int:
    return int(getattr(settings, "EXPORT_INLINE_MAX_ROWS", INLINE_MAX_ROWS))


def spec_of(kind: str) -> ListExport:
    spec = LIST_EXPORTS.get(kind)
    if spec is None:
        raise NotFound("没有这种导出清单")
    return spec


def export_rows(spec: ListExport, user: Any, query: QueryDict) -> Any:
    """The rows to export, or a Chinese refusal: bad filters (the list's own message), or
    more than MAX_LIST_ROWS rows."""
    rows = spec.rows(user, query)
    if rows.count() > MAX_LIST_ROWS:
        raise ValidationFailed(
            Said(
                "符合条件的记录超过 %(MAX_LIST_ROWS)s 行，请缩小筛选范围后再导出",
                MAX_LIST_ROWS=format(MAX_LIST_ROWS, ","),
            ),
            field="export",
        )
    return rows


def start_background(*, actor: Any, kind: str, query: str) -> ExportJob:
    """An export job for ``actor``, deferred in the transaction that records it."""
    from aftersales.workbench.tasks import run_export_job

    spec = spec_of(kind)
    rows = export_rows(spec, actor, QueryDict(query))
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            query=query[:2000],
            user=actor,
            total_rows=rows.count(),
            filename=list_filename(spec),
        )
        audit.record(job, actor=actor, action="create", after={"kind": kind, "query": job.query})
        run_export_job.configure(lock=f"export-{job.pk}").defer(job_id=job.pk)
    return job


def run_export(job_id: int) -> ExportJob | None:
    """Write the job's workbook with progress. Safe to run again: a finished job is left
    alone; a job interrupted mid-way is written again from the start."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done_rows=0)
    spec = spec_of(job.kind)
    try:
        rows = export_rows(spec, job.user, QueryDict(job.query))

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(done_rows=done)

        with tempfile.TemporaryFile() as tmp:
            written = write_list(tmp, spec, rows.iterator(chunk_size=CHUNK), progress)
            tmp.seek(0)
            with transaction.atomic():
                job.file.save(job.filename or "export.xlsx", File(tmp), save=False)
                job.status, job.done_rows, job.total_rows = ExportJob.Status.DONE, written, written
                job.finished_at = timezone.now()
                job.save(
                    update_fields=[
                        "file",
                        "status",
                        "done_rows",
                        "total_rows",
                        "finished_at",
                        "updated_at",
                    ]
                )
                audit.record(
                    job,
                    actor=None,
                    action="action",
                    verb="export_done",
                    from_state=ExportJob.Status.RUNNING,
                    to_state=ExportJob.Status.DONE,
                    payload={"rows": written},
                )
    except ValidationFailed as exc:
        _fail(job, exc.message)
    return job


def _fail(job: ExportJob, message: str) -> None:
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, message=message[:300], finished_at=timezone.now()
        )
        audit.record(
            job,
            actor=None,
            action="action",
            verb="export_failed",
            to_state=ExportJob.Status.FAILED,
            reason=message[:300],
        )


def job_for(user: Any, pk: int) -> ExportJob:
    """One of the user's own export jobs."""
    job = ExportJob.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise NotFound("导出任务不存在或无权查看")
    return job


def recent_jobs(user: Any, days: int = 7) -> Any:
    since = timezone.now() - dt.timedelta(days=days)
    return ExportJob.objects.filter(user=user, created_at__gte=since)
