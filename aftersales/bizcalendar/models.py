"""The business calendar as data: weekly working patterns, days (holidays / 调休 working days
from the ``holidays`` library, administrator overrides) and per-year confirmation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aftersales.core.models import BusinessModel


class WorkingPattern(BusinessModel):
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    is_default = models.BooleanField("默认", default=False)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "作息时间"
        verbose_name_plural = "作息时间"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WorkingPeriod(models.Model):
    class Weekday(models.IntegerChoices):
        MON = 0, "周一"
        TUE = 1, "周二"
        WED = 2, "周三"
        THU = 3, "周四"
        FRI = 4, "周五"
        SAT = 5, "周六"
        SUN = 6, "周日"

    pattern = models.ForeignKey(
        WorkingPattern, on_delete=models.CASCADE, related_name="periods", verbose_name="作息"
    )
    weekday = models.PositiveSmallIntegerField("星期", choices=Weekday.choices)
    start = models.TimeField("开始")
    end = models.TimeField("结束")

    class Meta:
        verbose_name = "工作时段"
        verbose_name_plural = "工作时段"
        ordering = ["pattern", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start >= self.end:
            raise ValidationError("结束时间必须晚于开始时间")


class CalendarDay(BusinessModel):
    """A date that differs from the weekly pattern.

    ``library`` rows come from the ``holidays`` package (public holidays and 调休 working
    days); ``admin`` rows are an administrator's overrides and win over everything.
    """

    class Source(models.TextChoices):
        LIBRARY = "library", "节假日库"
        ADMIN = "admin", "管理员设定"

    date = models.DateField("日期")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    working = models.BooleanField("工作日")
    name = models.CharField("说明", max_length=100, blank=True)
    periods = models.JSONField(
        "工作时段",
        default=list,
        blank=True,
        help_text='如 [["08:30","12:00"],["13:30","17:30"]]，空=正常作息',
    )

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "日历日"
        verbose_name_plural = "日历日"
        ordering = ["date", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "source"],
                condition=models.Q(archived_at__isnull=True),
                name="uniq_active_calendar_day",
            )
        ]

    def __str__(self) -> str:
        kind = "上班" if self.working else "休息"
        return f"{self.date} {kind} {self.name}"

    def clean(self) -> None:
        for pair in self.periods or []:
            if not (isinstance(pair, list | tuple) and len(pair) == 2):
                raise ValidationError({"periods": "工作时段格式应为 [开始, 结束]"})


class CalendarYear(models.Model):
    """Whether a year's official holiday schedule (国务院办公厅通知) is in the calendar."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    official = models.BooleanField("已含官方放假安排", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def needs_confirmation(self) -> bool:
        return not self.official and self.confirmed_at is None
