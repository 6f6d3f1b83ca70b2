"""The part master (配件) and the price list (labour and travel rates, part prices)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper

from aftersales.core.models import BusinessModel


def money_field(verbose_name: str, **kwargs: object) -> models.DecimalField:
    """Money: CNY with two decimals (never float)."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)  # type: ignore[arg-type]


class Part(BusinessModel):
    code = models.CharField("配件编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True)
    model = models.CharField("型号", max_length=50, blank=True)
    specification = models.CharField("规格", max_length=200, blank=True)
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="适用产品类别",
    )
    usage = models.CharField("用途", max_length=200, blank=True)
    unit = models.CharField("单位", max_length=10, default="个")
    unit_cost = money_field("成本价", default=Decimal("0.00"))
    price = money_field("销售价", default=Decimal("0.00"))
    substitutes = models.ManyToManyField("self", blank=True, verbose_name="可替代配件")
    # the product models the part is a spare of: their parts_supply_years decide how long it
    # must be kept after they are discontinued (SPEC §11)
    product_models = models.ManyToManyField(
        "installed_base.ProductModel", blank=True, related_name="parts", verbose_name="适用型号"
    )
    is_wear_part = models.BooleanField("易损件", default=False)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "配件"
        verbose_name_plural = "配件"
        ordering = ["code"]
        # searches by part (``icontains`` is ``UPPER(col) LIKE UPPER('%…%')``): trigram indexes
        # so a search does not scan the part master
        indexes = [
            GinIndex(OpClass(Upper("code"), name="gin_trgm_ops"), name="catalog_part_code_trgm"),
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="catalog_part_name_trgm"),
            GinIndex(
                OpClass(Upper("name_initials"), name="gin_trgm_ops"),
                name="catalog_part_initials_trgm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        from aftersales.core.text import initials

        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PriceList(BusinessModel):
    """收费标准: labour and travel rates; part prices default to the part master."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    is_default = models.BooleanField("默认", default=False)
    labour_rate_per_hour = money_field("人工费(元/小时)")
    minimum_labour_hours = models.DecimalField(
        "最低计费工时", max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    travel_rate_per_km = money_field("差旅费(元/公里)")
    travel_flat_fee = money_field("上门费(元/次)", default=Decimal("0.00"))

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "收费标准"
        verbose_name_plural = "收费标准"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class PriceListItem(BusinessModel):
    price_list = models.ForeignKey(
        PriceList, on_delete=models.PROTECT, related_name="items", verbose_name="收费标准"
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, verbose_name="配件")
    price = money_field("价格")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "配件价格"
        verbose_name_plural = "配件价格"
        constraints = [
            models.UniqueConstraint(fields=["price_list", "part"], name="uniq_price_per_part")
        ]

    def __str__(self) -> str:
        return f"{self.part} {self.price}"
