"""The service report (服务报告单) of a visit or remote service."""

from __future__ import annotations

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said
from aftersales.core.uploads import VerifiedImageField


class Responsibility(models.TextChoices):
    PRODUCT = "product", "我方产品"
    INSTALLATION = "installation", "我方安装"
    SUPPLIER = "supplier", "供应商产品"
    CUSTOMER = "customer", "客户原因"


class ServiceReport(BusinessModel):
    work_order = models.OneToOneField(
        "service.WorkOrder", on_delete=models.PROTECT, related_name="report", verbose_name="派工单"
    )
    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.PROTECT, related_name="reports", verbose_name="报修单"
    )
    phenomenon = models.TextField("故障现象", blank=True)
    environment = models.TextField("现场环境", blank=True)
    cause = models.TextField("故障原因", blank=True)
    cause_class = models.CharField("原因分类", max_length=20, blank=True)
    fault_category = models.CharField("故障类别", max_length=50, blank=True)
    component_code = models.CharField("故障部件", max_length=30, blank=True)
    responsibility = models.CharField(
        "责任鉴定", max_length=15, choices=Responsibility.choices, blank=True
    )
    actions = models.TextField("处理措施", blank=True)
    remote = models.BooleanField("远程服务", default=False)
    minutes_spent = models.PositiveIntegerField("耗时(分钟)", default=0)
    no_parts_used = models.BooleanField("未更换配件", default=False)
    customer_opinion = models.TextField("客户意见", blank=True)
    quick_rating = models.PositiveSmallIntegerField("现场满意度(1-5)", null=True, blank=True)
    signature = VerifiedImageField("客户签字", upload_to="signatures/%Y/%m/", blank=True)
    signed_by = models.CharField("签字人", max_length=50, blank=True)
    signed_at = models.DateTimeField("签字时间", null=True, blank=True)
    confirm_token = models.CharField("确认链接标识", max_length=32, blank=True, db_index=True)
    confirmed_by_link_at = models.DateTimeField("链接确认时间", null=True, blank=True)
    filed_at = models.DateTimeField("提交时间", null=True, blank=True)
    filed_late = models.BooleanField("逾期提交(>5天)", default=False)
    repeat_of = models.ForeignKey(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="重复维修（原报修单）",
    )

    visibility = {"customer": "ticket__customer", "technician": "work_order__technician"}

    class Meta:
        verbose_name = "服务报告"
        verbose_name_plural = "服务报告"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return Said("%(ticket)s 服务报告", ticket=self.ticket)

    def missing_fields(self) -> list[str]:
        """What an incomplete report lacks (SPEC §3.5: cause, solution, parts, customer opinion)."""
        missing = []
        if not self.phenomenon.strip():
            missing.append("故障现象")
        if not self.cause.strip():
            missing.append("故障原因")
        if not self.responsibility:
            missing.append("责任鉴定")
        if not self.actions.strip():
            missing.append("处理措施")
        if not self.no_parts_used and not self.parts.exists():
            missing.append("更换配件（或勾选未更换配件）")
        if not self.customer_opinion.strip():
            missing.append("客户意见")
        if not (self.signature or self.confirmed_by_link_at or self.remote):
            missing.append("客户签字确认")
        return missing


class ReportPart(models.Model):
    report = models.ForeignKey(
        ServiceReport, on_delete=models.CASCADE, related_name="parts", verbose_name="报告"
    )
    part = models.ForeignKey("catalog.Part", on_delete=models.PROTECT, verbose_name="配件")
    quantity = models.PositiveIntegerField("数量", default=1)
    keep_old_part = models.BooleanField("旧件返回", default=True)
    component_code = models.CharField("部件编码", max_length=30, blank=True)

    class Meta:
        verbose_name = "更换配件"
        verbose_name_plural = "更换配件"

    def __str__(self) -> str:
        return f"{self.part} ×{self.quantity}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        ServiceReport, on_delete=models.CASCADE, related_name="photos", verbose_name="报告"
    )
    image = VerifiedImageField("照片", upload_to="report-photos/%Y/%m/")
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"

    def __str__(self) -> str:
        return self.caption or str(self.image.name)
