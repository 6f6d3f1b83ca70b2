"""The closing run every 15 days (001 4.5) and the monthly parts analysis (4.12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class ReviewState(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审批中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class ClosingRun(BusinessModel):
    """补件收尾: the outstanding parts at the run, a grace of at most 3 days, then the
    items still owed are overdue and counted against the responsible group."""

    number = models.CharField("收尾单号", max_length=20, unique=True)
    run_at = models.DateTimeField("收尾时间", db_index=True)
    grace_until = models.DateTimeField("宽限截止")
    state = models.CharField(
        "状态", max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="统计人",
    )
    enforced_at = models.DateTimeField("逾期判定时间", null=True, blank=True)

    class Meta:
        verbose_name = "补件收尾"
        verbose_name_plural = "补件收尾"
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/parts/closing-runs/{self.pk}/"


class ClosingItem(models.Model):
    run = models.ForeignKey(
        ClosingRun, on_delete=models.PROTECT, related_name="items", verbose_name="收尾单"
    )
    request = models.ForeignKey(
        "parts.PartsRequest",
        on_delete=models.PROTECT,
        related_name="closing_items",
        verbose_name="补件单",
    )
    responsible_group = models.CharField("责任部门", max_length=15, blank=True)
    state_at_run = models.CharField("收尾时状态", max_length=15)
    committed_date = models.DateField("承诺交付日期", null=True, blank=True)
    production_due_at = models.DateTimeField("生产到期", null=True, blank=True)
    settled_at = models.DateTimeField("宽限内到位时间", null=True, blank=True)
    overdue = models.BooleanField("逾期", default=False, db_index=True)
    overdue_at = models.DateTimeField("判定逾期时间", null=True, blank=True)

    class Meta:
        verbose_name = "欠补件明细"
        verbose_name_plural = "欠补件明细"
        ordering = ["run", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "request"], name="uniq_closing_item")]

    def __str__(self) -> str:
        return f"{self.run} {self.request}"


class MonthlyAnalysis(BusinessModel):
    """月度补件分析: volumes, causes, free vs charged, overdue; reviewed by 售后主办 and
    confirmed by 品质办主任 or 品管中心总监."""

    number = models.CharField("分析编号", max_length=20, unique=True)
    month = models.DateField("月份（月初）", unique=True)
    figures = models.JSONField("统计数据", default=dict)
    summary = models.TextField("分析总结", blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="统计人",
    )
    prepared_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "月度补件分析"
        verbose_name_plural = "月度补件分析"
        ordering = ["-month"]

    def __str__(self) -> str:
        return Said("%(month)s补件分析", month=format(self.month, "%Y\u5e74%m\u6708"))

    def get_absolute_url(self) -> str:
        return f"/parts/analyses/{self.pk}/"
