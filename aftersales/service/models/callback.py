"""Callbacks (回访) after resolution, and periodic callback plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class Callback(BusinessModel):
    class State(models.TextChoices):
        DUE = "due", "待回访"
        DONE = "done", "已回访"
        UNREACHABLE = "unreachable", "联系不上"

    class Kind(models.TextChoices):
        TICKET = "ticket", "服务回访"
        PERIODIC = "periodic", "定期回访"
        PROJECT = "project", "项目回访"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.TICKET)
    ticket = models.ForeignKey(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
        verbose_name="报修单",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="callbacks",
        verbose_name="客户",
    )
    site = models.ForeignKey(
        "customers.Site", null=True, blank=True, on_delete=models.PROTECT, verbose_name="项目"
    )
    plan = models.ForeignKey(
        "service.CallbackPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
        verbose_name="回访计划",
    )
    due_date = models.DateField("应回访日期", db_index=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DUE)
    channel = models.CharField("方式", max_length=10, default="phone")
    attitude = models.PositiveSmallIntegerField("服务态度(1-5)", null=True, blank=True)
    quality = models.PositiveSmallIntegerField("服务质量(1-5)", null=True, blank=True)
    solved = models.BooleanField("问题已解决", null=True, blank=True)
    score = models.PositiveSmallIntegerField("总体评分(1-5)", null=True, blank=True)
    comment = models.TextField("客户意见", blank=True)
    dissatisfaction_cause = models.CharField("不满意原因", max_length=200, blank=True)
    done_at = models.DateTimeField("回访时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="回访人",
    )
    survey_token = models.CharField("评价链接标识", max_length=32, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("联系不上次数", default=0)
    next_attempt_at = models.DateTimeField("下次回访时间", null=True, blank=True)
    last_attempt_note = models.CharField("最近一次联系情况", max_length=200, blank=True)

    visibility = {"customer": "customer"}

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "due_date"],
                condition=models.Q(plan__isnull=False),
                name="uniq_plan_callback_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.get_kind_display()} {self.due_date}"

    @property
    def satisfied(self) -> bool:
        return bool(self.solved) and (self.score or 0) >= 3


class CallbackPlan(BusinessModel):
    """Periodic callbacks: key customers every 6 months, others yearly; projects twice a year
    in warranty with the first within 6 months of handover (SPEC §3.6)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="callback_plans",
        verbose_name="客户",
    )
    site = models.ForeignKey(
        "customers.Site", null=True, blank=True, on_delete=models.PROTECT, verbose_name="项目"
    )
    interval_months = models.PositiveSmallIntegerField("间隔(月)")
    next_due = models.DateField("下次回访")
    ends_on = models.DateField("截止日期", null=True, blank=True)
    reason = models.CharField("依据", max_length=100)

    visibility = {"customer": "customer"}

    class Meta:
        verbose_name = "回访计划"
        verbose_name_plural = "回访计划"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "site"],
                condition=models.Q(archived_at__isnull=True),
                name="uniq_active_callback_plan",
            )
        ]

    def __str__(self) -> str:
        return Said(
            "%(customer)s 每%(interval_months)s个月",
            customer=self.customer,
            interval_months=self.interval_months,
        )
