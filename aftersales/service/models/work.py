"""Work orders (派工单): assignment or offer to several technicians, acceptance, appointment,
check-in / check-out."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class WorkOrderState(models.TextChoices):
    OFFERED = "offered", "待接单"
    ACCEPTED = "accepted", "已接单"
    ON_SITE = "on_site", "已到场"
    DONE = "done", "已完成"
    LEFT = "left", "已离场（未完工）"
    DECLINED = "declined", "已拒单"
    REASSIGNED = "reassigned", "已改派"
    CANCELLED = "cancelled", "已取消"


class LeaveReason(models.TextChoices):
    """Why a technician leaves the site before the report is filed (9#5): the ticket then
    waits for what is missing — never shown as completed."""

    PARTS = "parts", "需要配件，配件到后再上门"
    CUSTOMER = "customer", "客户原因，需另约时间"
    REPORT_LATER = "report_later", "已处理，报告稍后提交"


LIVE_WO_STATES = frozenset(
    {WorkOrderState.OFFERED, WorkOrderState.ACCEPTED, WorkOrderState.ON_SITE}
)


class WorkOrder(BusinessModel):
    ticket = models.ForeignKey(
        "service.Ticket",
        on_delete=models.PROTECT,
        related_name="work_orders",
        verbose_name="报修单",
    )
    number = models.CharField("派工单号", max_length=20, unique=True)
    state = models.CharField(
        "状态",
        max_length=12,
        choices=WorkOrderState.choices,
        default=WorkOrderState.OFFERED,
        db_index=True,
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
        verbose_name="工程师",
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="派工人",
    )
    dispatched_at = models.DateTimeField("派工时间")
    accepted_at = models.DateTimeField("接单时间", null=True, blank=True)
    remote = models.BooleanField("远程服务", default=False)
    window_start = models.DateTimeField("预约开始", null=True, blank=True)
    window_end = models.DateTimeField("预约结束", null=True, blank=True)
    check_in_at = models.DateTimeField("到场时间", null=True, blank=True)
    check_in_lat = models.DecimalField(
        "到场纬度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    check_in_lng = models.DecimalField(
        "到场经度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    check_out_at = models.DateTimeField("离场时间", null=True, blank=True)
    leave_reason = models.CharField(
        "未完工离场原因", max_length=15, choices=LeaveReason.choices, blank=True
    )
    leave_note = models.CharField("离场说明", max_length=200, blank=True)
    late_minutes = models.PositiveIntegerField("迟到分钟", default=0)
    note = models.CharField("派工说明", max_length=200, blank=True)
    reassign_reason = models.CharField("改派原因", max_length=200, blank=True)
    planned_sequence = models.PositiveSmallIntegerField("计划顺序", null=True, blank=True)

    visibility = {"customer": "ticket__customer", "technician": "technician"}

    class Meta:
        verbose_name = "派工单"
        verbose_name_plural = "派工单"
        ordering = ["-dispatched_at"]
        indexes = [models.Index(fields=["technician", "state"], name="wo_tech_state")]

    def __str__(self) -> str:
        return self.number


class WorkOrderOffer(models.Model):
    """A work order offered to several technicians at once (抢单): the first to accept wins."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="offers")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "派工邀约"
        verbose_name_plural = "派工邀约"
        constraints = [
            models.UniqueConstraint(fields=["work_order", "technician"], name="uniq_offer")
        ]

    def __str__(self) -> str:
        return f"{self.work_order} → {self.technician}"
