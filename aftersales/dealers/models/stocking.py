"""备货计划 (a dealer's parts stocking plan per season): seasons are data; each dealer plans
the parts and products it will stock, due a configured number of days before the season
starts (003 #11 经销商须在销售前30天提出配件储备计划). The due time, its reminder and the
escalation of a late plan are a deadline of the approvals engine."""

from __future__ import annotations

import datetime as dt

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.models import user_field as _user


class Season(BusinessModel):
    """销售旺季 (e.g. 2027 春耕): the plans of every dealer are due before it starts."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=60)
    starts_on = models.DateField("旺季开始日期")
    ends_on = models.DateField("旺季结束日期")
    opened_by = _user("开立人")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "销售旺季"
        verbose_name_plural = "销售旺季"
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                name="season_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanState(models.TextChoices):
    DRAFT = "draft", "待提交"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"


EDITABLE_PLAN_STATES = (PlanState.DRAFT, PlanState.RETURNED)


class StockingPlan(BusinessModel):
    number = models.CharField("计划编号", max_length=20, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        on_delete=models.PROTECT,
        related_name="stocking_plans",
        verbose_name="经销商",
    )
    season = models.ForeignKey(
        Season, on_delete=models.PROTECT, related_name="plans", verbose_name="销售旺季"
    )
    state = models.CharField(
        "状态", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    due_at = models.DateTimeField("应提交时间")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = _user("提交人")
    late = models.BooleanField("逾期提交", default=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = _user("审核人")
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    visibility = {"dealer": "dealer", "technician": "reviewed_by"}  # as WarrantyClaim

    class Meta:
        verbose_name = "经销商备货计划"
        verbose_name_plural = "经销商备货计划"
        ordering = ["-due_at", "dealer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "season"], name="one_stocking_plan_per_season"
            )
        ]
        indexes = [models.Index(fields=["season", "state"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/dealers/stocking/{self.pk}/"

    def is_late(self, now: dt.datetime) -> bool:
        """Submitted after the due time, or still not in after it."""
        if self.late:
            return True
        return bool(
            self.state in EDITABLE_PLAN_STATES and self.submitted_at is None and now > self.due_at
        )


class StockingPlanLine(BusinessModel):
    plan = models.ForeignKey(
        StockingPlan, on_delete=models.PROTECT, related_name="lines", verbose_name="备货计划"
    )
    part = models.ForeignKey(
        "catalog.Part",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="配件",
    )
    product_model = models.ForeignKey(
        "installed_base.ProductModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="产品型号",
    )
    quantity = models.PositiveIntegerField("数量")

    visibility = {"dealer": "plan__dealer", "technician": "plan__reviewed_by"}

    class Meta:
        verbose_name = "备货计划明细"
        verbose_name_plural = "备货计划明细"
        ordering = ["plan_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="stocking_line_quantity_positive", condition=models.Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="stocking_line_part_or_product",
                condition=models.Q(part__isnull=False, product_model__isnull=True)
                | models.Q(part__isnull=True, product_model__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.code} × {self.quantity}"

    @property
    def kind(self) -> str:
        return "part" if self.part_id else "product"

    @property
    def code(self) -> str:
        item = self.part or self.product_model
        return item.code if item else ""

    @property
    def name(self) -> str:
        item = self.part or self.product_model
        return str(getattr(item, "name", "") or item) if item else ""
