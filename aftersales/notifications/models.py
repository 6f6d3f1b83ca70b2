"""The notification outbox, the in-app inbox that reads from it, and the channel configuration.

Every notification is one ``Notification`` row per (event key, channel, addressee), written in
the transaction that records the event. A unique constraint on that triple makes a repeated
event a no-op; the row's status, attempts and last error are the delivery record.
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.notifications.kinds import KIND_CHOICES, OTHER


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"
    FEISHU = "feishu", "飞书群机器人"


ROBOT_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK, Channel.FEISHU})


class Status(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败待重试"
    DEAD = "dead", "已放弃"
    GROUPED = "grouped", "已合并到同类未读通知"
    MUTED = "muted", "接收人已关闭此渠道"


class ChannelConfig(BusinessModel):
    """One row per channel: the administrator's switch and its delivery policy."""

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, unique=True)
    enabled = models.BooleanField("启用", default=True)
    max_attempts = models.PositiveSmallIntegerField(
        "最多尝试次数", default=5, help_text="达到次数仍失败则标记为“已放弃”"
    )
    retry_base_seconds = models.PositiveIntegerField(
        "重试间隔基数（秒）",
        default=60,
        help_text="指数退避：第 n 次失败后等待 基数 × 2^(n-1) 秒",
    )
    timeout_seconds = models.PositiveSmallIntegerField("请求超时（秒）", default=10)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        ordering = ["channel"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}（{'启用' if self.enabled else '停用'}）"

    def clean(self) -> None:
        if self.max_attempts < 1:
            raise ValidationError({"max_attempts": "至少尝试 1 次"})
        if self.timeout_seconds < 1:
            raise ValidationError({"timeout_seconds": "超时至少 1 秒"})


class WebhookRobot(BusinessModel):
    """A group robot of WeCom, DingTalk or Feishu; staff notifications go to the robots whose
    scope (department, region; empty = everyone) matches an addressee."""

    name = models.CharField("名称", max_length=50)
    channel = models.CharField(
        "渠道",
        max_length=10,
        choices=[(c.value, c.label) for c in Channel if c in ROBOT_CHANNELS],
    )
    url = models.URLField("Webhook地址", max_length=500)
    secret = models.CharField(
        "签名密钥",
        max_length=200,
        blank=True,
        help_text="钉钉“加签”密钥（SEC开头）或飞书“签名校验”密钥；企业微信群机器人无需填写",
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="限定部门",
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="限定片区"
    )
    enabled = models.BooleanField("启用", default=True)

    # The URL carries the robot's access token and the secret signs requests: keep both out
    # of the audit trail.
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "url", "secret"})

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["channel", "name"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}·{self.name}"

    def clean(self) -> None:
        if urlsplit(self.url).scheme not in {"http", "https"}:
            raise ValidationError({"url": "地址须以 http:// 或 https:// 开头"})
        if self.channel == Channel.WECOM and self.secret:
            raise ValidationError({"secret": "企业微信群机器人不支持签名，请留空"})

    def serves(self, user: object) -> bool:
        """Whether a staff user falls in this robot's scope."""
        if self.department_id and self.department_id != getattr(user, "department_id", None):
            return False
        return not (self.region_id and self.region_id != getattr(user, "region_id", None))


class Notification(models.Model):
    """One outbox row: one message to one addressee over one channel."""

    key = models.CharField("事件键", max_length=200)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name="接收用户",
    )
    recipient_name = models.CharField("接收人", max_length=100, blank=True)
    address = models.CharField(
        "地址", max_length=500, blank=True, help_text="邮箱、手机号或Webhook地址"
    )
    robot = models.ForeignKey(
        WebhookRobot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name="群机器人",
    )
    recipient_key = models.CharField("接收方标识", max_length=200)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=500, blank=True)
    payload = models.JSONField("附加数据", default=dict, blank=True)
    mentions = models.JSONField(
        "提及人员",
        default=list,
        blank=True,
        help_text="群机器人消息里点名的员工：[{name, mobile}]",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    kind = models.CharField("通知类别", max_length=30, choices=KIND_CHOICES, default=OTHER)
    group_key = models.CharField(
        "合并键", max_length=200, blank=True, help_text="同一类别、同一单据的未读站内通知合并为一条"
    )
    count = models.PositiveIntegerField("次数", default=1)
    occurred_at = models.DateTimeField("最近发生时间", default=timezone.now)
    grouped_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
        verbose_name="合并到",
    )

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知发件箱"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel", "recipient_key"], name="notification_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_name or self.recipient_key}：{self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class LocalMail(models.Model):
    """An e-mail kept in the system instead of being sent out: the local mailbox of an
    installation without an SMTP server (``aftersales.notifications.mailbox``). It is written
    in the delivery's own transaction, so each message lands here exactly once."""

    message_id = models.CharField("Message-ID", max_length=255, blank=True, db_index=True)
    to = models.CharField("收件人", max_length=1000)
    subject = models.CharField("主题", max_length=500)
    body = models.TextField("正文")
    created_at = models.DateTimeField("时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "本地邮件（未外发）"
        verbose_name_plural = "本地邮箱（未配置 SMTP 时的邮件）"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.to}：{self.subject}"


class NotificationPreference(BusinessModel):
    """One user's channels for one kind of notification (no row: the defaults). In-app
    messages are always on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notification_preferences",
        verbose_name="用户",
    )
    kind = models.CharField("通知类别", max_length=30, choices=KIND_CHOICES)
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=True)
    robot = models.BooleanField("群机器人", default=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}·{self.get_kind_display()}"
