"""收款与收据: a chargeable job's payment (cash, transfer, WeChat/Alipay reference as text —
no payment gateway) against the quote the customer accepted; every payment gets exactly one
receipt (收据, SK…), numbered without gaps per day; a refund is a credit note (红字收据) in
the same series that reverses the receipt — the receipt itself is never changed or deleted."""

from __future__ import annotations

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.models import money_field as money
from aftersales.core.models import user_field as user


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "银行转账"
    WECHAT = "wechat", "微信支付"
    ALIPAY = "alipay", "支付宝"


class Payment(BusinessModel):
    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.PROTECT, related_name="payments", verbose_name="报修单"
    )
    quote = models.ForeignKey(
        "service.Quote", on_delete=models.PROTECT, related_name="payments", verbose_name="报价单"
    )
    amount = money("收款金额")
    method = models.CharField("付款方式", max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField("付款流水号", max_length=64, blank=True)
    payer_name = models.CharField("付款人", max_length=50)
    received_at = models.DateTimeField("收款时间")
    received_by = user("收款人")

    visibility = {"customer": "ticket__customer", "technician": "received_by"}

    class Meta:
        verbose_name = "收款记录"
        verbose_name_plural = "收款记录"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(name="payment_amount_positive", condition=models.Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.ticket} ¥{self.amount}"


class ReceiptKind(models.TextChoices):
    RECEIPT = "receipt", "收据"
    CREDIT = "credit", "红字收据（冲销）"


class Receipt(BusinessModel):
    number = models.CharField("收据号", max_length=20, unique=True)
    kind = models.CharField(
        "类别", max_length=10, choices=ReceiptKind.choices, default=ReceiptKind.RECEIPT
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="receipts", verbose_name="收款记录"
    )
    amount = money("金额（冲销为负）")
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_note",
        verbose_name="冲销的收据",
    )
    reason = models.CharField("冲销原因", max_length=200, blank=True)
    issued_at = models.DateTimeField("开具时间")
    issued_by = user("开具人")

    visibility = {"customer": "payment__ticket__customer", "technician": "payment__received_by"}

    class Meta:
        verbose_name = "收据"
        verbose_name_plural = "收据"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(kind="receipt"),
                name="one_receipt_per_payment",
            ),
            models.CheckConstraint(
                name="receipt_sign_by_kind",
                condition=models.Q(kind="receipt", amount__gt=0, reverses__isnull=True)
                | models.Q(kind="credit", amount__lt=0, reverses__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["-issued_at", "-id"], name="receipt_issued")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/charges/receipts/{self.pk}/pdf/"
