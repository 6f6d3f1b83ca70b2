"""服务任务: a ticket given to a dealer or to a company department (交办对象, exactly one of
the two) to handle. The dealer or the department must arrange it (confirm and inform the
customer) within 2 hours and the coordinator checks after 4 hours that it was; a check that
finds it not arranged is reported to the company's leaders (SPEC §3.3, seed 003) — both
clocks on the deadline engine, durations as data. The dealer or department may hand a task
back only with a reason; a dealer's hand-backs are counted (a dealer must not push warranty
customers to the company)."""

from __future__ import annotations

from typing import Any

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.models import user_field as _user


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", "待安排"
    ARRANGED = "arranged", "已安排"
    CHECKED = "checked", "主办已核查"
    HANDED_BACK = "handed_back", "已退回"


OPEN_TASK_STATES = (TaskState.ASSIGNED, TaskState.ARRANGED)


class DealerTask(BusinessModel):
    number = models.CharField("任务编号", max_length=20, unique=True)
    ticket = models.ForeignKey(
        "service.Ticket",
        on_delete=models.PROTECT,
        related_name="dealer_tasks",
        verbose_name="报修单",
    )
    # 交办对象: a dealer or a company department, exactly one
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="经销商",
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_tasks",
        verbose_name="承办部门",
    )
    state = models.CharField(
        "状态", max_length=15, choices=TaskState.choices, default=TaskState.ASSIGNED
    )
    in_warranty = models.BooleanField("保修期内", default=False)
    assigned_at = models.DateTimeField("交办时间")
    assigned_by = _user("交办人")
    arranged_at = models.DateTimeField("安排时间", null=True, blank=True)
    arranged_by = _user("安排人")
    arrangement = models.CharField("安排说明", max_length=300, blank=True)
    customer_informed = models.BooleanField("已告知客户", default=False)
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    checked_by = _user("核查人")
    check_ok = models.BooleanField("核查通过", null=True, blank=True)
    check_note = models.CharField("核查说明", max_length=300, blank=True)
    handed_back_at = models.DateTimeField("退回时间", null=True, blank=True)
    handed_back_by = _user("退回人")
    hand_back_reason = models.CharField("退回原因", max_length=300, blank=True)

    # a dealer sees its own tasks, a department's members their department's, a technician
    # the tasks of the tickets he works on
    visibility = {
        "dealer": "dealer",
        "department": "department",
        "technician": "ticket__work_orders__technician",
    }

    class Meta:
        verbose_name = "服务任务"
        verbose_name_plural = "服务任务"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(state__in=["assigned", "arranged"]),
                name="one_open_dealer_task_per_ticket",
            ),
            models.CheckConstraint(
                name="hand_back_has_reason",
                condition=~models.Q(state="handed_back") | ~models.Q(hand_back_reason=""),
            ),
            models.CheckConstraint(
                name="service_task_one_assignee",
                condition=models.Q(dealer__isnull=False, department__isnull=True)
                | models.Q(dealer__isnull=True, department__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["dealer", "state"]),
            models.Index(fields=["department", "state"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def assignee(self) -> Any:
        """交办对象: the dealer or the department."""
        return self.dealer if self.dealer_id else self.department

    @property
    def assignee_name(self) -> str:
        who = self.assignee
        return who.name if who is not None else ""

    def get_absolute_url(self) -> str:
        return "/dealers/tasks/"
