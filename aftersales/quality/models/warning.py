"""Quality warning (质量预警, SPEC §6.3): faults per product model × component × cause over a
month, quarter and year, measured against thresholds that are data (per product category,
count and/or rate per installed unit). Crossing one raises one warning per window — the
unique key makes a second raise impossible, even from two workers at once. The warning lists
the other installed equipment of the model; the coordinator turns that list into proactive
check tickets (one per equipment, ever)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class WindowKind(models.TextChoices):
    MONTH = "month", "月度"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年度"


class WarningThreshold(BusinessModel):
    """A threshold per product category and window (blank category = every category without
    its own). Every criterion set must be met: at least ``min_count`` faults and/or at
    least ``min_rate`` faults per installed unit of the model."""

    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="产品类别（空=默认）",
    )
    window = models.CharField("统计周期", max_length=10, choices=WindowKind.choices)
    min_count = models.PositiveIntegerField("故障次数阈值", null=True, blank=True)
    min_rate = models.DecimalField(
        "故障率阈值（次/台）", max_digits=6, decimal_places=4, null=True, blank=True
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "质量预警阈值"
        verbose_name_plural = "质量预警阈值"
        ordering = ["category__code", "window"]
        constraints = [
            models.CheckConstraint(
                name="threshold_count_or_rate",
                condition=models.Q(min_count__isnull=False) | models.Q(min_rate__isnull=False),
                violation_error_message="请至少填写故障次数阈值或故障率阈值",
            ),
            models.UniqueConstraint(
                fields=["category", "window"],
                condition=models.Q(archived_at__isnull=True),
                nulls_distinct=False,
                name="uniq_threshold_category_window",
            ),
        ]

    def __str__(self) -> str:
        parts = []
        if self.min_count is not None:
            parts.append(Said("≥%(min_count)s次", min_count=self.min_count))
        if self.min_rate is not None:
            parts.append(Said("≥%(min_rate)s次/台", min_rate=self.min_rate))
        scope = self.category.name if self.category else "默认"
        return f"{scope} {self.get_window_display()} {'且'.join(parts)}"


class WarningState(models.TextChoices):
    OPEN = "open", "待排查"
    CHECKING = "checking", "排查中"
    CLOSED = "closed", "已关闭"


class QualityWarning(BusinessModel):
    number = models.CharField("预警编号", max_length=20, unique=True)
    state = models.CharField(
        "状态", max_length=10, choices=WarningState.choices, default=WarningState.OPEN
    )
    product_model = models.ForeignKey(
        "installed_base.ProductModel",
        on_delete=models.PROTECT,
        related_name="quality_warnings",
        verbose_name="产品型号",
    )
    component_code = models.CharField("故障部件", max_length=30, blank=True)
    cause_class = models.CharField("原因分类", max_length=20, blank=True)
    window = models.CharField("统计周期", max_length=10, choices=WindowKind.choices)
    period_start = models.DateField("周期开始")
    period_end = models.DateField("周期结束（不含）")
    fault_count = models.PositiveIntegerField("故障次数")
    installed_units = models.PositiveIntegerField("在用台数")
    threshold = models.ForeignKey(
        WarningThreshold, on_delete=models.PROTECT, related_name="+", verbose_name="触发阈值"
    )
    threshold_text = models.CharField("阈值（触发时）", max_length=100)
    raised_at = models.DateTimeField("预警时间", default=timezone.now)
    checks_created_at = models.DateTimeField("生成排查单时间", null=True, blank=True)
    checks_created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="生成排查单人",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="关闭人",
    )
    close_note = models.CharField("关闭说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "质量预警"
        verbose_name_plural = "质量预警"
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "component_code", "cause_class", "window", "period_start"],
                name="uniq_warning_per_window",
            )
        ]
        indexes = [models.Index(fields=["state", "-raised_at"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/quality/warnings/{self.pk}/"


class WarningFault(models.Model):
    """One fault the warning counted: a filed service report or a quality complaint."""

    warning = models.ForeignKey(
        QualityWarning, on_delete=models.CASCADE, related_name="faults", verbose_name="预警"
    )
    equipment = models.ForeignKey(
        "installed_base.Equipment", on_delete=models.PROTECT, related_name="+", verbose_name="设备"
    )
    report = models.ForeignKey(
        "service.ServiceReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="服务报告",
    )
    complaint = models.ForeignKey(
        "quality.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="投诉单",
    )
    occurred_at = models.DateTimeField("发生时间")

    class Meta:
        verbose_name = "预警故障记录"
        verbose_name_plural = "预警故障记录"
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.warning} {self.equipment}"


class ProactiveCheck(models.Model):
    """The proactive check (主动排查) of one equipment for one warning: its ticket."""

    warning = models.ForeignKey(
        QualityWarning, on_delete=models.CASCADE, related_name="checks", verbose_name="预警"
    )
    equipment = models.ForeignKey(
        "installed_base.Equipment", on_delete=models.PROTECT, related_name="+", verbose_name="设备"
    )
    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.PROTECT, related_name="+", verbose_name="排查报修单"
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "主动排查"
        verbose_name_plural = "主动排查"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "equipment"], name="uniq_check_per_equipment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.warning} {self.equipment}"
