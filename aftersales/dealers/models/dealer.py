from __future__ import annotations

from decimal import Decimal

from django.db import models

from aftersales.core.models import BusinessModel


class Dealer(BusinessModel):
    class Level(models.TextChoices):
        A = "A", "A级"
        B = "B", "B级"
        C = "C", "C级"

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=2, choices=Level.choices, default=Level.B)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name="片区")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    receivables = models.DecimalField(
        "应收账款", max_digits=14, decimal_places=2, default=Decimal("0.00")
    )

    visibility = {"dealer": "pk", "customer": "customers"}

    class Meta:
        verbose_name = "经销商"
        verbose_name_plural = "经销商"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
