"""SLA clocks per ticket and target, and the pauses that stop them."""

from __future__ import annotations

from django.db import models

from aftersales.sla.models import Metric


class SlaClock(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "计时中"
        PAUSED = "paused", "已暂停"
        MET = "met", "已达成"
        BREACHED = "breached", "已超时"
        CANCELLED = "cancelled", "已取消"

    METRIC_CHOICES = [*Metric.choices, ("dispatch", "派工确认")]

    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.CASCADE, related_name="clocks", verbose_name="报修单"
    )
    metric = models.CharField("指标", max_length=12, choices=METRIC_CHOICES)
    target_minutes = models.PositiveIntegerField("时限(分钟)")
    working_time = models.BooleanField("按工作时间计")
    started_at = models.DateTimeField("起算时间")
    due_at = models.DateTimeField("到期时间", db_index=True)
    met_at = models.DateTimeField("达成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    paused_minutes = models.PositiveIntegerField("暂停分钟(计时)", default=0)
    breach_minutes = models.PositiveIntegerField("超时分钟", default=0)
    warned_at = models.DateTimeField("预警时间", null=True, blank=True)
    breach_notified_at = models.DateTimeField("超时通知时间", null=True, blank=True)
    manager_notified_at = models.DateTimeField("升级主管时间", null=True, blank=True)
    next_check_at = models.DateTimeField("下次检查", null=True, blank=True)

    class Meta:
        verbose_name = "SLA计时"
        verbose_name_plural = "SLA计时"
        constraints = [
            models.UniqueConstraint(fields=["ticket", "metric"], name="uniq_clock_metric")
        ]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="clock_next_check",
                condition=models.Q(next_check_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_metric_display()} {self.due_at:%m-%d %H:%M}"


class TicketPause(models.Model):
    class Reason(models.TextChoices):
        CUSTOMER = "customer", "等待客户"
        PARTS = "parts", "等待配件"
        FACTORY = "factory", "返厂维修"

    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.CASCADE, related_name="pauses", verbose_name="报修单"
    )
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    started_at = models.DateTimeField("开始")
    ended_at = models.DateTimeField("结束", null=True, blank=True)

    class Meta:
        verbose_name = "暂停记录"
        verbose_name_plural = "暂停记录"
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_reason_display()}"
