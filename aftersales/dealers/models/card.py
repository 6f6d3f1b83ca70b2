"""三包回执卡: a dealer registers its sale (customer, equipment, sale date, card number); the
company alone records the day the card reached it, which decides whether the sale's warranty
is recognised (the policy's ``card_deadline_days``, default 20)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class WarrantyCard(BusinessModel):
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="cards", verbose_name="经销商"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    equipment = models.ForeignKey(
        "installed_base.Equipment",
        on_delete=models.PROTECT,
        related_name="warranty_cards",
        verbose_name="设备",
    )
    card_no = models.CharField("三包卡号", max_length=50, unique=True)
    sale_date = models.DateField("销售日期")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
    )
    received_date = models.DateField("公司收卡日期", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="收卡人",
    )

    visibility = {
        "dealer": "dealer",
        "customer": "customer",
        "technician": "equipment__site__responsible_engineer",
    }
    company_only_fields = ("received_date", "received_by")

    class Meta:
        verbose_name = "三包回执卡"
        verbose_name_plural = "三包回执卡"
        ordering = ["-sale_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=models.Q(archived_at__isnull=True),
                name="one_open_card_per_equipment",
            ),
            models.CheckConstraint(
                name="card_received_not_before_sale",
                condition=models.Q(received_date__isnull=True)
                | models.Q(received_date__gte=models.F("sale_date")),
                violation_error_message="三包卡回寄日期不能早于销售日期",
            ),
        ]
        indexes = [models.Index(fields=["dealer", "sale_date"])]

    def __str__(self) -> str:
        return self.card_no
