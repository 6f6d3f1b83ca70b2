"""Stock policy as data: the slow-moving thresholds (呆滞预警: not issued for 1 month
yellow, 3 months red by default) and the minimum stock of a part at a location."""

from __future__ import annotations

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class StockPolicy(BusinessModel):
    """One row (code ``default``); an administrator edits it in the back office."""

    code = models.CharField("编码", max_length=20, unique=True, default="default")
    slow_yellow_months = models.PositiveSmallIntegerField("黄色预警（月未出库）", default=1)
    slow_red_months = models.PositiveSmallIntegerField("红色预警（月未出库）", default=3)

    class Meta:
        verbose_name = "库存预警设置"
        verbose_name_plural = "库存预警设置"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slow_yellow_months__gte=1)
                & models.Q(slow_red_months__gt=models.F("slow_yellow_months")),
                name="stock_policy_red_after_yellow",
                violation_error_message="红色预警月数须大于黄色预警月数",
            )
        ]

    def __str__(self) -> str:
        return Said(
            "呆滞预警：%(slow_yellow_months)s个月黄色，%(slow_red_months)s个月红色",
            slow_yellow_months=self.slow_yellow_months,
            slow_red_months=self.slow_red_months,
        )


class MinStock(BusinessModel):
    """最低库存: below ``min_qty`` at the location a replenishment up to ``reorder_to`` is
    proposed."""

    warehouse = models.ForeignKey(
        "stock.Warehouse", on_delete=models.PROTECT, related_name="minimums", verbose_name="仓库"
    )
    part = models.ForeignKey(
        "catalog.Part", on_delete=models.PROTECT, related_name="minimums", verbose_name="配件"
    )
    min_qty = models.PositiveIntegerField("最低库存")
    reorder_to = models.PositiveIntegerField("补货至")

    visibility = {"technician": "warehouse__technician"}

    class Meta:
        verbose_name = "最低库存"
        verbose_name_plural = "最低库存"
        ordering = ["warehouse", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "part"],
                condition=models.Q(archived_at__isnull=True),
                name="stock_min_once_per_place",
                violation_error_message="该仓库已设置此配件的最低库存",
            ),
            models.CheckConstraint(
                condition=models.Q(min_qty__gte=1) & models.Q(reorder_to__gte=models.F("min_qty")),
                name="stock_min_reorder_at_least_min",
                violation_error_message="补货至数量不能小于最低库存",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.part_id} ≥{self.min_qty}"
