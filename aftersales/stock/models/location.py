"""Where stock lies (SPEC §11): warehouses — the after-sales store, regional stores and each
technician's van (a technician is a location) — and their bins (库位: zone / shelf / level)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from aftersales.core.models import BusinessModel


class WarehouseKind(models.TextChoices):
    MAIN = "main", "售后总库"
    REGIONAL = "regional", "区域库"
    VAN = "van", "工程师车载库"
    FINISHED = "finished", "成品仓"


# the stores parts are kept and replenished from (the finished-goods store lends packs only)
PARTS_STORES = (WarehouseKind.MAIN, WarehouseKind.REGIONAL)


class Warehouse(BusinessModel):
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=WarehouseKind.choices, db_index=True)
    region = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warehouses",
        verbose_name="片区",
    )
    technician = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="van",
        verbose_name="车载库工程师",
    )
    address = models.CharField("地址", max_length=200, blank=True)

    visibility = {"technician": "technician"}

    class Meta:
        verbose_name = "仓库"
        verbose_name_plural = "仓库"
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="van") & models.Q(technician__isnull=False))
                | (~models.Q(kind="van") & models.Q(technician__isnull=True)),
                name="stock_warehouse_van_has_technician",
                violation_error_message="车载库必须指定工程师，其他仓库不能指定工程师",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def number(self) -> str:
        """How the deadline engine names the location (its monthly count's deadline)."""
        return self.code

    def get_absolute_url(self) -> str:
        return f"{reverse('stock:counts')}?warehouse_id={self.pk}&state=all"


class Bin(BusinessModel):
    """A bin (库位); walking order is zone, shelf, level."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="bins", verbose_name="仓库"
    )
    zone = models.CharField("区", max_length=10)
    shelf = models.CharField("架", max_length=10)
    level = models.CharField("层", max_length=10)
    code = models.CharField("库位编码", max_length=40, blank=True)

    visibility = {"technician": "warehouse__technician"}

    class Meta:
        verbose_name = "库位"
        verbose_name_plural = "库位"
        ordering = ["warehouse", "zone", "shelf", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "zone", "shelf", "level"],
                name="stock_bin_unique_place",
                violation_error_message="该仓库已有相同的区/架/层库位",
            )
        ]

    def __str__(self) -> str:
        return self.code or f"{self.zone}-{self.shelf}-{self.level}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.code:
            self.code = f"{self.zone}-{self.shelf}-{self.level}"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
