"""Maintenance plans (巡检/保养计划) and the seasonal windows they may be limited to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said
from aftersales.maintenance import rules

# the field's choices, built from the one list of the planning rules
Recurrence = models.TextChoices(  # type: ignore[call-overload]
    "Recurrence", [(r.name, (r.value, r.label)) for r in rules.Recurrence]
)


class PlanKind(models.TextChoices):
    ROUTINE = "routine", "定期巡检"
    MAINTENANCE = "maintenance", "定期保养"
    JOINT = "joint", "季度联合巡检（客户领导参加）"
    OVERHAUL = "overhaul", "年度大修"
    SEASONAL = "seasonal", "季节性检查"
    PHONE = "phone", "电话巡检"
    ACCEPTANCE_TRACKING = "acceptance_tracking", "验收后电话跟踪"
    KEY_CUSTOMER = "key_customer", "重点客户年度走访"


# the kinds done by telephone: no site visit, no engineer on site
PHONE_KINDS = frozenset({PlanKind.PHONE, PlanKind.ACCEPTANCE_TRACKING})


class SeasonalWindow(BusinessModel):
    """A window of the year as data (雨季防水, 台风, 冬季保温, 制冷季/供暖季前 …)."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50)
    start_month = models.PositiveSmallIntegerField("开始月")
    start_day = models.PositiveSmallIntegerField("开始日")
    end_month = models.PositiveSmallIntegerField("结束月")
    end_day = models.PositiveSmallIntegerField("结束日")
    note = models.CharField("说明", max_length=200, blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "季节窗口"
        verbose_name_plural = "季节窗口"
        ordering = ["start_month", "start_day", "code"]

    def __str__(self) -> str:
        return Said(
            "%(name)s（%(start_month)s月%(start_day)s日—%(end_month)s月%(end_day)s日）",
            name=self.name,
            start_month=self.start_month,
            start_day=self.start_day,
            end_month=self.end_month,
            end_day=self.end_day,
        )


class MaintenancePlan(BusinessModel):
    number = models.CharField("计划编号", max_length=20, unique=True)
    name = models.CharField("计划名称", max_length=100)
    kind = models.CharField("计划类型", max_length=20, choices=PlanKind.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name="客户",
    )
    site = models.ForeignKey(
        "customers.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name="项目/现场",
    )
    contract = models.ForeignKey(
        "customers.ServiceContract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintenance_plans",
        verbose_name="维保合同",
    )
    equipment = models.ManyToManyField(
        "installed_base.Equipment",
        blank=True,
        related_name="maintenance_plans",
        verbose_name="设备",
    )
    recurrence = models.CharField("周期", max_length=12, choices=Recurrence.choices)
    interval = models.PositiveSmallIntegerField("间隔", default=1, help_text="每 N 个周期一次")
    window = models.ForeignKey(
        SeasonalWindow,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name="季节窗口",
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="空=合同期或长期")
    lead_days = models.PositiveSmallIntegerField(
        "提前生成天数", default=60, help_text="巡检任务提前多少天生成"
    )
    release_days = models.PositiveSmallIntegerField(
        "提前派单天数", default=14, help_text="到期前多少天生成工单交派工"
    )
    min_engineers = models.PositiveSmallIntegerField("每次最少工程师人数", default=1)
    skill = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所需技能（产品线）",
    )
    duration_minutes = models.PositiveIntegerField("预计时长(分钟)", default=120)
    visit_from = models.TimeField(
        "客户可接待开始", null=True, blank=True, help_text="工程师须在此时段内到场开工"
    )
    visit_until = models.TimeField("客户可接待结束", null=True, blank=True)
    checklist_code = models.CharField("检查表编码", max_length=30, blank=True)
    written_report = models.BooleanField("须提交书面报告", default=False)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="负责主办",
    )
    revision = models.PositiveIntegerField("修订号", default=1)
    generated_through = models.DateField(
        "已生成至", null=True, blank=True, editable=False, help_text="此日期前的周期已生成"
    )
    note = models.TextField("说明", max_length=2000, blank=True)

    visibility = {"customer": "customer"}

    class Meta:
        verbose_name = "巡检计划"
        verbose_name_plural = "巡检计划"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "kind"], name="mplan_customer_kind")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="mplan_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(interval__gte=1), name="mplan_interval_pos"),
            models.CheckConstraint(
                condition=models.Q(visit_from__isnull=True, visit_until__isnull=True)
                | models.Q(visit_until__gt=models.F("visit_from")),
                name="mplan_visit_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def by_phone(self) -> bool:
        return self.kind in PHONE_KINDS
