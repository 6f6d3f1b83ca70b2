"""A long list export run in the background: who asked for which list with which filters,
its progress, and the stored workbook (downloaded by its owner only; it is not served from
/media)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class ExportJob(BusinessModel):
    class Status(models.TextChoices):
        PENDING = "pending", "等待导出"
        RUNNING = "running", "正在导出"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导出清单", max_length=20)
    query = models.CharField("筛选条件", max_length=2000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name="导出人",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField("行数", default=0)
    done_rows = models.PositiveIntegerField("已导出行数", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    audit_exclude = frozenset({"updated_at", "done_rows"})

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename or self.kind} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, round(self.done_rows * 100 / self.total_rows))
