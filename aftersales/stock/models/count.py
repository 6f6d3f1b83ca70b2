"""Stock counts (盘点, SPEC §11 monthly count): a count sheet per location lists each lot at
each bin with its book quantity at opening; the counter enters what he finds without seeing
the book (blind count); the variances go to the configured approval flow and only the
approval posts them, as one adjustment movement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from aftersales.core.models import BusinessModel


class CountState(models.TextChoices):
    COUNTING = "counting", "盘点中"
    SUBMITTED = "submitted", "待审批"
    POSTED = "posted", "已过账"
    NO_VARIANCE = "no_variance", "无差异"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已作废"


OPEN_STATES = (CountState.COUNTING, CountState.SUBMITTED)


class StockCount(BusinessModel):
    number = models.CharField("盘点单号", max_length=20, unique=True)
    warehouse = models.ForeignKey(
        "stock.Warehouse", on_delete=models.PROTECT, related_name="counts", verbose_name="仓库"
    )
    state = models.CharField(
        "状态",
        max_length=12,
        choices=CountState.choices,
        default=CountState.COUNTING,
        db_index=True,
    )
    opened_at = models.DateTimeField("开始时间", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="提交人",
    )
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    adjustment = models.OneToOneField(
        "stock.Movement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_count",
        verbose_name="调整单",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    visibility = {"technician": "warehouse__technician"}

    class Meta:
        verbose_name = "盘点单"
        verbose_name_plural = "盘点单"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse"],
                condition=models.Q(state__in=["counting", "submitted"]),
                name="stock_count_one_open_per_warehouse",
                violation_error_message="该仓库已有进行中的盘点",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("stock:count", args=[self.pk])


class StockCountLine(BusinessModel):
    """One lot at one bin: its book quantity when the count opened and what was counted."""

    count = models.ForeignKey(
        StockCount, on_delete=models.PROTECT, related_name="lines", verbose_name="盘点单"
    )
    level = models.ForeignKey(
        "stock.StockLevel", on_delete=models.PROTECT, related_name="+", verbose_name="库存"
    )
    book = models.IntegerField("账面数量")
    counted = models.IntegerField("实盘数量", null=True, blank=True)
    counted_at = models.DateTimeField("录入时间", null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="盘点人",
    )

    visibility = {"technician": "count__warehouse__technician"}

    class Meta:
        verbose_name = "盘点明细"
        verbose_name_plural = "盘点明细"
        ordering = ["count", "id"]
        constraints = [
            models.UniqueConstraint(fields=["count", "level"], name="stock_count_line_once"),
            models.CheckConstraint(
                condition=models.Q(counted__isnull=True) | models.Q(counted__gte=0),
                name="stock_count_line_counted_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} #{self.pk}"

    @property
    def variance(self) -> int | None:
        return None if self.counted is None else self.counted - self.book
