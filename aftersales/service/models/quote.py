"""Quotes (报价单) for chargeable work: accepted by the customer before the work starts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class Quote(BusinessModel):
    class State(models.TextChoices):
        SENT = "sent", "待客户确认"
        ACCEPTED = "accepted", "客户已接受"
        REJECTED = "rejected", "客户已拒绝"
        SUPERSEDED = "superseded", "已作废"
        # a quote with a line outside the price list waits for its approval before the
        # customer may see or accept it (no charge outside the published list, SPEC §12)
        APPROVING = "approving", "手工项目待审批"
        NOT_APPROVED = "not_approved", "手工项目未获批准"

    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.PROTECT, related_name="quotes", verbose_name="报修单"
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.SENT)
    parts_total = models.DecimalField(
        "配件费", max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    labour_total = models.DecimalField(
        "人工费", max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    travel_total = models.DecimalField(
        "差旅费", max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    waived_total = models.DecimalField(
        "减免金额", max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    manual_total = models.DecimalField(
        "收费标准外项目", max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    total = models.DecimalField("合计", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    accept_token = models.CharField("确认链接标识", max_length=32, unique=True)
    decided_at = models.DateTimeField("客户决定时间", null=True, blank=True)
    decided_by_name = models.CharField("客户确认人", max_length=50, blank=True)
    decided_via = models.CharField("确认方式", max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="记录人",
    )

    visibility = {"customer": "ticket__customer", "technician": "ticket__work_orders__technician"}

    class Meta:
        verbose_name = "报价单"
        verbose_name_plural = "报价单"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return Said("%(ticket)s 报价 ¥%(total)s", ticket=self.ticket, total=self.total)

    def get_absolute_url(self) -> str:
        return f"/service/tickets/{self.ticket_id}/#quotes"


class QuoteLine(models.Model):
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name="报价单"
    )
    kind = models.CharField("类别", max_length=10)
    code = models.CharField("编码", max_length=30, blank=True)
    description = models.CharField("内容", max_length=200)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    unit_amount = models.DecimalField("单价", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    waived_amount = models.DecimalField(
        "减免", max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    basis = models.CharField("计价依据", max_length=20)

    class Meta:
        verbose_name = "报价明细"
        verbose_name_plural = "报价明细"

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"
