"""Satisfaction surveys (SPEC §3.6, quarterly / yearly): a survey is a definition whose
questions are rows; sending it invites a sample of customers through the outbox with a public
link; each invitation keeps the customer's region and main product category at sending time,
so results can be read by question, region and product."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from aftersales.core.models import BusinessModel


class SurveyPeriod(models.TextChoices):
    QUARTERLY = "quarterly", "季度调查"
    YEARLY = "yearly", "年度调查"


class SurveyState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SENT = "sent", "已发送"
    CLOSED = "closed", "已结束"


class QuestionKind(models.TextChoices):
    SCORE = "score", "评分（1-5）"
    YES_NO = "yes_no", "是/否"
    TEXT = "text", "文字意见"


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(BusinessModel):
    code = models.CharField("调查编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    period = models.CharField(
        "周期", max_length=10, choices=SurveyPeriod.choices, default=SurveyPeriod.QUARTERLY
    )
    intro = models.CharField("致客户的说明", max_length=300, blank=True)
    sample_size = models.PositiveIntegerField("抽样客户数", default=50)
    state = models.CharField(
        "状态", max_length=10, choices=SurveyState.choices, default=SurveyState.DRAFT
    )
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发送人",
    )
    closes_on = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "满意度调查"
        verbose_name_plural = "满意度调查"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="questions", verbose_name="调查"
    )
    position = models.PositiveSmallIntegerField("顺序", default=1)
    text = models.CharField("问题", max_length=200)
    kind = models.CharField(
        "题型", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCORE
    )
    required = models.BooleanField("必答", default=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "调查问题"
        verbose_name_plural = "调查问题"
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyInvitation(BusinessModel):
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="invitations", verbose_name="调查"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="survey_invitations",
        verbose_name="客户",
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="片区"
    )
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="主要产品类别",
    )
    token = models.CharField("调查链接标识", max_length=32, unique=True, default=new_token)
    answered_at = models.DateTimeField("答卷时间", null=True, blank=True)

    visibility = {"customer": "customer"}

    class Meta:
        verbose_name = "调查邀请"
        verbose_name_plural = "调查邀请"
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "customer"], name="uniq_survey_customer")
        ]
        indexes = [models.Index(fields=["survey", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.survey.code} {self.customer}"


class SurveyAnswer(models.Model):
    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.PROTECT, related_name="answers", verbose_name="邀请"
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name="问题"
    )
    score = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    yes = models.BooleanField("是", null=True, blank=True)
    comment = models.CharField("意见", max_length=500, blank=True)

    visibility = {"customer": "invitation__customer"}

    class Meta:
        verbose_name = "调查答案"
        verbose_name_plural = "调查答案"
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="uniq_answer"),
            models.CheckConstraint(
                name="answer_score_1_5",
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} {self.question}"
