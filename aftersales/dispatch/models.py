"""Dispatch plans (派工方案): one solved day of visits per technician, edited by the
dispatcher and published through the service flow; and the planner's parameters."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class PlanState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已作废"


class DispatchPlan(BusinessModel):
    """A proposal for one day (and optionally one region). ``solved_at`` is empty while a
    background job is still solving it. ``problem`` is the planning model as it was solved
    (jobs, technicians, places, travel settings), so that the dispatcher's edits are re-timed
    on the same data; ``routes`` holds per technician what the items do not (departure,
    return, travel, lunch break)."""

    day = models.DateField("计划日期", db_index=True)
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="片区"
    )
    state = models.CharField(
        "状态", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    as_of = models.DateTimeField("计划时点", help_text="此时刻之前的行程视为已开始")
    solved_at = models.DateTimeField("求解完成时间", null=True, blank=True)
    time_budget_seconds = models.DecimalField(
        "求解时限(秒)", max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    seed = models.PositiveIntegerField("随机种子", default=0)
    replan_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replans",
        verbose_name="重排自",
    )
    metrics = models.JSONField("指标", default=dict, blank=True)
    routes = models.JSONField("路线", default=dict, blank=True)
    problem = models.JSONField("规划模型", default=dict, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发布人",
    )
    error = models.CharField("求解失败原因", max_length=300, blank=True)

    audit_exclude = frozenset({"updated_at", "problem", "routes", "metrics"})

    class Meta:
        verbose_name = "派工方案"
        verbose_name_plural = "派工方案"
        ordering = ["-day", "-created_at", "-id"]
        indexes = [models.Index(fields=["day", "region", "state"], name="plan_day_region_state")]

    def __str__(self) -> str:
        where = f" {self.region}" if self.region_id else ""
        return Said(
            "%(day)s%(where)s 派工方案#%(pk)s",
            day=format(self.day, "%Y-%m-%d"),
            where=where,
            pk=self.pk,
        )

    @property
    def solving(self) -> bool:
        return self.solved_at is None and not self.error

    @property
    def editable(self) -> bool:
        return self.state == PlanState.DRAFT and self.solved_at is not None


class PlanItem(models.Model):
    """One job of a plan: a visit of a technician (``technician`` set, in ``sequence``
    order, with planned times) or a job left unassigned (with the reason)."""

    plan = models.ForeignKey(
        DispatchPlan, on_delete=models.CASCADE, related_name="items", verbose_name="方案"
    )
    job_id = models.CharField("规划编号", max_length=20)
    ticket = models.ForeignKey(
        "service.Ticket", on_delete=models.PROTECT, related_name="+", verbose_name="报修单"
    )
    work_order = models.ForeignKey(
        "service.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="派工单",
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="工程师",
    )
    sequence = models.PositiveSmallIntegerField("顺序", default=0)
    planned_arrival = models.DateTimeField("计划到达", null=True, blank=True)
    planned_start = models.DateTimeField("计划开始", null=True, blank=True)
    planned_end = models.DateTimeField("计划结束", null=True, blank=True)
    window_start = models.DateTimeField("时间窗开始")
    window_end = models.DateTimeField("时间窗结束")
    window_kind = models.CharField(
        "时间窗来源", max_length=12, choices=[("sla", "SLA到场时限"), ("appointment", "客户预约")]
    )
    must_do = models.BooleanField("当日必做", default=True)
    late_minutes = models.PositiveIntegerField("迟到分钟", default=0)
    fixed = models.BooleanField("固定", default=False)
    started = models.BooleanField("已开始", default=False)
    edited_by_dispatcher = models.BooleanField("调度员调整", default=False)
    unassigned_reason = models.CharField("未分配原因", max_length=30, blank=True)
    unassigned_detail = models.CharField("未分配说明", max_length=200, blank=True)
    remote = models.BooleanField("远程服务", default=False)

    class Meta:
        verbose_name = "方案明细"
        verbose_name_plural = "方案明细"
        ordering = ["plan", "technician_id", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "job_id"], name="plan_item_unique_job"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.job_id}"

    @property
    def assigned(self) -> bool:
        return self.technician_id is not None


MIN_SPEED = MinValueValidator(Decimal("1"), message="车速不能小于 1 km/h")


class PlannerSettings(BusinessModel):
    """The planner's parameters (the latest active row counts; without one, the defaults).
    Travel: great-circle distance × road factor ÷ speed (per region code, else the default),
    at least the minimum per trip; beyond ``highway_after_km`` road kilometres a trip goes at
    the highway speed (0: never)."""

    road_factor = models.DecimalField(
        "道路系数",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.35"),
        validators=[MinValueValidator(Decimal("1"))],  # a road is never shorter than the line
    )
    speed_kmh = models.DecimalField(
        "默认车速(km/h)",
        max_digits=5,
        decimal_places=1,
        default=Decimal("30.0"),
        validators=[MIN_SPEED],  # 0 km/h would divide every trip by zero
    )
    region_speeds = models.JSONField(
        "各片区车速", default=dict, blank=True, help_text='片区编码 → km/h，如 {"EAST": 24}'
    )
    minimum_travel_minutes = models.PositiveSmallIntegerField("单程最少分钟", default=5)
    highway_after_km = models.DecimalField(
        "超过此里程按高速车速(km)",
        max_digits=5,
        decimal_places=1,
        default=Decimal("20.0"),
        help_text="单程道路里程超过此值的部分按高速车速计算；0 表示不区分",
    )
    highway_speed_kmh = models.DecimalField(
        "高速车速(km/h)",
        max_digits=5,
        decimal_places=1,
        default=Decimal("70.0"),
        validators=[MIN_SPEED],
    )
    default_service_minutes = models.PositiveSmallIntegerField("默认作业时长(分钟)", default=90)
    service_minutes = models.JSONField(
        "各产品类别作业时长", default=dict, blank=True, help_text='类别编码 → 分钟，如 {"led": 90}'
    )
    remote_service_minutes = models.PositiveSmallIntegerField(
        "远程服务时长(分钟)",
        default=45,
        validators=[MinValueValidator(1, message="远程服务时长不能少于 1 分钟")],
        help_text="可远程服务的产品类别（如软件）按远程工单排入工程师当日，不计路程",
    )
    appointment_window_minutes = models.PositiveSmallIntegerField(
        "发布时预约时段长度(分钟)", default=60
    )
    lunch_flex_minutes = models.PositiveSmallIntegerField(
        "午休可前后浮动(分钟)", default=30, help_text="以工作日历的午休为准，可提前或推后的分钟数"
    )
    screen_budget_seconds = models.DecimalField(
        "页面求解时限(秒)", max_digits=5, decimal_places=1, default=Decimal("5.0")
    )
    background_budget_seconds = models.DecimalField(
        "后台求解时限(秒)", max_digits=5, decimal_places=1, default=Decimal("30.0")
    )
    inline_max_jobs = models.PositiveSmallIntegerField(
        "页面直接求解的最大工单数", default=60, help_text="超过则交给后台任务（队列 dispatch）"
    )

    class Meta:
        verbose_name = "派工参数"
        verbose_name_plural = "派工参数"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return Said("派工参数（%(created_at)s）", created_at=format(self.created_at, "%Y-%m-%d"))

    def clean(self) -> None:
        super().clean()
        speeds = self.region_speeds if isinstance(self.region_speeds, dict) else {"?": None}
        bad = [
            str(code)
            for code, kmh in speeds.items()
            if isinstance(kmh, bool) or not isinstance(kmh, (int, float)) or kmh < 1
        ]
        if bad:
            raise ValidationError(
                {
                    "region_speeds": Said(
                        "片区车速须为不小于 1 的数字（km/h）：%(join)s", join="、".join(bad)
                    )
                }
            )
