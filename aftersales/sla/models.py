"""SLA policies as data (SPEC §3.3): per severity and metric a target, counted either around
the clock (7×24) or in working time on a business calendar; regional on-site targets;
escalation settings. Resolution order: contract → customer tier → default."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said
from aftersales.sla import rules as sla_rules

# the one list of severities lives in the pure rules (the planner reads it too)
Severity = models.TextChoices(  # type: ignore[call-overload]
    "Severity", [(s.name, (s.value, s.label)) for s in sla_rules.Severity]
)


class Metric(models.TextChoices):
    RESPONSE = "response", "首次响应"
    ON_SITE = "on_site", "到场"
    RESOLUTION = "resolution", "解决"
    PLAN = "plan", "解决方案"


class SlaPolicy(BusinessModel):
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    is_default = models.BooleanField("默认政策", default=False)
    customer_tier = models.CharField(
        "适用客户等级", max_length=10, blank=True, help_text="key / normal；空=不按等级"
    )
    pattern = models.ForeignKey(
        "bizcalendar.WorkingPattern",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="作息（空=默认）",
    )
    warn_share = models.DecimalField(
        "预警比例", max_digits=3, decimal_places=2, default=Decimal("0.75")
    )
    manager_after_breach_minutes = models.PositiveIntegerField("超时后升级主管(分钟)", default=120)
    loaner_after_minutes = models.PositiveIntegerField(
        "重大/紧急未修复提供备用机(分钟)", default=240
    )
    dispatch_confirm_minutes = models.PositiveIntegerField(
        "重大/紧急派工确认时限(分钟)", default=10, help_text="调度员须在此时间内确认派工"
    )
    complex_resolution_days = models.DecimalField(
        "复杂故障解决时限(工作日)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("3"),
        help_text="调度员认定为复杂故障的一般故障，解决时限改为此工作日数",
    )
    callback_after_days = models.PositiveSmallIntegerField(
        "完工后回访(天)", default=1, help_text="报修单完成后几天内回访"
    )
    callback_retry_hours = models.PositiveSmallIntegerField(
        "联系不上时再次回访间隔(小时)", default=24
    )
    callback_max_attempts = models.PositiveSmallIntegerField(
        "回访最多尝试次数",
        default=3,
        help_text="连续联系不上达到此次数后回访记为“联系不上”，报修单可关闭",
    )

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "SLA政策"
        verbose_name_plural = "SLA政策"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    class Unit(models.TextChoices):
        MINUTES = "minutes", "分钟"
        WORKING_DAYS = "working_days", "工作日"

    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.CASCADE, related_name="targets", verbose_name="政策"
    )
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    metric = models.CharField("指标", max_length=12, choices=Metric.choices)
    amount = models.DecimalField("时限", max_digits=8, decimal_places=2)
    unit = models.CharField("单位", max_length=12, choices=Unit.choices, default=Unit.MINUTES)
    working_time = models.BooleanField("按工作时间计", default=True)

    class Meta:
        verbose_name = "SLA时限"
        verbose_name_plural = "SLA时限"
        constraints = [
            models.UniqueConstraint(fields=["policy", "severity", "metric"], name="uniq_sla_target")
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.get_metric_display()} {self.amount}{self.get_unit_display()}"


class SlaRegionalTarget(models.Model):
    """到场时限 by distance class: local 2 h, neighbouring 12 h, other provinces 48 h."""

    class Relation(models.TextChoices):
        LOCAL = "local", "本地"
        NEIGHBOUR = "neighbour", "邻近地区"
        OTHER = "other", "外省"

    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.CASCADE, related_name="regional_targets", verbose_name="政策"
    )
    relation = models.CharField("区域关系", max_length=10, choices=Relation.choices)
    minutes = models.PositiveIntegerField("到场时限(分钟)")
    working_time = models.BooleanField("按工作时间计", default=False)

    class Meta:
        verbose_name = "区域到场时限"
        verbose_name_plural = "区域到场时限"
        constraints = [
            models.UniqueConstraint(fields=["policy", "relation"], name="uniq_regional_target")
        ]

    def __str__(self) -> str:
        return Said(
            "%(get_relation_display)s %(minutes)s分钟",
            get_relation_display=self.get_relation_display(),
            minutes=self.minutes,
        )
