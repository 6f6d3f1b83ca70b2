"""Loading lists (装车单): the finished-goods loading list of 001 4.3 (approved, sales order,
sales-finance review, logistics) and the daily parts loading list of 4.7; the finished-goods
pack borrowing slip (成品借用单) with its opened-pack ledger of 4.4."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class LoadingListKind(models.TextChoices):
    FINISHED_GOODS = "finished_goods", "成品装车单"
    DAILY = "daily", "补件装车单"


class LoadingListState(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审批中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批准"
    SALES_ORDERED = "sales_ordered", "已开销售单"
    FINANCE_REVIEWED = "finance_reviewed", "销售财务已审核"
    SHIPPED = "shipped", "已装车发货"
    DELIVERED = "delivered", "已到货"
    REJECTED = "rejected", "已驳回"


class LoadingList(BusinessModel):
    number = models.CharField("装车单号", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=15, choices=LoadingListKind.choices)
    day = models.DateField("发货日期", db_index=True)
    state = models.CharField(
        "状态", max_length=16, choices=LoadingListState.choices, default=LoadingListState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="开单人",
    )
    sales_order_no = models.CharField("销售单号", max_length=40, blank=True)
    sales_ordered_at = models.DateTimeField("开销售单时间", null=True, blank=True)
    finance_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="销售财务审核人",
    )
    finance_reviewed_at = models.DateTimeField("财务审核时间", null=True, blank=True)
    carrier = models.CharField("承运/车辆", max_length=100, blank=True)
    tracking_no = models.CharField("物流单号", max_length=60, blank=True)
    shipped_at = models.DateTimeField("装车时间", null=True, blank=True)
    delivered_at = models.DateTimeField("到货时间", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "装车单"
        verbose_name_plural = "装车单"
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/parts/loading-lists/{self.pk}/"


class LoadingListItem(models.Model):
    loading_list = models.ForeignKey(
        LoadingList, on_delete=models.PROTECT, related_name="items", verbose_name="装车单"
    )
    request = models.ForeignKey(
        "parts.PartsRequest",
        on_delete=models.PROTECT,
        related_name="loading_items",
        verbose_name="补件单",
    )
    seq = models.PositiveSmallIntegerField("发货顺序", default=1)

    class Meta:
        verbose_name = "装车明细"
        verbose_name_plural = "装车明细"
        ordering = ["loading_list", "seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loading_list", "request"], name="uniq_loading_item")
        ]

    def __str__(self) -> str:
        return f"{self.loading_list} {self.request}"


class BorrowingState(models.TextChoices):
    BORROWED = "borrowed", "已借出拆包"
    PART_ARRIVED = "part_arrived", "补件已到位"
    QA_FAILED = "qa_failed", "QA检验不合格"
    QA_PASSED = "qa_passed", "QA检验合格"
    RETURNED = "returned", "已归还成品仓"


class PackBorrowing(BusinessModel):
    """成品借用单 and its line in the opened-pack ledger (拆包产品台帐)."""

    number = models.CharField("借用单号", max_length=20, unique=True)
    request = models.ForeignKey(
        "parts.PartsRequest",
        on_delete=models.PROTECT,
        related_name="borrowings",
        verbose_name="补件单",
    )
    pack_code = models.CharField("成品包编号", max_length=60)
    pack_description = models.CharField("成品包名称", max_length=200)
    storage_area = models.CharField("拆包存放区域", max_length=60)
    reason = models.CharField("借用原因", max_length=200)
    state = models.CharField(
        "状态", max_length=15, choices=BorrowingState.choices, default=BorrowingState.BORROWED
    )
    borrowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="借用人"
    )
    borrowed_at = models.DateTimeField("借用时间")
    part_arrived_at = models.DateTimeField("补件到位时间", null=True, blank=True)
    qa_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="成品QA",
    )
    qa_at = models.DateTimeField("QA检验时间", null=True, blank=True)
    qa_note = models.CharField("QA检验结论", max_length=200, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="台帐签名（归还人）",
    )
    returned_at = models.DateTimeField("归还成品仓时间", null=True, blank=True)

    class Meta:
        verbose_name = "成品借用单"
        verbose_name_plural = "成品借用单（拆包产品台帐）"
        ordering = ["-borrowed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=~models.Q(state="returned"),
                name="one_open_borrowing_per_request",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/parts/borrowings/{self.pk}/"
