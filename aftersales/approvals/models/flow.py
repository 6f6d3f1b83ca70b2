"""Approval flows as data: a flow per document type, ordered steps, one approval request per
submission of a document, one task per step (per department for a parallel sign-off)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class ApprovalFlow(BusinessModel):
    """审批流程: e.g. 补件单 (售后主办审核 → 品质办主任审批)."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    document_type = models.CharField(
        "单据类型", max_length=60, help_text="app_label.model，如 parts.partsrequest"
    )
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "审批流程"
        verbose_name_plural = "审批流程"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(BusinessModel):
    """One step of a flow. Who may decide it is data: any of ``role_codes`` (empty = any
    company role), optionally only members of ``department``. With ``sign_off_departments``
    (or ``departments_from_document``) the step is a parallel sign-off: one task per
    department, all must approve. ``min_amount``: the step applies only from that amount."""

    flow = models.ForeignKey(
        ApprovalFlow, on_delete=models.PROTECT, related_name="steps", verbose_name="流程"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤名称", max_length=60)
    role_codes = models.JSONField("可审批角色", default=list, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="限定部门",
    )
    sign_off_departments = models.ManyToManyField(
        "accounts.Department", blank=True, related_name="+", verbose_name="会签部门"
    )
    departments_from_document = models.BooleanField(
        "会签部门由提交人选择", default=False, help_text="如退货：公司相关部门签署意见"
    )
    min_amount = models.DecimalField(
        "金额下限（达到才需本步）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline_rule = models.CharField("时限规则", max_length=40, default="approval.step")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "审批步骤"
        verbose_name_plural = "审批步骤"
        ordering = ["flow", "order"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "order"], name="uniq_approval_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.flow.name} {self.order}. {self.name}"

    def applies_to(self, amount: Decimal | None) -> bool:
        return self.min_amount is None or (amount is not None and amount >= self.min_amount)

    @property
    def is_parallel(self) -> bool:
        return self.departments_from_document or self.sign_off_departments.exists()


class RequestState(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    RETURNED = "returned", "退回修改"
    CANCELLED = "cancelled", "已撤销"


class TaskState(models.TextChoices):
    WAITING = "waiting", "待前序步骤"
    PENDING = "pending", "待审批"
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "驳回"
    RETURNED = "returned", "退回修改"
    CANCELLED = "cancelled", "已取消"


class Decision(models.TextChoices):
    APPROVE = "approve", "同意"
    REJECT = "reject", "驳回"
    RETURN = "return", "退回修改"


class ApprovalRequest(BusinessModel):
    """One submission of one document to its flow (a returned document is resubmitted as a
    new round: the earlier rounds stay as history)."""

    flow = models.ForeignKey(ApprovalFlow, on_delete=models.PROTECT, verbose_name="流程")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="单据类型"
    )
    object_id = models.PositiveBigIntegerField("单据ID")
    document_number = models.CharField("单据编号", max_length=30)
    document_title = models.CharField("单据摘要", max_length=200, blank=True)
    link = models.CharField("链接", max_length=200, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, null=True, blank=True)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    state = models.CharField(
        "状态", max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    current_order = models.PositiveSmallIntegerField("当前步骤", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="提交人",
    )
    submitted_at = models.DateTimeField("提交时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    departments = models.ManyToManyField(
        "accounts.Department", blank=True, related_name="+", verbose_name="会签部门"
    )

    class Meta:
        verbose_name = "审批单"
        verbose_name_plural = "审批单"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state="pending"),
                name="uniq_pending_approval_per_document",
            )
        ]

    def __str__(self) -> str:
        return Said(
            "%(name)s %(document_number)s 第%(round)s轮",
            name=self.flow.name,
            document_number=self.document_number,
            round=self.round,
        )


class ApprovalTask(BusinessModel):
    """A step (or one department's part of a parallel step) waiting for, or holding, one
    decision: who, when, approve / reject / return, comment."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.PROTECT, related_name="tasks", verbose_name="审批单"
    )
    step = models.ForeignKey(ApprovalStep, on_delete=models.PROTECT, verbose_name="步骤")
    order = models.PositiveSmallIntegerField("顺序")
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="会签部门",
    )
    state = models.CharField(
        "状态", max_length=10, choices=TaskState.choices, default=TaskState.WAITING, db_index=True
    )
    activated_at = models.DateTimeField("到达时间", null=True, blank=True)
    due_at = models.DateTimeField("审批时限", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "审批任务"
        verbose_name_plural = "审批任务"
        ordering = ["request", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "step"],
                condition=models.Q(department__isnull=True),
                name="uniq_task_per_step",
            ),
            models.UniqueConstraint(
                fields=["request", "step", "department"],
                condition=models.Q(department__isnull=False),
                name="uniq_task_per_step_department",
            ),
        ]

    def __str__(self) -> str:
        dept = f"（{self.department}）" if self.department_id else ""
        return f"{self.request.document_number} {self.step.name}{dept}"
