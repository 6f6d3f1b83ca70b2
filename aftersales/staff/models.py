"""Staff profiles (skills, region, home base) and duty rosters (值班表, incl. holiday duty)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class StaffProfile(BusinessModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_profile",
        verbose_name="用户",
    )
    employee_no = models.CharField("工号", max_length=20, unique=True)
    skills = models.ManyToManyField(
        "installed_base.ProductCategory", blank=True, verbose_name="技能（产品类别）"
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="片区"
    )
    home_address = models.CharField("驻地", max_length=200, blank=True)
    home_lat = models.DecimalField(
        "驻地纬度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    home_lng = models.DecimalField(
        "驻地经度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_field_engineer = models.BooleanField("外勤工程师", default=False)
    daily_capacity = models.PositiveSmallIntegerField("每日可接单数", default=6)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "人员档案"
        verbose_name_plural = "人员档案"
        ordering = ["employee_no"]

    def __str__(self) -> str:
        return f"{self.employee_no} {self.user}"


class DutyShift(BusinessModel):
    """One person on duty for a time span: normal shift, on-call (7×24) or holiday duty."""

    class Kind(models.TextChoices):
        NORMAL = "normal", "正常班"
        ON_CALL = "on_call", "值班(7×24)"
        HOLIDAY = "holiday", "节假日值班"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name="人员",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.NORMAL)
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束")
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="片区"
    )
    note = models.CharField("备注", max_length=100, blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "值班排班"
        verbose_name_plural = "值班排班"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                name="shift_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.starts_at:%m-%d %H:%M}"


class FactKind(models.TextChoices):
    """What staff assessment (考核, SPEC §8) counts; one list for every domain that records."""

    LATE_ARRIVAL = "late_arrival", "迟到"
    INCOMPLETE_REPORT = "incomplete_report", "服务报告不完整"
    LATE_REPORT = "late_report", "服务报告逾期提交"
    REPEAT_REPAIR = "repeat_repair", "重复维修"
    UNSATISFIED_CALLBACK = "unsatisfied_callback", "回访不满意"
    PERSON_COMPLAINT = "person_complaint", "被投诉"
    REFUSED_DISPATCH = "refused_dispatch", "拒绝派工"
    MISSED_INSPECTION = "missed_inspection", "漏检/逾期巡检"


class AssessmentFact(BusinessModel):
    """One fact counted for (or against) a person, measured from the system's own records.

    Recorded by the domain that sees it happen (``staff.services.record_fact``), once per
    kind and source record; the monthly assessment scores these facts."""

    class Outcome(models.TextChoices):
        OPEN = "open", "待考核"
        COUNTED = "counted", "已计入"
        WAIVED = "waived", "已免责"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_facts",
        verbose_name="人员",
    )
    kind = models.CharField("类型", max_length=24, choices=FactKind.choices)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name="来源类型"
    )
    source_id = models.CharField("来源记录", max_length=40)
    source_repr = models.CharField("来源", max_length=200)
    occurred_at = models.DateTimeField("发生时间", db_index=True)
    details = models.JSONField("详情", default=dict, blank=True)
    outcome = models.CharField(
        "考核结果", max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )

    visibility = {"technician": "person"}

    class Meta:
        verbose_name = "考核事实"
        verbose_name_plural = "考核事实"
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"], name="uniq_fact_per_source"
            )
        ]
        indexes = [models.Index(fields=["person", "occurred_at"], name="fact_person_time")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.source_repr}"
