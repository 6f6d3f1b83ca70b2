"""Old parts (旧件, SPEC §6.4): a part replaced in a warranty repair whose report line says
"keep old part" is tagged (the tag is the record's number) and must come back with its
repair record by a due date (a rule on the deadline engine; a dealer's own term where one is
set); received at the store (bin), appraised by the technical department into reusable
(back into stock by a receipt movement), scrap, or a claim on the supplier (notified and
followed up). A claim or repair settlement is refused while its old parts are missing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class OldPartSource(models.TextChoices):
    REPORT = "report", "服务报告更换配件"
    RETURN = "return", "退货/返修"
    MANUAL = "manual", "手工登记"


class OldPartState(models.TextChoices):
    PENDING = "pending", "待返回"
    SHIPPED = "shipped", "已寄回"
    RECEIVED = "received", "已入库待鉴定"
    RESTOCKED = "restocked", "可再用已回库"
    SCRAPPED = "scrapped", "已报废"
    SUPPLIER_CLAIM = "supplier_claim", "供应商索赔中"
    CLAIM_CLOSED = "claim_closed", "供应商索赔完结"
    WAIVED = "waived", "免返回"


class Disposition(models.TextChoices):
    REUSABLE = "reusable", "可再用"
    SCRAP = "scrap", "报废"
    SUPPLIER_CLAIM = "supplier_claim", "供应商索赔"


# an old part "is back" (with its record) in these states; a settlement needs every one back
BACK_STATES = frozenset(
    {
        OldPartState.RECEIVED,
        OldPartState.RESTOCKED,
        OldPartState.SCRAPPED,
        OldPartState.SUPPLIER_CLAIM,
        OldPartState.CLAIM_CLOSED,
    }
)
OUTSTANDING_STATES = frozenset({OldPartState.PENDING, OldPartState.SHIPPED})


def _user(name: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=name,
    )


class OldPartTerm(BusinessModel):
    """A dealer's own return term for old parts (days after the repair is filed); dealers
    without one, and the company's own repairs, follow the rule ``quality.old_part_return``."""

    dealer = models.OneToOneField(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="+", verbose_name="经销商"
    )
    days = models.PositiveSmallIntegerField("返回期限(天)")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "经销商旧件返回期限"
        verbose_name_plural = "经销商旧件返回期限"
        ordering = ["dealer"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="quality_old_part_term_days_positive"
            )
        ]

    def __str__(self) -> str:
        return Said("%(dealer)s %(days)s天", dealer=self.dealer, days=self.days)


class OldPart(BusinessModel):
    number = models.CharField("旧件标签号", max_length=20, unique=True)
    source = models.CharField("来源", max_length=10, choices=OldPartSource.choices)
    state = models.CharField(
        "状态",
        max_length=15,
        choices=OldPartState.choices,
        default=OldPartState.PENDING,
        db_index=True,
    )
    report_part = models.OneToOneField(
        "service.ReportPart",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="old_part",
        verbose_name="报告更换配件行",
    )
    report = models.ForeignKey(
        "service.ServiceReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="维修记录（服务报告）",
    )
    ticket = models.ForeignKey(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="old_parts",
        verbose_name="报修单",
    )
    source_note = models.CharField("来源单据", max_length=40, blank=True)
    part = models.ForeignKey("catalog.Part", on_delete=models.PROTECT, verbose_name="配件")
    quantity = models.PositiveIntegerField("数量", default=1)
    equipment = models.ForeignKey(
        "installed_base.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="设备",
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经销商",
    )
    technician = _user("更换人")
    fault = models.CharField("故障说明", max_length=200, blank=True)
    due_date = models.DateField("应返回日期")
    shipped_at = models.DateTimeField("寄回时间", null=True, blank=True)
    waybill = models.CharField("运单号", max_length=40, blank=True)
    received_at = models.DateTimeField("入库时间", null=True, blank=True)
    received_by = _user("接收人")
    warehouse = models.ForeignKey(
        "stock.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接收仓库",
    )
    bin = models.ForeignKey(
        "stock.Bin",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="库位",
    )
    disposition = models.CharField(
        "鉴定结论", max_length=15, choices=Disposition.choices, blank=True
    )
    appraisal = models.TextField("鉴定意见", blank=True)
    appraised_at = models.DateTimeField("鉴定时间", null=True, blank=True)
    appraised_by = _user("鉴定人")
    movement = models.ForeignKey(
        "stock.Movement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="回库入库单",
    )
    supplier = models.CharField("供应商", max_length=100, blank=True)
    supplier_email = models.EmailField("供应商邮箱", max_length=100, blank=True)
    claim_result = models.CharField("索赔结果", max_length=200, blank=True)
    claim_closed_at = models.DateTimeField("索赔完结时间", null=True, blank=True)
    waive_reason = models.CharField("免返原因", max_length=200, blank=True)
    registered_at = models.DateTimeField("登记时间", default=timezone.now)

    visibility = {"dealer": "dealer_id", "technician": "technician_id"}

    class Meta:
        verbose_name = "旧件"
        verbose_name_plural = "旧件"
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="quality_old_part_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/quality/old-parts/{self.pk}/"

    @property
    def is_back(self) -> bool:
        return self.state in BACK_STATES
