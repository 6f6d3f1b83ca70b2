"""三包索赔单 (a dealer's warranty repair claimed from the company), 三包费用核销通知 (the
settlement notice per dealer and period) and the dealer's receivables ledger (应收账款台账).
Money is Decimal with two places."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.models import money_field as money
from aftersales.core.models import user_field as _user


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", "待鉴定"
    ACCEPTED = "accepted", "鉴定同意"
    PARTLY = "partly", "部分同意"
    REJECTED = "rejected", "鉴定驳回"
    IN_SETTLEMENT = "in_settlement", "核销中"
    SETTLED = "settled", "已核销"


SETTLEABLE_CLAIM_STATES = (ClaimState.ACCEPTED, ClaimState.PARTLY)


class WarrantyClaim(BusinessModel):
    number = models.CharField("索赔单号", max_length=20, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="claims", verbose_name="经销商"
    )
    ticket = models.ForeignKey(
        "service.Ticket",
        on_delete=models.PROTECT,
        related_name="dealer_claims",
        verbose_name="报修单",
    )
    repair_date = models.DateField("维修日期")
    description = models.CharField("维修说明", max_length=500)
    price_list = models.ForeignKey(
        "catalog.PriceList", on_delete=models.PROTECT, related_name="+", verbose_name="收费标准"
    )
    state = models.CharField(
        "状态", max_length=15, choices=ClaimState.choices, default=ClaimState.SUBMITTED
    )
    claimed_amount = money("索赔金额", default=Decimal("0.00"))
    accepted_amount = money("核定金额", default=Decimal("0.00"))
    submitted_by = _user("提交人")
    appraised_at = models.DateTimeField("鉴定时间", null=True, blank=True)
    appraised_by = _user("鉴定人")
    appraisal_reason = models.CharField("鉴定意见", max_length=300, blank=True)
    notice = models.ForeignKey(
        "dealers.SettlementNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name="核销通知",
    )

    # money between the dealer and the company: a technician-only user sees none (the
    # technician path names the office user who appraised it, never a field technician)
    visibility = {"dealer": "dealer", "technician": "appraised_by"}

    class Meta:
        verbose_name = "三包索赔单"
        verbose_name_plural = "三包索赔单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="claim_amounts_not_negative",
                condition=models.Q(claimed_amount__gte=0, accepted_amount__gte=0),
            ),
            models.CheckConstraint(
                name="claim_accepted_within_claimed",
                condition=models.Q(accepted_amount__lte=models.F("claimed_amount")),
            ),
        ]
        indexes = [models.Index(fields=["dealer", "state"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/dealers/claims/{self.pk}/"


class ClaimLine(models.Model):
    class Kind(models.TextChoices):
        PART = "part", "配件"
        LABOUR = "labour", "人工"
        TRAVEL = "travel", "差旅"

    claim = models.ForeignKey(
        WarrantyClaim, on_delete=models.CASCADE, related_name="lines", verbose_name="索赔单"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    part = models.ForeignKey(
        "catalog.Part", null=True, blank=True, on_delete=models.PROTECT, verbose_name="配件"
    )
    description = models.CharField("说明", max_length=200)
    quantity = models.DecimalField("数量", max_digits=9, decimal_places=2)
    unit_price = money("单价")
    amount = money("金额")
    accepted_amount = money("核定金额", null=True, blank=True)

    class Meta:
        verbose_name = "索赔明细"
        verbose_name_plural = "索赔明细"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class NoticeState(models.TextChoices):
    SENT = "sent", "待经销商确认"
    CONFIRMED = "confirmed", "已确认核销"
    DISPUTED = "disputed", "经销商有异议"


class SettlementNotice(BusinessModel):
    number = models.CharField("核销通知号", max_length=20, unique=True)
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="notices", verbose_name="经销商"
    )
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    total = money("核销金额")
    state = models.CharField("状态", max_length=10, choices=NoticeState.choices, default="sent")
    issued_by = _user("开具人")
    issued_at = models.DateTimeField("开具时间")
    answered_by = _user("确认人")
    answered_at = models.DateTimeField("确认时间", null=True, blank=True)
    dispute_reason = models.CharField("异议原因", max_length=300, blank=True)

    visibility = {"dealer": "dealer", "technician": "issued_by"}  # see WarrantyClaim

    class Meta:
        verbose_name = "三包费用核销通知"
        verbose_name_plural = "三包费用核销通知"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="notice_period_order",
                condition=models.Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/dealers/notices/{self.pk}/"


class LedgerEntry(models.Model):
    """One movement of a dealer's receivables (never changed nor deleted; a correction is
    another entry). The dealer's ``receivables`` is the running balance."""

    class Kind(models.TextChoices):
        OPENING = "opening", "期初余额"
        SETTLEMENT = "settlement", "三包费用核销"
        ADJUSTMENT = "adjustment", "调整"

    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="ledger", verbose_name="经销商"
    )
    at = models.DateTimeField("记账时间")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    amount = money("金额（增加为正）")
    balance = money("余额")
    notice = models.OneToOneField(
        SettlementNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entry",
        verbose_name="核销通知",
    )
    note = models.CharField("摘要", max_length=200, blank=True)
    actor = _user("记账人")

    visibility = {"dealer": "dealer", "technician": "actor"}  # see WarrantyClaim

    class Meta:
        verbose_name = "应收账款台账"
        verbose_name_plural = "应收账款台账"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dealer} {self.amount}"
