"""Visits (巡检任务): one per plan occurrence, unique by (plan, occurrence key), and the
results recorded on them item by item."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.uploads import VerifiedImageField


class VisitState(models.TextChoices):
    PLANNED = "planned", "已计划"
    RELEASED = "released", "已生成工单"
    IN_PROGRESS = "in_progress", "巡检中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


# a visit in one of these has not started: a plan edit or a contract end may still move it
NOT_STARTED = (VisitState.PLANNED, VisitState.RELEASED)
OPEN_VISIT_STATES = (VisitState.PLANNED, VisitState.RELEASED, VisitState.IN_PROGRESS)


class CancelReason(models.TextChoices):
    REPLANNED = "replanned", "计划修改，不再需要"
    CONTRACT_ENDED = "contract_ended", "合同已结束"
    PLAN_ENDED = "plan_ended", "计划已结束"
    MANUAL = "manual", "人工取消"


class MaintenanceVisit(BusinessModel):
    plan = models.ForeignKey(
        "maintenance.MaintenancePlan",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name="巡检计划",
    )
    occurrence_key = models.CharField("周期键", max_length=20)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="片区"
    )
    nominal_date = models.DateField("计划日期")
    due_date = models.DateField("应完成日期", db_index=True)
    release_on = models.DateField("生成工单日期", help_text="这一天起生成工单交派工")
    plan_revision = models.PositiveIntegerField("计划修订号", default=1)
    state = models.CharField(
        "状态", max_length=12, choices=VisitState.choices, default=VisitState.PLANNED
    )
    cancel_reason = models.CharField(
        "取消原因", max_length=20, choices=CancelReason.choices, blank=True
    )
    cancel_note = models.CharField(
        "取消说明", max_length=150, blank=True, help_text="人工取消时填写的原因"
    )
    ticket = models.OneToOneField(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintenance_visit",
        verbose_name="工单",
    )
    checklist = models.ForeignKey(
        "maintenance.ChecklistTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="检查表（版本）",
    )
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="完成人",
    )
    co_engineers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="同行工程师"
    )
    overdue_at = models.DateTimeField("逾期登记时间", null=True, blank=True)
    remark = models.TextField("巡检结论", max_length=2000, blank=True)
    signature = VerifiedImageField("客户签字", upload_to="inspection-signatures/%Y/%m/", blank=True)
    signed_by = models.CharField("签字人", max_length=50, blank=True)
    signed_at = models.DateTimeField("签字时间", null=True, blank=True)

    visibility = {"customer": "customer", "technician": "ticket__work_orders__technician"}

    class Meta:
        verbose_name = "巡检任务"
        verbose_name_plural = "巡检任务"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "occurrence_key"], name="uniq_visit_occurrence")
        ]
        indexes = [
            models.Index(fields=["region", "due_date"], name="mvisit_region_due"),
            models.Index(fields=["state", "due_date"], name="mvisit_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.nominal_date:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at is not None and self.state != VisitState.DONE


class InspectionResult(models.Model):
    """The answer to one checklist item on one visit; a failed one raises one repair ticket."""

    class Outcome(models.TextChoices):
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"
        NOT_APPLICABLE = "na", "不适用"

    visit = models.ForeignKey(
        MaintenanceVisit, on_delete=models.PROTECT, related_name="results", verbose_name="巡检任务"
    )
    item = models.ForeignKey(
        "maintenance.ChecklistItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="检查项",
    )
    outcome = models.CharField("结果", max_length=4, choices=Outcome.choices)
    value = models.DecimalField("测量值", max_digits=12, decimal_places=3, null=True, blank=True)
    out_of_range = models.BooleanField("超出范围", default=False)
    remark = models.CharField("备注", max_length=200, blank=True)
    photo = VerifiedImageField("照片", upload_to="inspection-photos/%Y/%m/", blank=True)
    follow_up = models.OneToOneField(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_finding",
        verbose_name="整改报修单",
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "巡检结果"
        verbose_name_plural = "巡检结果"
        ordering = ["visit", "item__seq"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="uniq_result_item")]

    def __str__(self) -> str:
        return f"{self.visit} {self.item} {self.get_outcome_display()}"
