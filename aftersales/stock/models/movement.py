"""Movements (库存单据): the only way stock changes. A numbered, audited document with lines;
each line names the lot it moved, its quantity, the bins and the lot's unit cost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


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


class ShortageState(models.TextChoices):
    OPEN = "open", "待补货"
    REPLENISHED = "replenished", "已补货"


class Shortage(BusinessModel):
    """A part a technician used on site that his van did not hold (缺料): the report was
    accepted all the same; the row shows the gap and proposes a replenishment transfer."""

    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stock_shortages",
        verbose_name="工程师",
    )
    van = models.ForeignKey(
        "stock.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shortages",
        verbose_name="车载库",
    )
    part = models.ForeignKey(
        "catalog.Part", on_delete=models.PROTECT, related_name="shortages", verbose_name="配件"
    )
    needed = models.PositiveIntegerField("用量")
    issued = models.PositiveIntegerField("已出库")
    short = models.PositiveIntegerField("缺少")
    reference = models.CharField("关联单据", max_length=40, blank=True)
    source_key = models.CharField("来源标识", max_length=60, editable=False)
    proposed_from = models.ForeignKey(
        "stock.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="建议补货仓库",
    )
    state = models.CharField(
        "状态", max_length=12, choices=ShortageState.choices, default=ShortageState.OPEN
    )
    replenishment = models.ForeignKey(
        Movement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="补货调拨单",
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now, db_index=True)

    visibility = {"technician": "technician"}

    class Meta:
        verbose_name = "缺料记录"
        verbose_name_plural = "缺料记录"
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["state", "recorded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "part"], name="stock_shortage_once_per_source_part"
            ),
            models.CheckConstraint(condition=models.Q(short__gt=0), name="stock_shortage_short"),
        ]

    def __str__(self) -> str:
        return Said(
            "%(reference)s %(part_id)s 缺%(short)s",
            reference=self.reference,
            part_id=self.part_id,
            short=self.short,
        )
