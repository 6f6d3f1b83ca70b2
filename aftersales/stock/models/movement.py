"""Movements (库存单据): the only way stock changes. A numbered, audited document with lines;
each line names the lot it moved, its quantity, the bins and the lot's unit cost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", "入库"
    ISSUE = "issue", "出库"
    TRANSFER = "transfer", "调拨"
    TECH_RETURN = "tech_return", "工程师退库"
    SCRAP = "scrap", "报废"
    ADJUSTMENT = "adjustment", "盘点调整"


class Movement(BusinessModel):
    number = models.CharField("单据号", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=12, choices=MovementKind.choices, db_index=True)
    from_warehouse = models.ForeignKey(
        "stock.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements_out",
        verbose_name="发出仓库",
    )
    to_warehouse = models.ForeignKey(
        "stock.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements_in",
        verbose_name="接收仓库",
    )
    reason = models.CharField("事由", max_length=200, blank=True)
    reference = models.CharField("关联单据", max_length=40, blank=True, db_index=True)
    # what caused an automatic movement ("service_report:12"): posted once, never twice
    source_key = models.CharField("来源标识", max_length=60, blank=True, editable=False)
    posted_at = models.DateTimeField("过账时间", default=timezone.now, db_index=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )

    visibility = {"technician": "to_warehouse__technician"}  # plus from_warehouse: scopes.py

    class Meta:
        verbose_name = "库存单据"
        verbose_name_plural = "库存单据"
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_warehouse__isnull=False)
                | models.Q(to_warehouse__isnull=False),
                name="stock_movement_has_a_warehouse",
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="stock_movement_source_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class MovementLine(BusinessModel):
    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, related_name="lines", verbose_name="单据"
    )
    part = models.ForeignKey(
        "catalog.Part", on_delete=models.PROTECT, related_name="movement_lines", verbose_name="配件"
    )
    lot = models.ForeignKey(
        "stock.Lot", on_delete=models.PROTECT, related_name="movement_lines", verbose_name="批次"
    )
    quantity = models.IntegerField("数量")  # signed only for count adjustments (盘亏 < 0)
    from_bin = models.ForeignKey(
        "stock.Bin",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发出库位",
    )
    to_bin = models.ForeignKey(
        "stock.Bin",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接收库位",
    )
    unit_cost = models.DecimalField("单位成本(元)", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)

    visibility = {"technician": "movement__to_warehouse__technician"}

    class Meta:
        verbose_name = "库存单据明细"
        verbose_name_plural = "库存单据明细"
        ordering = ["movement", "id"]
        indexes = [models.Index(fields=["part", "movement"]), models.Index(fields=["lot"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quantity=0), name="stock_line_quantity_not_zero"
            )
        ]

    def __str__(self) -> str:
        return f"{self.movement_id}: {self.part_id} ×{self.quantity}"
