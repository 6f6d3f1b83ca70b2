"""Corrective and preventive action (纠正预防, SPEC §6.2): opened from a serious complaint, a
repeat-repair cluster, a quality warning or by hand; cause, measures, owner department and
deadline; closed only after a verification of effect by someone other than the owner (a
failed verification re-opens it with a new deadline). A rectification report (整改报告) for
a product model with concentrated complaints is the same document of kind rectification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel


class CapaKind(models.TextChoices):
    CORRECTIVE = "corrective", "纠正预防措施"
    RECTIFICATION = "rectification", "整改报告"


class CapaSource(models.TextChoices):
    COMPLAINT = "complaint", "重大投诉"
    REPEAT_REPAIR = "repeat_repair", "重复维修"
    WARNING = "warning", "质量预警"
    MANUAL = "manual", "手工登记"


class CapaState(models.TextChoices):
    DRAFT = "draft", "待制定措施"
    OPEN = "open", "实施中"
    VERIFYING = "verifying", "待验证效果"
    CLOSED = "closed", "已关闭"
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


class CorrectiveAction(BusinessModel):
    number = models.CharField("编号", max_length=20, unique=True)
    kind = models.CharField(
        "类型", max_length=15, choices=CapaKind.choices, default=CapaKind.CORRECTIVE
    )
    source = models.CharField("来源", max_length=15, choices=CapaSource.choices)
    state = models.CharField(
        "状态", max_length=10, choices=CapaState.choices, default=CapaState.DRAFT, db_index=True
    )
    title = models.CharField("标题", max_length=200)
    complaint = models.ForeignKey(
        "quality.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capas",
        verbose_name="来源投诉",
    )
    warning = models.ForeignKey(
        "quality.QualityWarning",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capas",
        verbose_name="来源预警",
    )
    product_model = models.ForeignKey(
        "installed_base.ProductModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="产品型号",
    )
    source_note = models.CharField("来源说明", max_length=200, blank=True)
    cause = models.TextField("原因分析", blank=True)
    measures = models.TextField("纠正预防措施", blank=True)
    owner_department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任部门",
    )
    owner = _user("责任人")
    deadline = models.DateField("完成期限", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新打开次数", default=0)
    done_note = models.TextField("实施情况", blank=True)
    submitted_at = models.DateTimeField("提交验证时间", null=True, blank=True)
    submitted_by = _user("提交验证人")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)
    opened_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "纠正预防措施"
        verbose_name_plural = "纠正预防措施"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(complaint__isnull=False),
                name="uniq_capa_per_complaint",
            ),
            models.UniqueConstraint(
                fields=["warning"],
                condition=models.Q(warning__isnull=False),
                name="uniq_capa_per_warning",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/quality/capa/{self.pk}/"


class CapaVerification(models.Model):
    """One verification of effect: by someone other than the owner and the submitter."""

    capa = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name="措施",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="验证人"
    )
    verified_at = models.DateTimeField("验证时间")
    effective = models.BooleanField("有效")
    note = models.TextField("验证说明")
    new_deadline = models.DateField("新完成期限", null=True, blank=True)

    class Meta:
        verbose_name = "效果验证"
        verbose_name_plural = "效果验证"
        ordering = ["verified_at", "id"]

    def __str__(self) -> str:
        return f"{self.capa} {'有效' if self.effective else '无效'}"
