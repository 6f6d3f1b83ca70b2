"""Stock per part × location × lot. A lot (批次) keeps the date it came in and its unit cost
wherever its units move; issues take the oldest lot first (FIFO). Quantities change only
through the movement services, with conditional updates on locked rows."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from aftersales.core.models import BusinessModel


class LotSource(models.TextChoices):
    PURCHASE = "purchase", "采购/生产入库"
    PARTS_RECEIPT = "parts_receipt", "补件入库检查"
    REUSABLE = "reusable", "旧件鉴定可再用"
    OPENING = "opening", "期初库存"
    COUNT = "count", "盘盈"


class Lot(BusinessModel):
    number = models.CharField("批次号", max_length=30, unique=True)
    part = models.ForeignKey(
        "catalog.Part", on_delete=models.PROTECT, related_name="lots", verbose_name="配件"
    )
    received_at = models.DateTimeField("入库时间", default=timezone.now, db_index=True)
    unit_cost = models.DecimalField("单位成本(元)", max_digits=12, decimal_places=2)
    source = models.CharField("来源", max_length=15, choices=LotSource.choices)
    supplier_lot = models.CharField("供应商批号", max_length=50, blank=True)

    visibility = {"technician": "levels__warehouse__technician"}

    class Meta:
        verbose_name = "批次"
        verbose_name_plural = "批次"
        ordering = ["part", "received_at", "id"]
        indexes = [
            models.Index(fields=["part", "received_at", "id"]),
            GinIndex(OpClass(Upper("number"), name="gin_trgm_ops"), name="stock_lot_number_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0), name="stock_lot_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.number


class StockLevel(BusinessModel):
    """The quantity of one lot at one place (warehouse, and bin where the warehouse has bins)."""

    warehouse = models.ForeignKey(
        "stock.Warehouse", on_delete=models.PROTECT, related_name="levels", verbose_name="仓库"
    )
    bin = models.ForeignKey(
        "stock.Bin",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="levels",
        verbose_name="库位",
    )
    part = models.ForeignKey(
        "catalog.Part", on_delete=models.PROTECT, related_name="stock_levels", verbose_name="配件"
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="levels", verbose_name="批次"
    )
    quantity = models.IntegerField("数量", default=0)

    visibility = {"technician": "warehouse__technician"}

    class Meta:
        verbose_name = "库存"
        verbose_name_plural = "库存"
        ordering = ["warehouse", "part", "lot__received_at", "id"]
        indexes = [
            models.Index(fields=["part", "warehouse"]),
            models.Index(fields=["warehouse", "part"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="stock_level_never_negative",
                violation_error_message="库存不能为负数",
            ),
            models.UniqueConstraint(
                fields=["warehouse", "bin", "lot"],
                nulls_distinct=False,
                name="stock_level_unique_place_lot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.part_id} {self.lot} ×{self.quantity}"

    @property
    def value(self) -> Decimal:
        """Stock value of the row: quantity × the lot's unit cost (read with the lot)."""
        return (self.quantity * self.lot.unit_cost).quantize(Decimal("0.01"))
