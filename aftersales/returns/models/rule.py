"""Return rules per product line as data (SPEC §5.8): the period from the sale, whether the
receipt is needed and the goods must be resaleable, the conditions that make goods
non-returnable and those where a free repair is given instead (e.g. apparel, 003 #19)."""

from __future__ import annotations

from django.db import models

from aftersales.core.models import BusinessModel


class ReturnRule(BusinessModel):
    category = models.OneToOneField(
        "installed_base.ProductCategory",
        on_delete=models.PROTECT,
        related_name="return_rule",
        verbose_name="产品线",
    )
    name = models.CharField("名称", max_length=100)
    period_days = models.PositiveSmallIntegerField("退换期限（自销售之日起天数）")
    receipt_required = models.BooleanField("须凭销售票据", default=True)
    resaleable_required = models.BooleanField("须不影响再销售", default=True)
    non_returnable = models.JSONField(
        "不予退换的情形", default=list, blank=True, help_text='[{"code": "cut", "label": "…"}]'
    )
    repair_instead = models.JSONField("免费修理不退换的情形", default=list, blank=True)
    price_note = models.CharField("计价说明", max_length=200, blank=True)
    source = models.CharField("依据", max_length=100, blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "退货规则"
        verbose_name_plural = "退货规则"
        ordering = ["category"]

    def __str__(self) -> str:
        return self.name
