"""Customers, their contacts, sites / projects with documents, and service contracts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.uploads import VerifiedFileField


class Customer(BusinessModel):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "单位"
        INDIVIDUAL = "individual", "个人"

    class Tier(models.TextChoices):
        KEY = "key", "重点客户"
        NORMAL = "normal", "普通客户"

    code = models.CharField("客户编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True)
    kind = models.CharField("类型", max_length=15, choices=Kind.choices, default=Kind.ORGANISATION)
    tier = models.CharField("等级", max_length=10, choices=Tier.choices, default=Tier.NORMAL)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name="片区")
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name="经销商",
    )
    phone = models.CharField("电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    notes = models.TextField("备注", blank=True)

    visibility = {"customer": "pk"}

    class Meta:
        verbose_name = "客户"
        verbose_name_plural = "客户"
        ordering = ["code"]
        indexes = [models.Index(fields=["dealer", "code"]), models.Index(fields=["region", "tier"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        from aftersales.core.text import initials

        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Contact(BusinessModel):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contacts", verbose_name="客户"
    )
    name = models.CharField("姓名", max_length=50)
    mobile = models.CharField("手机", max_length=20, blank=True, db_index=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("邮箱", blank=True)
    title = models.CharField("职务", max_length=50, blank=True)
    is_primary = models.BooleanField("主要联系人", default=False)

    visibility = {"customer": "customer"}

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["customer", "-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.mobile}".strip()


class Site(BusinessModel):
    """A site or installed project (工程/项目) where equipment stands."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="sites", verbose_name="客户"
    )
    code = models.CharField("项目编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name="片区")
    is_project = models.BooleanField("工程项目", default=True)
    completion_date = models.DateField("竣工日期", null=True, blank=True)
    acceptance_date = models.DateField("验收日期", null=True, blank=True)
    responsible_engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_sites",
        verbose_name="责任工程师",
    )
    notes = models.TextField("备注", blank=True)

    visibility = {"customer": "customer", "technician": "responsible_engineer"}

    class Meta:
        verbose_name = "项目/现场"
        verbose_name_plural = "项目/现场"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SiteDocument(BusinessModel):
    class Kind(models.TextChoices):
        DRAWING = "drawing", "图纸"
        EQUIPMENT_LIST = "equipment_list", "设备清单"
        MANUAL = "manual", "使用说明书"
        TRAINING = "training", "培训记录"
        OTHER = "other", "其他"

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="documents", verbose_name="项目"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("标题", max_length=100)
    file = VerifiedFileField("文件", upload_to="site-docs/%Y/%m/")

    visibility = {"customer": "site__customer", "technician": "site__responsible_engineer"}

    class Meta:
        verbose_name = "项目资料"
        verbose_name_plural = "项目资料"

    def __str__(self) -> str:
        return self.title


class ServiceContract(BusinessModel):
    """Extended or out-of-warranty maintenance (维保合同): coverage overrides the warranty."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name="客户"
    )
    code = models.CharField("合同编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    sites = models.ManyToManyField(Site, blank=True, verbose_name="覆盖项目（空=全部）")
    covers_parts = models.BooleanField("含配件", default=True)
    covers_labour = models.BooleanField("含人工", default=True)
    covers_travel = models.BooleanField("含差旅", default=True)
    covers_misuse = models.BooleanField("含非质量原因", default=False)
    is_7x24 = models.BooleanField("7×24服务", default=False)
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy", null=True, blank=True, on_delete=models.PROTECT, verbose_name="SLA政策"
    )
    maintenance_plan = models.TextField("保养计划", blank=True)
    price = models.DecimalField("合同金额", max_digits=14, decimal_places=2, default=Decimal("0"))

    visibility = {"customer": "customer"}

    class Meta:
        verbose_name = "维保合同"
        verbose_name_plural = "维保合同"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
