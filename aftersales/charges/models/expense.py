"""差旅费用报销: a technician's expense claim for one trip (a work order), its lines with their
receipts (photos); every line's date must fall inside the trip (the work order's dispatch to
its check-out). Reimbursement only after the approval flow (``expense_claim``, as data)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.models import money_field as money
from aftersales.core.models import user_field as user
from aftersales.core.uploads import VerifiedImageField


class ExpenseState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    REIMBURSED = "reimbursed", "已报销"


class ExpenseClaim(BusinessModel):
    number = models.CharField("报销单号", max_length=20, unique=True)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expense_claims",
        verbose_name="报销人",
    )
    work_order = models.ForeignKey(
        "service.WorkOrder",
        on_delete=models.PROTECT,
        related_name="expense_claims",
        verbose_name="派工单（出差）",
    )
    state = models.CharField(
        "状态", max_length=12, choices=ExpenseState.choices, default=ExpenseState.DRAFT
    )
    total = money("合计", default=Decimal("0.00"))
    note = models.CharField("说明", max_length=200, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("审批完成时间", null=True, blank=True)
    reimbursed_at = models.DateTimeField("报销时间", null=True, blank=True)
    reimbursed_by = user("报销经办")

    visibility = {"technician": "technician"}

    class Meta:
        verbose_name = "差旅报销单"
        verbose_name_plural = "差旅报销单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="expense_total_not_negative", condition=models.Q(total__gte=0)
            )
        ]
        indexes = [models.Index(fields=["state", "-created_at"], name="expense_state")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/charges/expenses/{self.pk}/"


class ExpenseLine(models.Model):
    class Category(models.TextChoices):
        TRANSPORT = "transport", "交通费"
        LODGING = "lodging", "住宿费"
        MEALS = "meals", "餐费补贴"
        OTHER = "other", "其他"

    claim = models.ForeignKey(
        ExpenseClaim, on_delete=models.PROTECT, related_name="lines", verbose_name="报销单"
    )
    spent_on = models.DateField("发生日期")
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    amount = money("金额")
    place = models.CharField("地点", max_length=100)
    description = models.CharField("说明", max_length=200, blank=True)
    receipt_image = VerifiedImageField("票据照片", upload_to="expenses/", blank=True)

    class Meta:
        verbose_name = "报销明细"
        verbose_name_plural = "报销明细"
        ordering = ["spent_on", "id"]
        constraints = [
            models.CheckConstraint(name="expense_line_positive", condition=models.Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.amount}"
