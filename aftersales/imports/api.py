"""REST endpoints for Excel import and export. (No ``from __future__ import annotations``:
ninja reads the annotations at definition time.)"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from aftersales.core.crud import Page
from aftersales.core.exports import download
from aftersales.core.schemas import In
from aftersales.imports import selectors, services
from aftersales.imports.models import ImportJob, ImportKind

router = Router(tags=["导入导出"])


class IssueOut(Schema):
    row: int | None
    column: str
    code: str
    message: str
    text: str


class SampleRowOut(Schema):
    row: int
    action: str
    action_label: str
    cells: list[str]


class ImportJobSummary(Schema):
    id: int
    kind: ImportKind
    kind_label: str
    original_name: str
    status: ImportJob.Status
    status_label: str
    message: str
    total_rows: int
    created_count: int
    updated_count: int
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: ImportJob) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: ImportJob) -> str:
        return obj.get_status_display()


class ImportJobOut(ImportJobSummary):
    background: bool
    valid_only: bool
    to_create: int
    to_update: int
    unchanged: int
    error_rows: int
    skipped_count: int
    progress_done: int
    progress_total: int
    percent: int
    validated_at: dt.datetime | None
    can_confirm: bool
    can_confirm_valid_only: bool
    headers: list[str]
    ignored_headers: list[str]
    sample: list[SampleRowOut]
    errors: list[IssueOut]

    @staticmethod
    def resolve_can_confirm(obj: ImportJob) -> bool:
        return obj.can_confirm()

    @staticmethod
    def resolve_can_confirm_valid_only(obj: ImportJob) -> bool:
        return obj.error_rows > 0 and obj.can_confirm(valid_only=True)

    @staticmethod
    def resolve_headers(obj: ImportJob) -> list[str]:
        return list(obj.preview.get("headers", []))

    @staticmethod
    def resolve_ignored_headers(obj: ImportJob) -> list[str]:
        return list(obj.preview.get("ignored_headers", []))

    @staticmethod
    def resolve_sample(obj: ImportJob) -> list[dict[str, Any]]:
        return list(obj.preview.get("sample", []))


class ImportConfirmIn(In):
    valid_only: bool = False


@router.post(
    "/imports",
    response={201: ImportJobOut},
    operation_id="import_upload",
    summary="上传 Excel 并试运行（预览）",
)
def upload(request: HttpRequest, kind: Form[ImportKind], file: File[UploadedFile]) -> Any:
    """小文件立即返回校验结果（status=validated/failed）；大文件返回 status=pending，
    请轮询 GET /imports/{id} 直至校验完成。"""
    job = services.upload_import(actor=request.user, kind=kind, file=file, name=file.name or "")
    return Status(201, job)


@router.get(
    "/imports", response=list[ImportJobSummary], operation_id="import_list", summary="我的导入记录"
)
@paginate(Page)
def list_jobs(request: HttpRequest) -> Any:
    return selectors.jobs_for(request.user).order_by("-created_at", "-id")


@router.get(
    "/imports/{int:job_id}",
    response=ImportJobOut,
    operation_id="import_get",
    summary="导入状态、进度与预览",
)
def get_job(request: HttpRequest, job_id: int) -> Any:
    return selectors.get_job(request.user, job_id)


@router.post(
    "/imports/{int:job_id}/confirm",
    response=ImportJobOut,
    operation_id="import_confirm",
    summary="确认导入",
)
def confirm(request: HttpRequest, job_id: int, payload: ImportConfirmIn) -> Any:
    """默认全部或全不：有任何错误行则拒绝；valid_only=true 时只导入无错误的行。"""
    return services.confirm_import(actor=request.user, job_id=job_id, valid_only=payload.valid_only)


def _file(name: str, content: bytes) -> HttpResponse:
    return download(content, name)


@router.get(
    "/imports/export/{kind}", operation_id="import_export", summary="导出 Excel（有权查看的记录）"
)
def export(request: HttpRequest, kind: ImportKind) -> Any:
    return _file(*selectors.export_file(kind, actor=request.user))


@router.get("/imports/template/{kind}", operation_id="import_template", summary="下载空白导入模板")
def template(request: HttpRequest, kind: ImportKind) -> Any:
    return _file(*selectors.template_file(kind, actor=request.user))
