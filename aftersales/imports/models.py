"""An Excel import is itself a record: who uploaded which file, the dry-run result, progress
and the outcome (SPEC §2 master data, §13 records)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said
from aftersales.core.uploads import SPREADSHEETS, VerifiedFileField


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", "客户"
    SITES = "sites", "项目/现场"
    EQUIPMENT = "equipment", "设备"


class ImportJob(BusinessModel):
    class Status(models.TextChoices):
        PENDING = "pending", "等待校验"
        VALIDATING = "validating", "正在校验"
        VALIDATED = "validated", "待确认"
        IMPORTING = "importing", "正在导入"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    RUNNING = frozenset({Status.PENDING, Status.VALIDATING, Status.IMPORTING})

    kind = models.CharField("导入类型", max_length=20, choices=ImportKind.choices)
    file = VerifiedFileField("文件", upload_to="imports/%Y/%m/", kinds=SPREADSHEETS)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name="导入人",
    )
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    valid_only = models.BooleanField("仅导入无错误的行", default=False)
    background = models.BooleanField("后台处理", default=False)
    # dry-run result: {"headers": [...], "ignored_headers": [...], "sample": [...]}
    preview = models.JSONField("预览", default=dict, blank=True)
    # every error: {"row": 12 | None, "column": "出厂编号", "code": "...", "message": "..."}
    errors = models.JSONField("错误", default=list, blank=True)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    to_create = models.PositiveIntegerField("待新建", default=0)
    to_update = models.PositiveIntegerField("待更新", default=0)
    unchanged = models.PositiveIntegerField("无变化", default=0)
    error_rows = models.PositiveIntegerField("错误行数", default=0)
    created_count = models.PositiveIntegerField("已新建", default=0)
    updated_count = models.PositiveIntegerField("已更新", default=0)
    skipped_count = models.PositiveIntegerField("已跳过", default=0)
    progress_done = models.PositiveIntegerField("进度", default=0)
    progress_total = models.PositiveIntegerField("总量", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    validated_at = models.DateTimeField("校验完成时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    audit_exclude = frozenset({"updated_at", "preview", "errors", "progress_done"})

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return Said(
            "%(get_kind_display)s导入 #%(pk)s %(original_name)s",
            get_kind_display=self.get_kind_display(),
            pk=self.pk,
            original_name=self.original_name,
        )

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status in (self.Status.DONE, self.Status.VALIDATED) else 0
        return min(100, round(self.progress_done * 100 / self.progress_total))

    @property
    def file_errors(self) -> list[dict[str, object]]:
        return [e for e in self.errors if e.get("row") is None]

    def can_confirm(self, *, valid_only: bool = False) -> bool:
        """Guard for the confirm step: validated, no file-level error, something to write."""
        if self.status != self.Status.VALIDATED or self.file_errors:
            return False
        writable = self.to_create + self.to_update
        if valid_only:
            return writable > 0
        return self.error_rows == 0 and writable > 0
