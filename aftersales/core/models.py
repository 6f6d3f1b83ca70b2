"""Base model mixins and the shared records every domain uses (audit events, regions, numbering)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from aftersales.core.said import Said
from aftersales.core.uploads import VerifiedImageField


def user_field(name: str, related: str = "+") -> models.ForeignKey:  # type: ignore[type-arg]
    """An optional "who did it" column (handler, approver, appraiser…): the one definition
    every domain's models use. A person is never deleted, so PROTECT."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related,
        verbose_name=name,
    )


def money_field(name: str, **kw: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in yuan: Decimal, 12 digits, 2 decimals (money is never a float)."""
    return models.DecimalField(name, max_digits=12, decimal_places=2, **kw)


class ActiveQuerySet(models.QuerySet):
    def active(self) -> ActiveQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ActiveQuerySet:
        return self.filter(archived_at__isnull=False)

    def delete(self) -> Any:
        """Business records are archived, never hard-deleted — in bulk neither."""
        raise models.ProtectedError(
            Said(
                "业务记录不可删除，请归档（%(verbose_name)s）",
                verbose_name=self.model._meta.verbose_name,
            ),
            set(),
        )

    delete.queryset_only = True  # type: ignore[attr-defined]


class BusinessModel(models.Model):
    """A business record: time-stamped, audited through services, archived instead of deleted.

    ``visibility`` names the lookups that tie the record to an organisation, read by
    ``aftersales.core.visibility``: ``customer`` (path to the customer's primary key, or "pk"
    on Customer itself) and optionally ``technician`` (path to an assigned user).
    """

    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True, editable=False)

    objects = ActiveQuerySet.as_manager()

    visibility: ClassVar[dict[str, str]] = {}
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at"})

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise models.ProtectedError("业务记录不可删除，请归档", {self})

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field checks, plus: no bidi control characters in identifiers and names."""
        clean_fields_without_bidi(self, super().clean_fields, exclude)


def clean_fields_without_bidi(instance: Any, clean: Any, exclude: Any) -> None:
    from django.core.exceptions import ValidationError

    from aftersales.core.text import bidi_field_errors

    errors: dict[str, Any] = {}
    try:
        clean(exclude)
    except ValidationError as exc:
        errors = dict(exc.error_dict)
    for name, found in bidi_field_errors(instance, exclude).items():
        errors.setdefault(name, found)
    if errors:
        raise ValidationError(errors)


class Region(BusinessModel):
    """A service region (片区); ``neighbours`` drive the regional on-site targets."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    province = models.CharField("省份", max_length=30, blank=True)
    centre_lat = models.DecimalField(
        "中心纬度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    centre_lng = models.DecimalField(
        "中心经度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    neighbours = models.ManyToManyField("self", blank=True, verbose_name="相邻片区")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "片区"
        verbose_name_plural = "片区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One row per create / update / state change / archive of a business record."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        UPDATE = "update", "修改"
        TRANSITION = "transition", "状态变更"
        ARCHIVE = "archive", "归档"
        RESTORE = "restore", "恢复"
        ACTION = "action", "操作"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="对象类型")
    object_id = models.CharField("对象ID", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    verb = models.CharField("事件", max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    actor_repr = models.CharField("操作人名称", max_length=150, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    from_state = models.CharField("原状态", max_length=40, blank=True)
    to_state = models.CharField("新状态", max_length=40, blank=True)
    reason = models.TextField("原因", blank=True)
    payload = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.get_action_display()} {self.object_repr}"


class DocumentSequence(models.Model):
    """Counter behind human-readable numbers such as ``BX20261123-0001`` (per prefix and day)."""

    prefix = models.CharField(max_length=10)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="uniq_sequence_day")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d} → {self.last}"


class WorkerHeartbeat(models.Model):
    """Written by the ``core.heartbeat`` job: shows that workers run (admin health page)."""

    token = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField()
    processed_at = models.DateTimeField(default=timezone.now)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "后台任务心跳"
        verbose_name_plural = "后台任务心跳"
        ordering = ["-processed_at"]

    def __str__(self) -> str:
        return f"{self.processed_at:%Y-%m-%d %H:%M:%S} {self.worker}"


class CompanySettings(BusinessModel):
    """The company's own particulars shown to customers (the latest active row counts;
    without one, the defaults). Edited in the back office (后台配置 → 公司信息)."""

    company_name = models.CharField(
        "公司名称",
        max_length=100,
        blank=True,
        help_text="显示给客户的公司名称：二维码标签、服务报告抬头、扫码报修和错误页面",
    )
    hotline = models.CharField(
        "服务热线",
        max_length=30,
        blank=True,
        help_text="客户报修、咨询拨打的电话，如 400-820-1234；显示在扫码报修、评价和错误页面上",
    )
    logo = VerifiedImageField(
        "公司标志",
        upload_to="company/",
        blank=True,
        help_text="PNG 或 JPEG，印在服务报告单抬头；高度按 12 毫米缩放",
    )
    retention_years = models.PositiveSmallIntegerField(
        "业务记录保存年限",
        default=5,
        help_text="业务记录最后一次变更后至少保存的年数（系统从不删除业务记录）；"
        "期满的记录列入“保存期满记录”报表，可由管理员导出后按公司制度处理",
    )

    class Meta:
        verbose_name = "公司信息"
        verbose_name_plural = "公司信息"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return Said(
            "%(v0)s（服务热线 %(v2)s）",
            v0=self.company_name or "公司信息",
            v2=self.hotline or "未设置",
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from aftersales.core.company import dial_digits

        if self.hotline and len(dial_digits(self.hotline)) < 3:
            raise ValidationError({"hotline": "服务热线格式不正确（只能含数字、空格、-、+）"})
