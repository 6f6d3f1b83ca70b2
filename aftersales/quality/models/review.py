"""The monthly quality review (月度质量评审, SPEC §6.1 "monthly review of last month's
complaints, with the responsibility outcome"; 000 §三(四) 售后服务部门每月审视上月份的投诉案件;
001 4.16 每月组织一次多部门质量分析会, 制定改善措施, 落实责任部门并跟踪改善结果).

The quality office opens a finished month, reads its figures (complaints by class, severity,
product and responsible party, repeat repairs, overdue CAPAs, warnings fired, old-part
returns), records its conclusions and the improvement actions (each with an owner and a due
date on the deadline engine) and closes it: the closing goes to the approval flow
``quality_review``; once approved the figures stay as they were closed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class ReviewState(models.TextChoices):
    OPEN = "open", "评审中"
    IN_APPROVAL = "in_approval", "审批中"
    RETURNED = "returned", "退回修改"
    CLOSED = "closed", "已批准结束"


EDITABLE_REVIEW_STATES = frozenset({ReviewState.OPEN, ReviewState.RETURNED})


class ActionState(models.TextChoices):
    OPEN = "open", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已撤销"


def _user(name: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=name,
    )


class QualityReview(BusinessModel):
    number = models.CharField("评审编号", max_length=20, unique=True)
    month = models.DateField("月份（月初）", unique=True)
    state = models.CharField(
        "状态", max_length=15, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    figures = models.JSONField("统计数据（结束时）", default=dict, blank=True)
    conclusions = models.TextField("评审结论", blank=True)
    opened_at = models.DateTimeField("开启时间", default=timezone.now)
    opened_by = _user("开启人")
    submitted_at = models.DateTimeField("提交审批时间", null=True, blank=True)
    submitted_by = _user("提交人")
    closed_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "月度质量评审"
        verbose_name_plural = "月度质量评审"
        ordering = ["-month"]

    def __str__(self) -> str:
        return Said("%(month)s质量评审", month=format(self.month, "%Y\u5e74%m\u6708"))

    def get_absolute_url(self) -> str:
        return f"/quality/reviews/{self.pk}/"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_REVIEW_STATES


class ReviewAction(BusinessModel):
    """One improvement action the review decided: what, who, by when (a deadline)."""

    review = models.ForeignKey(
        QualityReview, on_delete=models.PROTECT, related_name="actions", verbose_name="评审"
    )
    number = models.CharField("措施编号", max_length=30, unique=True)
    description = models.CharField("改进措施", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="负责人"
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任部门",
    )
    due_date = models.DateField("完成期限")
    state = models.CharField(
        "状态", max_length=10, choices=ActionState.choices, default=ActionState.OPEN
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = _user("完成确认人")
    done_note = models.CharField("完成情况", max_length=500, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "评审改进措施"
        verbose_name_plural = "评审改进措施"
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/quality/reviews/{self.review_id}/#action-{self.pk}"
