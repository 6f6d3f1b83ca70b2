"""Reads: a user's import jobs, and the exports — exactly the records the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from aftersales.core.errors import NotFound
from aftersales.core.services import require_perm
from aftersales.core.visibility import visible
from aftersales.imports.columns import SPECS, Spec
from aftersales.imports.models import ImportJob
from aftersales.imports.writer import workbook_bytes


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Everyone sees the imports they made themselves."""
    if user is None or not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user)


def get_job(user: Any, pk: int) -> ImportJob:
    try:
        return jobs_for(user).get(pk=pk)
    except ImportJob.DoesNotExist:
        raise NotFound() from None


def _spec(kind: str) -> Spec:
    try:
        return SPECS[kind]
    except KeyError:
        raise NotFound("未知的导出类型", field="kind") from None


def _filename(spec: Spec, suffix: str) -> str:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"{spec.label.replace('/', '')}{suffix}-{day}.xlsx"


def export_file(kind: str, *, actor: Any) -> tuple[str, bytes]:
    """The active records of ``kind`` the actor may see, in the import's columns."""
    spec = _spec(kind)
    require_perm(actor, spec.model, "view")
    paths = [spec.export_path(col) for col in spec.columns]
    rows = (
        visible(spec.model, actor)
        .filter(archived_at__isnull=True)
        .order_by(*spec.order_by, "pk")
        .values_list(*paths)
        .iterator(chunk_size=2000)
    )
    return _filename(spec, "导出"), workbook_bytes(spec, rows)


def template_file(kind: str, *, actor: Any) -> tuple[str, bytes]:
    spec = _spec(kind)
    require_perm(actor, spec.model, "view")
    return _filename(spec, "导入模板"), workbook_bytes(spec, [])
