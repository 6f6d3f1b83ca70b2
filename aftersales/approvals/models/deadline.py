"""Deadlines as first-class data: every timed step of a document (delivery promise,
production cycle, QA inspection, customer confirmation…) is a row with its due time, its
done time, a reminder before and an escalation after. Rules (how long, counted how) are
data too."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", "小时（日历时间）"
    CALENDAR_DAYS = "calendar_days", "自然日"
    WORKING_DAYS = "working_days", "工作日（按工作日历）"


class DeadlineRule(BusinessModel):
    """时限规则: e.g. ``returns.inspection`` = 48 hours, ``parts.production`` = 12 days."""

    code = models.CharField("编码", max_length=40, unique=True)
    label = models.CharField("名称", max_length=60)
    amount = models.DecimalField("时长", max_digits=7, decimal_places=2)
    unit = models.CharField("单位", max_length=15, choices=DeadlineUnit.choices)
    remind_before_minutes = models.PositiveIntegerField("到期前提醒（分钟）", default=24 * 60)
    escalate_roles = models.JSONField("超时升级角色", default=list, blank=True)
    source = models.CharField("依据", max_length=100, blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "时限规则"
        verbose_name_plural = "时限规则"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label}：{self.amount.normalize():f}{self.get_unit_display()}"

    @property
    def amount_text(self) -> str:
        return f"{Decimal(self.amount).normalize():f}"


class Deadline(BusinessModel):
    """One timed step of one document (unique per document and step code)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="单据类型"
    )
    object_id = models.PositiveBigIntegerField("单据ID")
    document_number = models.CharField("单据编号", max_length=30)
    link = models.CharField("链接", max_length=200, blank=True)
    step = models.CharField("步骤", max_length=60)
    label = models.CharField("事项", max_length=100)
    rule = models.CharField("时限规则", max_length=40, blank=True)
    starts_at = models.DateTimeField("起算时间")
    due_at = models.DateTimeField("到期时间", db_index=True)
    remind_at = models.DateTimeField("提醒时间", null=True, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    reminded_at = models.DateTimeField("已提醒", null=True, blank=True)
    escalated_at = models.DateTimeField("已升级", null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="负责人",
    )
    owner_roles = models.JSONField("负责角色", default=list, blank=True)
    escalate_roles = models.JSONField("升级角色", default=list, blank=True)

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = "时限"
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "step"], name="uniq_deadline_step"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(
                fields=["due_at"],
                name="deadline_open_due",
                condition=models.Q(done_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.label} {timezone.localtime(self.due_at):%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    def is_overdue(self, now: object = None) -> bool:
        now = now or timezone.now()
        if self.cancelled_at is not None:
            return False
        if self.done_at is not None:
            return self.done_at > self.due_at
        return now > self.due_at  # type: ignore[operator]

    def colour(self, now: object = None) -> str:
        """sla-ok / sla-warn / sla-bad, as the SLA clocks are shown."""
        now = now or timezone.now()
        if self.is_overdue(now):
            return "sla-bad"
        if self.is_open and self.remind_at is not None and now >= self.remind_at:  # type: ignore[operator]
            return "sla-warn"
        return "sla-ok"

    def status_label(self, now: object = None) -> str:
        if self.cancelled_at is not None:
            return "已取消"
        if self.done_at is not None:
            return "超时完成" if self.done_at > self.due_at else "按时完成"
        return "已超时" if self.is_overdue(now) else "进行中"
