"""The loaner pool (备用机, SPEC §11): loaner units with serials and a state, lent against a
ticket with the customer's signature, taken back and inspected before they are lent again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from aftersales.core.models import BusinessModel


class LoanerState(models.TextChoices):
    AVAILABLE = "available", "可借用"
    LENT = "lent", "已借出"
    INSPECTING = "inspecting", "已归还待检验"
    IN_REPAIR = "in_repair", "维修中"
    RETIRED = "retired", "已报废"


class LoanerUnit(BusinessModel):
    code = models.CharField("备用机编号", max_length=30, unique=True)
    serial_no = models.CharField("序列号", max_length=50, unique=True)
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        on_delete=models.PROTECT,
        related_name="loaner_units",
        verbose_name="产品线",
    )
    model = models.ForeignKey(
        "installed_base.ProductModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loaner_units",
        verbose_name="型号",
    )
    warehouse = models.ForeignKey(
        "stock.Warehouse",
        on_delete=models.PROTECT,
        related_name="loaner_units",
        verbose_name="存放仓库",
    )
    state = models.CharField(
        "状态",
        max_length=12,
        choices=LoanerState.choices,
        default=LoanerState.AVAILABLE,
        db_index=True,
    )
    note = models.CharField("备注", max_length=200, blank=True)

    # company stock: a technician sees the units lent on the tickets he works on (the units
    # offered for his ticket come from the offer, not from this list)
    visibility = {"technician": "loans__ticket__work_orders__technician"}

    class Meta:
        verbose_name = "备用机"
        verbose_name_plural = "备用机"
        ordering = ["category", "code"]
        indexes = [models.Index(fields=["category", "state"])]

    def __str__(self) -> str:
        return f"{self.code}（{self.serial_no}）"


class Loan(BusinessModel):
    """One lending of a loaner unit to a ticket's customer."""

    number = models.CharField("借用单号", max_length=20, unique=True)
    unit = models.ForeignKey(
        LoanerUnit, on_delete=models.PROTECT, related_name="loans", verbose_name="备用机"
    )
    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.PROTECT, related_name="loans", verbose_name="报修单"
    )
    lent_at = models.DateTimeField("借出时间", default=timezone.now)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    signed_by = models.CharField("客户签收人", max_length=50)
    due_back = models.DateField("约定归还日期")
    returned_at = models.DateTimeField("归还时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="收回人",
    )
    inspected_at = models.DateTimeField("检验时间", null=True, blank=True)
    inspection_ok = models.BooleanField("检验合格", null=True, blank=True)
    inspection_note = models.CharField("检验说明", max_length=200, blank=True)
    overdue_at = models.DateTimeField("逾期提醒时间", null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField("逾期升级时间", null=True, blank=True, editable=False)

    visibility = {"customer": "ticket__customer", "technician": "lent_by"}  # + scopes.py

    class Meta:
        verbose_name = "备用机借用"
        verbose_name_plural = "备用机借用"
        ordering = ["-lent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(returned_at__isnull=True),
                name="stock_loan_one_open_per_unit",
                violation_error_message="该备用机已借出",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("stock:loaners")

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_back < timezone.localdate()
