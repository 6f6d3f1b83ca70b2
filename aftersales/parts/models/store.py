"""Receipt check into the after-sales store (001 4.6): package intact, labels (customer,
part, quantity), the resident inspector's pass stamp; outsourced parts need incoming
inspection. A failed check is recorded and nothing enters the store."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class Supplier(models.TextChoices):
    PARTS_GROUP = "parts_group", "补配组"
    OUTSOURCED = "outsourced", "外协厂"
    FINISHED_GOODS = "finished_goods", "成品仓"


class PartsReceipt(BusinessModel):
    request = models.ForeignKey(
        "parts.PartsRequest",
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name="补件单",
    )
    supplier = models.CharField("来源", max_length=15, choices=Supplier.choices)
    quantity = models.PositiveIntegerField("到货数量")
    package_intact = models.BooleanField("外包装完好")
    label_customer_ok = models.BooleanField("标识-客户名称正确")
    label_part_ok = models.BooleanField("标识-补件名称正确")
    label_quantity_ok = models.BooleanField("标识-数量正确")
    inspector_stamp = models.BooleanField("质检员检验合格章", default=False)
    incoming_inspection_passed = models.BooleanField("外协进货检验合格", null=True, blank=True)
    accepted = models.BooleanField("准予入库")
    refusals = models.JSONField("不合格项", default=list, blank=True)
    storage_location = models.CharField("存放区域", max_length=60, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="检查人"
    )
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "补件入库检查"
        verbose_name_plural = "补件入库检查"
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request} {'入库' if self.accepted else '拒收'} {self.checked_at:%Y-%m-%d}"
