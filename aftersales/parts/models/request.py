"""The parts request (补件单, SPEC §4) and its lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.warranty.rules import CAUSE_CHOICES


class Source(models.TextChoices):
    CUSTOMER = "customer", "客户申请"
    DEALER = "dealer", "经销商申请"
    AGENT = "agent", "售后专员代录"


class ChargeType(models.TextChoices):
    FREE = "free", "免费补件"
    CHARGED = "charged", "收费补件"


class Group(models.TextChoices):
    """The group that owes the part (counted against it when overdue)."""

    PARTS_GROUP = "parts_group", "补配组"
    PURCHASING = "purchasing", "采购部"
    FINISHED_GOODS = "finished_goods", "成品仓"
    LOGISTICS = "logistics", "物流部"


class PartsRequestState(models.TextChoices):
    REQUESTED = "requested", "已申请"
    ANALYSED = "analysed", "已分析"
    CONFIRMED = "confirmed", "已电话确认"
    IN_REVIEW = "in_review", "审批中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批准"
    IN_PRODUCTION = "in_production", "生产中"
    STOCK_SHIPMENT = "stock_shipment", "成品仓发货中"
    IN_STORE = "in_store", "已入售后仓"
    SHIPPED = "shipped", "已发货"
    DELIVERED = "delivered", "已交付"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已取消"


S = PartsRequestState
# owed to the customer: counted by the closing run (SPEC §4.7)
OUTSTANDING_STATES = (S.APPROVED, S.IN_PRODUCTION, S.STOCK_SHIPMENT)
CLOSED_STATES = (S.DELIVERED, S.REJECTED, S.CANCELLED)


class PartsRequest(BusinessModel):
    number = models.CharField("补件单号", max_length=20, unique=True)
    source = models.CharField("申请来源", max_length=10, choices=Source.choices)
    state = models.CharField(
        "状态", max_length=15, choices=PartsRequestState.choices, default=S.REQUESTED, db_index=True
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="parts_requests",
        verbose_name="客户",
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts_requests",
        verbose_name="经销商",
    )
    ticket = models.ForeignKey(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts_requests",
        verbose_name="来源报修单",
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    reason = models.TextField("补件原因")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申请人",
    )
    # 4.1 analysis
    # analysis of the reason (001 4.1) on the one list of causes, warranty.rules (ADR 0008)
    cause = models.CharField("原因分析", max_length=20, choices=CAUSE_CHOICES, blank=True)
    charge_type = models.CharField(
        "收费类型", max_length=10, choices=ChargeType.choices, blank=True, db_index=True
    )
    amount = models.DecimalField(
        "收费金额(元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    analysis_note = models.TextField("分析说明", blank=True)
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="分析人",
    )
    analysed_at = models.DateTimeField("分析时间", null=True, blank=True)
    # 4.1 phone confirmation
    committed_date = models.DateField("承诺交付日期", null=True, blank=True)
    confirmation_note = models.TextField("电话确认记录", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("电话确认时间", null=True, blank=True)
    # 4.2 / 4.3 release
    responsible_group = models.CharField(
        "责任部门", max_length=15, choices=Group.choices, blank=True, db_index=True
    )
    released_at = models.DateTimeField("下单时间", null=True, blank=True)
    production_due_at = models.DateTimeField("生产到期", null=True, blank=True)
    received_at = models.DateTimeField("入库时间", null=True, blank=True)
    shipped_at = models.DateTimeField("发货时间", null=True, blank=True)
    delivered_at = models.DateTimeField("交付时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    visibility = {"customer": "customer_id", "dealer": "dealer_id"}

    class Meta:
        verbose_name = "补件单"
        verbose_name_plural = "补件单"
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-requested_at"]),
            models.Index(fields=["customer", "-requested_at"]),
            models.Index(fields=["dealer", "-requested_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="parts_amount_not_negative",
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/parts/requests/{self.pk}/"

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES


class PartsRequestLine(BusinessModel):
    request = models.ForeignKey(
        PartsRequest, on_delete=models.PROTECT, related_name="lines", verbose_name="补件单"
    )
    part = models.ForeignKey("catalog.Part", on_delete=models.PROTECT, verbose_name="配件")
    quantity = models.PositiveIntegerField("数量")
    outsourced = models.BooleanField("外协件", default=False)
    note = models.CharField("说明", max_length=200, blank=True)

    visibility = {"customer": "request__customer_id", "dealer": "request__dealer_id"}

    class Meta:
        verbose_name = "补件明细"
        verbose_name_plural = "补件明细"
        ordering = ["request", "id"]
        constraints = [
            models.CheckConstraint(
                name="parts_line_qty_positive", condition=models.Q(quantity__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.part} × {self.quantity}"
