"""Product categories and models, warranty policies, equipment (the installed base)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.warranty import rules as warranty_rules


class ProductCategory(BusinessModel):
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    remote_service = models.BooleanField(
        "可远程服务",
        default=False,
        help_text="此类别的报修可先远程处理（电话、远程桌面、视频），派工排名不计路程，"
        "智能派工不为其安排上门行程",
    )

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "产品类别"
        verbose_name_plural = "产品类别"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WarrantyPolicy(BusinessModel):
    """保修政策: per category and optionally per component (SPEC §2, §3.2)."""

    class PeriodKind(models.TextChoices):
        MONTHS = "months", "按月"
        SEASONS = "seasons", "按季"

    class StartEvent(models.TextChoices):
        ACCEPTANCE = "acceptance", "竣工验收日"
        SALE = "sale", "销售日期"

    class NonQualityMode(models.TextChoices):
        PARTS_AT_COST = "parts_at_cost", "只收取工本费（配件成本价，免人工费）"
        CHARGEABLE = "chargeable", "按保修期外收费"

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    category = models.ForeignKey(
        ProductCategory,
        on_delete=models.PROTECT,
        related_name="warranty_policies",
        verbose_name="产品类别",
    )
    component_code = models.CharField("部件编码（空=整机）", max_length=30, blank=True)
    period_kind = models.CharField(
        "期限方式", max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTHS
    )
    months = models.PositiveSmallIntegerField("保修月数", null=True, blank=True)
    seasons = models.PositiveSmallIntegerField("保修季数", null=True, blank=True)
    season_name = models.CharField("季节名称", max_length=20, blank=True)
    season_start = models.CharField("季节开始(MM-DD)", max_length=5, blank=True)
    season_end = models.CharField("季节结束(MM-DD)", max_length=5, blank=True)
    start_event = models.CharField(
        "起算事件", max_length=12, choices=StartEvent.choices, default=StartEvent.ACCEPTANCE
    )
    latent_defect_months = models.PositiveSmallIntegerField("潜在缺陷保证期(月)", default=0)
    card_deadline_days = models.PositiveSmallIntegerField("三包卡回寄期限(天)", default=20)
    non_quality_mode = models.CharField(
        "保修期内非质量原因",
        max_length=15,
        choices=NonQualityMode.choices,
        default=NonQualityMode.PARTS_AT_COST,
    )
    waive_labour_out_of_warranty = models.BooleanField(
        "保修期外免人工费（优惠服务）", default=False
    )
    exclusions = models.TextField("不保范围", blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "保修政策"
        verbose_name_plural = "保修政策"
        ordering = ["category", "component_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "component_code"],
                condition=models.Q(archived_at__isnull=True),
                name="uniq_active_policy_per_component",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.period_kind == self.PeriodKind.MONTHS and not self.months:
            raise ValidationError({"months": "按月计算的保修政策必须填写保修月数"})
        if self.period_kind == self.PeriodKind.SEASONS and not (
            self.seasons and self.season_start and self.season_end
        ):
            raise ValidationError({"seasons": "按季计算的保修政策必须填写季数和季节起止日期"})


class ProductModel(BusinessModel):
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="models", verbose_name="类别"
    )
    code = models.CharField("型号", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    brand = models.CharField("品牌", max_length=50, blank=True)
    warranty_policy = models.ForeignKey(
        WarrantyPolicy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="保修政策（空=按类别）",
    )
    discontinued_on = models.DateField("停产日期", null=True, blank=True)
    parts_supply_years = models.PositiveSmallIntegerField("停产后备件供应年限", default=5)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "产品型号"
        verbose_name_plural = "产品型号"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def new_qr_token() -> str:
    return secrets.token_urlsafe(12)


CARD_BEFORE_SALE = "三包卡回寄日期不能早于销售日期"


class Equipment(BusinessModel):
    # one list of card states: the warranty rules'
    CardStatus = models.TextChoices(  # type: ignore[call-overload]
        "CardStatus", [(c.name, (c.value, c.label)) for c in warranty_rules.CardStatus]
    )

    model = models.ForeignKey(
        ProductModel, on_delete=models.PROTECT, related_name="equipment", verbose_name="型号"
    )
    serial_no = models.CharField("出厂编号", max_length=50)
    quantity = models.PositiveIntegerField("数量", default=1)
    site = models.ForeignKey(
        "customers.Site", on_delete=models.PROTECT, related_name="equipment", verbose_name="项目"
    )
    software_version = models.CharField("软件版本", max_length=50, blank=True)
    batch_no = models.CharField("生产批次", max_length=50, blank=True)
    connection = models.CharField("协议/连接方式", max_length=100, blank=True)
    sale_date = models.DateField("销售日期", null=True, blank=True)
    installation_date = models.DateField("安装日期", null=True, blank=True)
    acceptance_date = models.DateField("验收日期", null=True, blank=True)
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sold_equipment",
        verbose_name="销售经销商",
    )
    card_status = models.CharField(
        "三包卡状态", max_length=10, choices=CardStatus.choices, default=CardStatus.NONE
    )
    card_no = models.CharField("三包卡号", max_length=50, blank=True)
    card_received_date = models.DateField("三包卡回寄日期", null=True, blank=True)
    qr_token = models.CharField(
        "二维码标识", max_length=32, unique=True, default=new_qr_token, editable=False
    )
    notes = models.TextField("备注", blank=True)

    visibility = {"customer": "site__customer", "technician": "site__responsible_engineer"}
    # what the company alone records: a dealer registering its sale cannot date its own card
    company_only_fields = ("card_received_date", "card_status")

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = "设备"
        ordering = ["model", "serial_no"]
        constraints = [
            models.UniqueConstraint(fields=["model", "serial_no"], name="uniq_serial_per_model"),
            models.CheckConstraint(
                name="card_not_before_sale",
                condition=models.Q(card_received_date__isnull=True)
                | models.Q(sale_date__isnull=True)
                | models.Q(card_received_date__gte=models.F("sale_date")),
                violation_error_message=CARD_BEFORE_SALE,
            ),
        ]
        indexes = [models.Index(fields=["serial_no"]), models.Index(fields=["site", "model"])]

    def __str__(self) -> str:
        return f"{self.model.code} #{self.serial_no}"

    def clean(self) -> None:
        if self.card_received_date and self.sale_date and self.card_received_date < self.sale_date:
            raise ValidationError({"card_received_date": CARD_BEFORE_SALE})

    def validate_unique(self, exclude: object = None) -> None:
        try:
            super().validate_unique(exclude=exclude)  # type: ignore[arg-type]
        except ValidationError as exc:
            if "__all__" in getattr(exc, "message_dict", {}):
                raise ValidationError({"serial_no": "序列号重复：该型号下已有此出厂编号"}) from exc
            raise


class EquipmentComponent(BusinessModel):
    """A component of a piece of equipment; a part fitted in a warranty repair carries its own
    fresh warranty period (SPEC §3.2 rule 7)."""

    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="components", verbose_name="设备"
    )
    code = models.CharField("部件编码", max_length=30)
    name = models.CharField("部件名称", max_length=100)
    serial_no = models.CharField("部件编号", max_length=50, blank=True)
    fitted_date = models.DateField("安装/更换日期", null=True, blank=True)
    warranty_months = models.PositiveSmallIntegerField("独立保修月数", null=True, blank=True)
    fitted_in_warranty_repair = models.BooleanField("保修更换件", default=False)

    visibility = {
        "customer": "equipment__site__customer",
        "technician": "equipment__site__responsible_engineer",
    }

    class Meta:
        verbose_name = "设备部件"
        verbose_name_plural = "设备部件"
        ordering = ["equipment", "code"]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"
