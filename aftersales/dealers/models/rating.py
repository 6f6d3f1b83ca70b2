"""经销商评级 (003 #11 第8条): a period score per dealer from its arrangement times, the
complaints about it, its claims' rejection rate and its customers' callbacks. The weights,
the period length and the reward / downgrade lines are data (``RatingScheme``, edited in the
back office); a manager freezes a period once, and its ratings never change afterwards."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.core.models import money_field as money
from aftersales.core.models import user_field as _user
from aftersales.dealers import rules


def _points(name: str, default: str) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(name, max_digits=5, decimal_places=2, default=Decimal(default))


class RatingScheme(BusinessModel):
    """评级标准: the newest row not archived is the one in force."""

    class Period(models.IntegerChoices):
        MONTH = 1, "月度"
        QUARTER = 3, "季度"
        HALF_YEAR = 6, "半年"
        YEAR = 12, "年度"

    name = models.CharField("名称", max_length=60, default="经销商评级标准")
    period_months = models.PositiveSmallIntegerField(
        "评级周期", choices=Period.choices, default=Period.QUARTER
    )
    weight_arrangement = _points("权重：2小时内安排", "30")
    weight_complaints = _points("权重：投诉", "20")
    weight_rejection = _points("权重：索赔驳回率", "25")
    weight_callbacks = _points("权重：回访满意", "25")
    complaint_penalty = _points("每次投诉扣分", "20")
    reward_threshold = _points("奖励分数线（不低于）", "90")
    downgrade_threshold = _points("降级分数线（低于）", "60")
    reward_amount = money("奖励金额（元）", default=Decimal("2000.00"))
    source = models.CharField(
        "依据", max_length=100, blank=True, default="003 #11 第8条 优秀者现金奖励，严重问题降级"
    )

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "经销商评级标准"
        verbose_name_plural = "经销商评级标准"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name

    def rule(self) -> rules.RatingScheme:
        return rules.RatingScheme(
            weight_arrangement=Decimal(self.weight_arrangement),
            weight_complaints=Decimal(self.weight_complaints),
            weight_rejection=Decimal(self.weight_rejection),
            weight_callbacks=Decimal(self.weight_callbacks),
            complaint_penalty=Decimal(self.complaint_penalty),
            reward_threshold=Decimal(self.reward_threshold),
            downgrade_threshold=Decimal(self.downgrade_threshold),
        )

    def clean(self) -> None:
        super().clean()
        values = [getattr(self, f) for f in rules.RatingScheme.__dataclass_fields__]
        if any(v is None for v in values):
            return  # the field's own "required" message
        errors = rules.scheme_errors(self.rule())
        if errors:
            raise ValidationError(errors)

    def snapshot(self) -> dict[str, str | int]:
        """The parameters a frozen period was rated with."""
        out: dict[str, str | int] = {"period_months": int(self.period_months)}
        for f in (*rules.RatingScheme.__dataclass_fields__, "reward_amount"):
            out[f] = str(getattr(self, f))
        return out

    @classmethod
    def current(cls) -> RatingScheme:
        """The scheme in force (the seeded defaults when none is stored)."""
        return cls.objects.filter(archived_at__isnull=True).order_by("-pk").first() or cls()


class RatingPeriod(BusinessModel):
    """A frozen rating period [starts_on, ends_on): rated once, with the scheme of the day."""

    starts_on = models.DateField("期间起", unique=True)
    ends_on = models.DateField("期间止（不含）")
    scheme = models.JSONField("评级参数", default=dict)
    frozen_at = models.DateTimeField("评定时间")
    frozen_by = _user("评定人")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "经销商评级期间"
        verbose_name_plural = "经销商评级期间"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="rating_period_order", condition=models.Q(ends_on__gt=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d}～{self.last_day:%Y-%m-%d}"

    @property
    def last_day(self):  # type: ignore[no-untyped-def]
        import datetime as dt

        return self.ends_on - dt.timedelta(days=1)


class RatingOutcome(models.TextChoices):
    REWARD = rules.Outcome.REWARD, "奖励"
    KEEP = rules.Outcome.KEEP, "维持"
    DOWNGRADE = rules.Outcome.DOWNGRADE, "降级"
    UNRATED = rules.Outcome.UNRATED, "无记录不评"


def _score(name: str) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(name, max_digits=5, decimal_places=2, null=True, blank=True)


class DealerRating(BusinessModel):
    period = models.ForeignKey(
        RatingPeriod, on_delete=models.PROTECT, related_name="ratings", verbose_name="评级期间"
    )
    dealer = models.ForeignKey(
        "dealers.Dealer", on_delete=models.PROTECT, related_name="ratings", verbose_name="经销商"
    )
    tasks_total = models.PositiveIntegerField("服务任务数", default=0)
    tasks_in_time = models.PositiveIntegerField("2小时内安排数", default=0)
    complaints = models.PositiveIntegerField("投诉数", default=0)
    claims_appraised = models.PositiveIntegerField("已鉴定索赔数", default=0)
    claims_rejected = models.PositiveIntegerField("驳回索赔数", default=0)
    callbacks_done = models.PositiveIntegerField("回访数", default=0)
    callbacks_satisfied = models.PositiveIntegerField("满意回访数", default=0)
    arrangement_score = _score("安排得分")
    complaint_score = _score("投诉得分")
    rejection_score = _score("索赔得分")
    callback_score = _score("回访得分")
    score = _score("综合得分")
    outcome = models.CharField("评级结果", max_length=10, choices=RatingOutcome.choices)
    level_before = models.CharField("评级前级别", max_length=2)
    level_after = models.CharField("评级后级别", max_length=2)
    reward_amount = money("奖励金额", default=Decimal("0.00"))

    # money and standing between the company and the dealer: a technician sees none
    visibility = {"dealer": "dealer", "technician": "period__frozen_by"}

    class Meta:
        verbose_name = "经销商评级"
        verbose_name_plural = "经销商评级"
        ordering = ["-period__starts_on", "dealer__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "dealer"], name="one_rating_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.dealer} {self.period}"

    def get_absolute_url(self) -> str:
        return f"/dealers/ratings/{self.pk}/"
