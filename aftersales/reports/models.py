"""The reports' own rows: the daily pre-aggregated facts every panel reads (``PanelFact``,
rebuilt per day by ``services.summary``), the days built, and the stored monthly packs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class PanelFact(models.Model):
    """One pre-aggregated figure of one panel for one day (or, ``span`` month, one whole
    month: the day rows summed, so that a month reads one row per combination however many
    tickets it had) and one combination of the filter
    dimensions (region, team, product category, customer tier, dealer) and the panel's own
    keys. What ``n``, ``hits``, ``total``, ``total2`` and ``peak`` mean is the panel's
    (``aftersales.reports.panels``); ``peak`` is combined with MAX, the others with SUM."""

    DAY, MONTH = "day", "month"

    day = models.DateField("日期", help_text="月汇总行为该月1日")
    span = models.CharField(
        "汇总粒度", max_length=5, default=DAY, help_text="day=一天；month=整月（由日汇总合计）"
    )
    panel = models.CharField("报表", max_length=30)
    region_id = models.IntegerField("片区", null=True)
    team_id = models.IntegerField("班组（部门）", null=True)
    category_id = models.IntegerField("产品类别", null=True)
    tier = models.CharField("客户等级", max_length=10, blank=True)
    dealer_id = models.IntegerField("经销商", null=True)
    key1 = models.CharField("分组1", max_length=60, blank=True)
    key2 = models.CharField("分组2", max_length=60, blank=True)
    n = models.BigIntegerField("数量", default=0)
    hits = models.BigIntegerField("命中", default=0)
    total = models.BigIntegerField("合计", default=0)
    total2 = models.BigIntegerField("合计2", default=0)
    peak = models.BigIntegerField("最大值", default=0)

    # dealers see their customers' figures only; staff see all (a region's manager is
    # narrowed to his region by the filters, see reports.filters)
    visibility = {"dealer": "dealer_id"}

    class Meta:
        verbose_name = "报表日汇总"
        verbose_name_plural = "报表日汇总"
        indexes = [
            models.Index(fields=["panel", "day"], name="panelfact_panel_day"),
            models.Index(fields=["panel", "span", "day"], name="panelfact_panel_span_day"),
        ]

    def __str__(self) -> str:
        return f"{self.panel} {self.day} {self.key1} {self.key2}"


class SummaryDay(models.Model):
    """A day whose facts were built, and when (the board shows "figures as of")."""

    day = models.DateField("日期", unique=True)
    built_at = models.DateTimeField("汇总时间")

    class Meta:
        verbose_name = "已汇总日期"
        verbose_name_plural = "已汇总日期"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}"


class MonthlyPack(BusinessModel):
    """月度报表包: the month's reports as a PDF and an Excel workbook, one per month."""

    month = models.DateField("月份", unique=True, help_text="该月1日")
    pdf = models.FileField("PDF", upload_to="report-packs/%Y/", blank=True)
    workbook = models.FileField("Excel", upload_to="report-packs/%Y/", blank=True)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="生成人（空=定时任务）",
    )
    seconds = models.DecimalField("生成耗时(秒)", max_digits=8, decimal_places=2, default=0)
    emailed_to = models.PositiveIntegerField("发送人数", default=0)

    class Meta:
        verbose_name = "月度报表包"
        verbose_name_plural = "月度报表包"
        ordering = ["-month"]

    def __str__(self) -> str:
        return Said("%(month)s 月度报表包", month=format(self.month, "%Y-%m"))


class PackRecipient(BusinessModel):
    """Who receives the monthly pack by e-mail besides the company-wide managers and the
    quality centre's director (the admin edits the list; an archived row receives nothing)."""

    name = models.CharField("姓名", max_length=50, blank=True)
    email = models.EmailField("邮箱", max_length=254, unique=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "月度报表包收件人"
        verbose_name_plural = "月度报表包收件人"
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email
