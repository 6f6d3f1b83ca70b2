"""Back office: the outbox (filters, re-send), channel switches and group robots."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from aftersales.core.admin import BusinessAdmin
from aftersales.core.said import Said
from aftersales.notifications import services
from aftersales.notifications.channels import channel_state
from aftersales.notifications.delivery import channel_config
from aftersales.notifications.models import ChannelConfig, LocalMail, Notification, WebhookRobot
from aftersales.notifications.webhooks import DeliveryError, send_robot_message


def _mask(url: str) -> str:
    """Show where a webhook points without its token."""
    head, _, _ = url.partition("?")
    return head if len(head) <= 60 else head[:57] + "…"


class RecordAdmin(admin.ModelAdmin):
    """A record written by the system: shown, never added, edited or deleted by hand."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    list_display = [
        "created_at",
        "channel",
        "recipient_name",
        "subject",
        "kind",
        "count",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind", "created_at"]
    search_fields = ["key", "subject", "recipient_name", "address"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "robot"]
    actions = ["resend"]

    @admin.action(description="重新发送所选（失败或已放弃的）通知", permissions=["change"])
    def resend(self, request: HttpRequest, queryset: models.QuerySet[Notification]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = services.requeue(actor=request.user, notification_ids=ids)
        skipped = len(ids) - count
        messages.success(request, Said("已重新排队 %(count)s 条通知", count=count))
        if skipped:
            messages.warning(
                request,
                Said(
                    "%(skipped)s 条未处理：只有“失败待重试”或“已放弃”的邮件和群机器人通知可以重新发送",
                    skipped=skipped,
                ),
            )


@admin.register(LocalMail)
class LocalMailAdmin(RecordAdmin):
    """Read the e-mails an installation without SMTP kept instead of sending."""

    list_display = ["created_at", "to", "subject"]
    search_fields = ["to", "subject", "message_id"]
    date_hierarchy = "created_at"


@admin.register(ChannelConfig)
class ChannelConfigAdmin(BusinessAdmin):
    list_display = [
        "channel",
        "enabled",
        "current_state",
        "max_attempts",
        "retry_base_seconds",
        "timeout_seconds",
        "note",
    ]
    list_editable = ["enabled"]
    actions: Any = ()  # one row per channel: switched off, never archived

    @admin.display(description="当前状态")
    def current_state(self, obj: ChannelConfig) -> str:
        state = channel_state(obj.channel)
        return f"{state.label}：{state.text}"


class WebhookRobotForm(forms.ModelForm):
    url = forms.URLField(label="Webhook地址", max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookRobot
        fields = ["name", "channel", "url", "secret", "department", "region", "enabled"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}


@admin.register(WebhookRobot)
class WebhookRobotAdmin(BusinessAdmin):
    form = WebhookRobotForm
    list_display = ["name", "channel", "webhook", "department", "region", "enabled"]
    list_filter = ["channel", "enabled", "department", "region"]
    search_fields = ["name"]
    actions = [*BusinessAdmin.actions, "send_test"]

    @admin.display(description="Webhook地址")
    def webhook(self, obj: WebhookRobot) -> str:
        return _mask(obj.url)

    @admin.action(description="向所选群机器人发送测试消息")
    def send_test(self, request: HttpRequest, queryset: models.QuerySet[WebhookRobot]) -> None:
        for robot in queryset:
            try:
                send_robot_message(
                    robot.channel,
                    url=robot.url,
                    secret=robot.secret,
                    subject="售后服务管理系统测试消息",
                    body=Said(
                        "这是一条测试消息，发送时间 %(localtime)s。",
                        localtime=format(timezone.localtime(), "%Y-%m-%d %H:%M"),
                    ),
                    link_url="",
                    names=[],
                    mobiles=[],
                    timeout=channel_config(robot.channel).timeout_seconds,
                    now_ms=int(time.time() * 1000),
                )
            except DeliveryError as exc:
                messages.error(request, Said("%(robot)s：发送失败，%(exc)s", robot=robot, exc=exc))
            else:
                messages.success(request, Said("%(robot)s：发送成功", robot=robot))
