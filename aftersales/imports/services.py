"""The import lifecycle: upload (→ dry run), confirm (→ import), each step audited.

    upload_import ─▶ pending ─▶ validating ─▶ validated ─confirm_import─▶ importing ─▶ done
                                    └──────────▶ failed (file errors)          └──▶ failed

Small files (``IMPORT_INLINE_MAX_ROWS``, default 500 data rows) are checked and imported
inside the request, at once; larger ones by the ``imports.run`` job, deferred in the same
transaction that creates or confirms the job, with progress the page polls. The import
re-checks every row against the database as it is then, inside one transaction: by default
one bad row means nothing is written; ``valid_only`` writes the good rows and skips the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.core import audit, uploads
from aftersales.core.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from aftersales.core.said import Said
from aftersales.core.services import require_perm
from aftersales.imports.bulk import write_rows
from aftersales.imports.columns import SPECS, Spec
from aftersales.imports.lookups import load_context
from aftersales.imports.models import ImportJob
from aftersales.imports.plan import ACTION_LABELS, RowPlan, plan_rows
from aftersales.imports.progress import Progress
from aftersales.imports.reader import (
    Converted,
    Issue,
    Sheet,
    convert_rows,
    count_rows,
    display,
    read_sheet,
)
from aftersales.imports.selectors import jobs_for

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
SAMPLE_ROWS = 20
Status = ImportJob.Status


def spec_for(kind: str) -> Spec:
    try:
        return SPECS[kind]
    except KeyError:
        raise NotFound("未知的导入类型", field="kind") from None


def inline_max_rows() -> int:
    return int(getattr(settings, "IMPORT_INLINE_MAX_ROWS", 500))


@dataclass
class Analysis:
    sheet: Sheet
    rows: list[Converted] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [*self.sheet.issues, *(i for p in self.plans for i in p.issues)]

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)

    def counts(self) -> dict[str, int]:
        return {
            "total_rows": len(self.sheet.rows),
            "to_create": self.count("create"),
            "to_update": self.count("update"),
            "unchanged": self.count("unchanged"),
            "error_rows": self.count("error"),
        }

    def preview(self) -> dict[str, Any]:
        return {
            "headers": [col.header for _, col in self.sheet.columns],
            "ignored_headers": self.sheet.ignored,
            "sample": [
                {
                    "row": p.row,
                    "action": p.action,
                    "action_label": ACTION_LABELS[p.action],
                    "cells": display(r),
                }
                for r, p in zip(self.rows[:SAMPLE_ROWS], self.plans[:SAMPLE_ROWS], strict=True)
            ],
        }


def analyse(
    spec: Spec, job: ImportJob, actor: Any, *, progress: Progress | None = None, lock: bool = False
) -> Analysis:
    """Read the job's file and decide what every row would do (no writes)."""
    with job.file.open("rb") as fh:
        sheet = read_sheet(spec, fh)
    if sheet.issues:
        return Analysis(sheet)
    if progress is not None:
        progress.total = len(sheet.rows)
        progress(0, force=True)
    rows = convert_rows(spec, sheet, progress=progress)
    ctx = load_context(spec, actor, rows, lock=lock)
    return Analysis(sheet, rows, plan_rows(spec, rows, sheet.present, ctx))


# ---------------------------------------------------------------- upload and dry run


def upload_import(
    *, actor: Any, kind: str, file: File, name: str = "", background: bool | None = None
) -> ImportJob:
    """Store the file as a new import job and run (or schedule) its dry run."""
    spec = spec_for(kind)
    require_perm(actor, spec.model, "add")
    name = (name or file.name or "").rsplit("/", 1)[-1]
    if (file.size or 0) > MAX_FILE_BYTES:
        raise ValidationFailed("文件过大，上限 20MB，请拆分后上传", field="file")
    try:  # the content decides, not the name
        uploads.identify(file, uploads.SPREADSHEETS, field="file")
    except ValidationFailed as exc:
        raise ValidationFailed(
            "请上传 .xlsx 格式的 Excel 文件（可先下载模板）", code=exc.code, field="file"
        ) from exc
    if background is None:
        limit = inline_max_rows()
        background = count_rows(file, stop_after=limit) > limit
    file.seek(0)
    with transaction.atomic():
        job = ImportJob(kind=spec.kind, user=actor, original_name=name[:200], background=background)
        job.file.save("import", file, save=False)  # stored as <uuid>.xlsx
        job.save()
        audit.record(
            job,
            actor=actor,
            action="create",
            after={"kind": job.kind, "original_name": job.original_name, "background": background},
        )
        if background:
            _defer(job, "validate")
    if not background:
        run_validation(job.pk)
    job.refresh_from_db()
    return job


def run_validation(job_id: int, *, report: bool = False) -> ImportJob:
    """The dry run: counts, a sample, every error. Idempotent (only a pending job is run)."""
    if not ImportJob.objects.filter(pk=job_id, status=Status.PENDING).update(
        status=Status.VALIDATING, progress_done=0, progress_total=0
    ):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    spec = SPECS[job.kind]
    progress = Progress(job.pk, 0, enabled=report)
    try:
        require_perm(job.user, spec.model, "add")
        analysis = analyse(spec, job, job.user, progress=progress)
    except DomainError as exc:
        return _fail(job, Status.VALIDATING, exc.message)
    except Exception:
        _fail(job, Status.VALIDATING, "校验时发生内部错误，请联系管理员")
        raise
    finally:
        progress.close()
    counts = analysis.counts()
    for name, value in counts.items():
        setattr(job, name, value)
    job.preview = analysis.preview()
    job.errors = [i.as_dict() for i in analysis.issues]
    job.status = Status.FAILED if analysis.sheet.issues else Status.VALIDATED
    job.message = _validation_message(analysis)
    job.validated_at = timezone.now()
    job.progress_done = job.progress_total = counts["total_rows"]
    if job.status == Status.FAILED:
        job.finished_at = job.validated_at
    job.save()
    audit.record(
        job,
        actor=job.user,
        action="transition",
        verb="validate",
        from_state=Status.PENDING,
        to_state=job.status,
        payload=counts,
    )
    return job


def _validation_message(analysis: Analysis) -> str:
    if analysis.sheet.issues:
        return analysis.sheet.issues[0].message
    c = analysis.counts()
    if not c["total_rows"]:
        return "文件中没有数据行"
    if c["error_rows"]:
        return Said(
            "发现 %(error_rows)s 行有错误。请修正后重新上传，或选择仅导入无错误的 %(v3)s 行",
            error_rows=c["error_rows"],
            v3=c["to_create"] + c["to_update"],
        )
    if not c["to_create"] and not c["to_update"]:
        return "所有行与系统中的数据一致，无需导入"
    return Said(
        "校验通过：将新建 %(to_create)s 条，更新 %(to_update)s 条，无变化 %(unchanged)s 条",
        to_create=c["to_create"],
        to_update=c["to_update"],
        unchanged=c["unchanged"],
    )


# ---------------------------------------------------------------- confirm and import


def confirm_import(*, actor: Any, job_id: int, valid_only: bool = False) -> ImportJob:
    """The user's go-ahead after the preview; imports now or schedules the import job."""
    with transaction.atomic():
        try:
            job = jobs_for(actor).select_for_update().get(pk=job_id)
        except ImportJob.DoesNotExist:
            raise NotFound() from None
        if not job.can_confirm(valid_only=valid_only):
            raise InvalidTransition(_why_not(job, valid_only))
        job.status = Status.IMPORTING
        job.valid_only = valid_only
        job.progress_done = 0
        job.progress_total = job.to_create + job.to_update
        job.save(
            update_fields=["status", "valid_only", "progress_done", "progress_total", "updated_at"]
        )
        audit.record(
            job,
            actor=actor,
            action="transition",
            verb="confirm",
            from_state=Status.VALIDATED,
            to_state=Status.IMPORTING,
            payload={"valid_only": valid_only},
        )
        if job.background:
            _defer(job, "import")
    if not job.background:
        run_import(job.pk)
    job.refresh_from_db()
    return job


def _why_not(job: ImportJob, valid_only: bool) -> str:
    if job.status != Status.VALIDATED:
        return Said(
            "导入任务当前状态为“%(get_status_display)s”，不能确认",
            get_status_display=job.get_status_display(),
        )
    if job.file_errors:
        return "文件有错误，不能导入，请修正后重新上传"
    if job.error_rows and not valid_only and job.to_create + job.to_update:
        return Said(
            "有 %(error_rows)s 行错误，默认全部不导入；请修正后重新上传，或选择仅导入无错误的行",
            error_rows=job.error_rows,
        )
    return "没有可导入的行"


class _Rejected(Exception):
    def __init__(self, analysis: Analysis) -> None:
        super().__init__("rejected")
        self.analysis = analysis


def run_import(job_id: int, *, report: bool = False) -> ImportJob:
    """Write a confirmed import in one transaction. Idempotent: only an importing job is run,
    and its final conditional status change makes a second concurrent run roll back."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != Status.IMPORTING:
        return job
    spec, actor = SPECS[job.kind], job.user
    progress = Progress(job.pk, job.progress_total, enabled=report)
    try:
        with transaction.atomic():
            require_perm(actor, spec.model, "add")
            analysis = analyse(spec, job, actor, lock=True)
            if analysis.sheet.issues or (analysis.count("error") and not job.valid_only):
                raise _Rejected(analysis)
            progress.total = analysis.count("create") + analysis.count("update")
            result = write_rows(spec, analysis.plans, actor=actor, job_id=job.pk, progress=progress)
            now = timezone.now()
            done = {
                "status": Status.DONE,
                "created_count": result.created,
                "updated_count": result.updated,
                "skipped_count": analysis.count("error"),
                "progress_done": progress.total,
                "progress_total": progress.total,
                "finished_at": now,
                "updated_at": now,
                "message": _done_message(result.created, result.updated, analysis.count("error")),
            }
            if not ImportJob.objects.filter(pk=job.pk, status=Status.IMPORTING).update(**done):
                raise Conflict("导入任务已被处理")
            for name, value in done.items():
                setattr(job, name, value)
            audit.record(
                job,
                actor=actor,
                action="transition",
                verb="import",
                from_state=Status.IMPORTING,
                to_state=Status.DONE,
                payload={
                    "created": result.created,
                    "updated": result.updated,
                    "skipped": job.skipped_count,
                },
            )
    except _Rejected as rejected:
        a = rejected.analysis
        return _fail(
            job,
            Status.IMPORTING,
            a.sheet.issues[0].message
            if a.sheet.issues
            else Said("发现 %(count)s 行错误，未导入任何数据", count=a.count("error")),
            analysis=a,
        )
    except IntegrityError:
        log.warning("import %s hit a uniqueness conflict", job.pk, exc_info=True)
        return _fail(
            job,
            Status.IMPORTING,
            "与已有记录冲突（可能有人同时导入或修改），未导入任何数据，请重新上传",
        )
    except DomainError as exc:
        return _fail(job, Status.IMPORTING, exc.message)
    except Exception:
        _fail(job, Status.IMPORTING, "导入时发生内部错误，未导入任何数据，请联系管理员")
        raise
    finally:
        progress.close()
    return job


def _done_message(created: int, updated: int, skipped: int) -> str:
    text = Said(
        "导入完成：新建 %(created)s 条，更新 %(updated)s 条", created=created, updated=updated
    )
    return text + (Said("，跳过有错误的 %(skipped)s 行", skipped=skipped) if skipped else "")


def _fail(
    job: ImportJob, from_state: str, message: str, *, analysis: Analysis | None = None
) -> ImportJob:
    job.status = Status.FAILED
    job.message = message[:300]
    job.finished_at = timezone.now()
    fields = ["status", "message", "finished_at", "updated_at"]
    if analysis is not None:
        for name, value in analysis.counts().items():
            setattr(job, name, value)
        job.preview = analysis.preview()
        job.errors = [i.as_dict() for i in analysis.issues]
        fields += [*analysis.counts(), "preview", "errors"]
    with transaction.atomic():
        job.save(update_fields=fields)
        audit.record(
            job,
            actor=job.user,
            action="transition",
            verb="fail",
            from_state=from_state,
            to_state=Status.FAILED,
            reason=job.message,
        )
    return job


def _defer(job: ImportJob, phase: str) -> None:
    from aftersales.imports.tasks import run_import_job

    run_import_job.configure(lock=f"imports-{job.pk}").defer(job_id=job.pk, phase=phase)
