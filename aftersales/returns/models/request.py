"""The return (退货单, SPEC §5) with its lines, and the credit note (冲账申请)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.core.models import user_field as _user


class ReturnKind(models.TextChoices):
    CUSTOMER = "customer", "客户退货"
    DEALER_STOCK = "dealer_stock", "经销商库存退货"


class StockCause(models.TextChoices):
    """Dealer stock returns: who pays the freight (003 #11 §三(二)9)."""

    QUALITY_DEFECT = "quality_defect", "产品质量问题"
    DEALER_DAMAGE = "dealer_damage", "经销商原因损坏"
    UNSOLD = "unsold", "滞销（未售出）"


class FreightPayer(models.TextChoices):
    COMPANY = "company", "公司承担"
    DEALER = "dealer", "经销商承担"


class ReturnState(models.TextChoices):
    APPLIED = "applied", "已申请"
    IN_APPROVAL = "in_approval", "会签审批中"
    RETURNED = "returned", "退回修改"
    REFUSED = "refused", "拒绝退货"
    APPROVED = "approved", "已批准退货"
    RESOLVED_OTHERWISE = "resolved_otherwise", "已以补件/折价解决"
    AWAITING_GOODS = "awaiting_goods", "待退货到厂"
    RECEIVED = "received", "已到厂待检验"
    INSPECTED = "inspected", "已检验"
    DECIDED = "decided", "已裁定"
    RECORD_SENT = "record_sent", "检验记录已送客户"
    DISPUTED = "disputed", "客户有异议"
    ACCEPTED = "accepted", "客户已确认"
    CLOSED = "closed", "已结案"
    CANCELLED = "cancelled", "已取消"


class Packaging(models.TextChoices):
    INTACT = "intact", "包装完好"
    DAMAGED = "damaged", "严重破损"
    WET = "wet", "被雨水淋湿"
    DAMAGED_WET = "damaged_wet", "破损且淋湿"


class ResolutionMethod(models.TextChoices):
    PARTS = "parts", "补件处理"
    DISCOUNT = "discount", "经销商折价处理"
    NONE = "none", "无替代方案"


class Outcome(models.TextChoices):
    REPAIR = "repair", "返修"
    EXCHANGE = "exchange", "换货"
    CREDIT = "credit", "退货冲账"
    SEND_BACK = "send_back", "不予退货，退回客户"


class CustomerResponse(models.TextChoices):
    CONFIRMED = "confirmed", "客户确认"
    DISPUTED = "disputed", "客户有异议"
    DEEMED = "deemed", "逾期未回传，视为默认"


R = ReturnState
CLOSED_RETURN_STATES = (R.CLOSED, R.CANCELLED, R.REFUSED, R.RESOLVED_OTHERWISE)


class ReturnRequest(BusinessModel):
    number = models.CharField("退货单号", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=15, choices=ReturnKind.choices)
    state = models.CharField(
        "状态", max_length=20, choices=ReturnState.choices, default=R.APPLIED, db_index=True
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="returns", verbose_name="客户"
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
        verbose_name="经销商",
    )
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="产品线",
    )
    reason = models.TextField("退货原因")
    sale_date = models.DateField("销售日期", null=True, blank=True)
    has_receipt = models.BooleanField("有销售票据", default=False)
    resaleable = models.BooleanField("不影响再销售", default=True)
    conditions = models.JSONField("商品情形", default=list, blank=True)
    rule_check = models.JSONField("退货规则检查", default=dict, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    applied_at = models.DateTimeField("申请时间", default=timezone.now)
    applied_by = _user("申请人")
    # dealer stock returns
    stock_cause = models.CharField(
        "退货原因类别", max_length=15, choices=StockCause.choices, blank=True
    )
    freight_payer = models.CharField(
        "运费承担", max_length=10, choices=FreightPayer.choices, blank=True
    )
    restoration_labour = models.DecimalField(
        "修复人工费(元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    # 4.8 attempt to resolve without a return
    resolution_method = models.CharField(
        "替代处理方案", max_length=10, choices=ResolutionMethod.choices, blank=True
    )
    resolution_accepted = models.BooleanField("客户接受替代方案", null=True, blank=True)
    resolution_note = models.TextField("沟通记录", blank=True)
    resolution_at = models.DateTimeField("沟通时间", null=True, blank=True)
    resolution_by = _user("沟通人")
    # 4.9 receipt
    received_at = models.DateTimeField("到厂时间", null=True, blank=True)
    received_by = _user("退货受理员")
    packaging = models.CharField("外包装状态", max_length=12, choices=Packaging.choices, blank=True)
    packaging_note = models.CharField("交接单注明", max_length=200, blank=True)
    deliverer_name = models.CharField("退货人", max_length=50, blank=True)
    deliverer_signed = models.BooleanField("退货人已签名", default=False)
    # 4.10 inspection and decision
    inspected_at = models.DateTimeField("检验时间", null=True, blank=True)
    inspected_by = _user("检验人")
    inspection_result = models.TextField("退货检验记录", blank=True)
    defect_confirmed = models.BooleanField("确认质量问题", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=10, choices=Outcome.choices, blank=True)
    decision_note = models.TextField("裁定意见", blank=True)
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    decided_by = _user("裁定人")
    record_sent_at = models.DateTimeField("记录送客户时间", null=True, blank=True)
    record_sent_by = _user("发送人")
    customer_response = models.CharField(
        "客户回复", max_length=10, choices=CustomerResponse.choices, blank=True
    )
    customer_responded_at = models.DateTimeField("客户回复时间", null=True, blank=True)
    customer_comment = models.TextField("客户意见", blank=True)
    # 4.11 final handling
    handled_at = models.DateTimeField("最终处理时间", null=True, blank=True)
    handling_note = models.TextField("处理说明", blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    visibility = {"customer": "customer_id", "dealer": "dealer_id"}

    class Meta:
        verbose_name = "退货单"
        verbose_name_plural = "退货单"
        ordering = ["-applied_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-applied_at"]),
            models.Index(fields=["customer", "-applied_at"]),
            models.Index(fields=["dealer", "-applied_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/returns/{self.pk}/"


class ReturnLine(BusinessModel):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.PROTECT, related_name="lines", verbose_name="退货单"
    )
    part = models.ForeignKey(
        "catalog.Part", null=True, blank=True, on_delete=models.PROTECT, verbose_name="配件/产品"
    )
    description = models.CharField("品名规格", max_length=200)
    serial_no = models.CharField("编号/批号", max_length=60, blank=True)
    quantity = models.PositiveIntegerField("申请数量")
    received_quantity = models.PositiveIntegerField("清点数量", null=True, blank=True)

    visibility = {"customer": "request__customer_id", "dealer": "request__dealer_id"}

    class Meta:
        verbose_name = "退货明细"
        verbose_name_plural = "退货明细"
        ordering = ["request", "id"]
        constraints = [
            models.CheckConstraint(
                name="return_line_qty_positive", condition=models.Q(quantity__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"


class CreditState(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审批中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    BOOKED = "booked", "财务已冲账"


class CreditNote(BusinessModel):
    """冲账申请报告: approved by the responsible manager, then booked by finance (4.11)."""

    number = models.CharField("冲账单号", max_length=20, unique=True)
    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.PROTECT, related_name="credit_notes", verbose_name="退货单"
    )
    amount = models.DecimalField("冲账金额(元)", max_digits=12, decimal_places=2)
    reason = models.TextField("冲账理由")
    state = models.CharField(
        "状态", max_length=10, choices=CreditState.choices, default=CreditState.DRAFT
    )
    requested_by = _user("申请人")
    requested_at = models.DateTimeField("申请时间")
    booked_by = _user("冲账会计")
    booked_at = models.DateTimeField("冲账时间", null=True, blank=True)
    voucher_no = models.CharField("凭证号", max_length=40, blank=True)

    visibility = {"customer": "return_request__customer_id", "dealer": "return_request__dealer_id"}

    class Meta:
        verbose_name = "冲账申请"
        verbose_name_plural = "冲账申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(name="credit_amount_positive", condition=models.Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/returns/{self.return_request_id}/"
