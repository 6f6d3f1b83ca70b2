"""What each channel really does right now, and what a notification really did.

``channel_state`` reads the administrator's switch, the e-mail configuration and the robots:
configured (messages go out), console (e-mail kept in the local mailbox, nothing goes out) or
off. ``customer_notice_summary`` turns the outbox rows of one customer event into the sentence
a user is shown after the action (「通知客户：站内消息已送达；短信未发送（未接入短信网关）…」)
instead of claiming the customer was told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _

from aftersales.notifications.mailbox import BACKEND as LOCAL_MAILBOX
from aftersales.notifications.models import (
    ROBOT_CHANNELS,
    Channel,
    ChannelConfig,
    Notification,
    Status,
    WebhookRobot,
)

StateCode = Literal["configured", "console", "off"]
STATE_LABELS: dict[str, str] = {
    "configured": "已配置",
    "console": "控制台（不外发）",
    "off": "未启用",
}
CONSOLE_BACKENDS = frozenset({LOCAL_MAILBOX, "django.core.mail.backends.console.EmailBackend"})


@dataclass(frozen=True)
class ChannelState:
    code: StateCode
    text: str

    @property
    def label(self) -> str:
        return _(STATE_LABELS[self.code])


def _enabled(channel: str) -> bool:
    found = ChannelConfig.objects.filter(channel=channel, archived_at__isnull=True).first()
    return found.enabled if found is not None else True


def email_state() -> ChannelState:
    if not _enabled(Channel.EMAIL):
        return ChannelState("off", _("已停用：不发送邮件"))
    backend = str(settings.EMAIL_BACKEND)
    if backend in CONSOLE_BACKENDS:
        return ChannelState(
            "console",
            _("未配置 SMTP（EMAIL_HOST）：邮件存入“本地邮箱”并在控制台提示，不外发"),
        )
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return ChannelState(
            "configured",
            _("经 SMTP 服务器 %(host)s:%(port)s 发送")
            % {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT},
        )
    return ChannelState("configured", _("经邮件后端 %(backend)s 发送") % {"backend": backend})


def channel_state(channel: str) -> ChannelState:
    if channel == Channel.EMAIL:
        return email_state()
    if channel == Channel.SMS:
        return ChannelState("off", _("未接入短信网关：短信只记录，不发送"))
    if not _enabled(channel):
        return ChannelState("off", _("已停用"))
    if channel == Channel.IN_APP:
        return ChannelState("configured", _("事务提交即送达，在“我的通知”中查看"))
    assert channel in ROBOT_CHANNELS
    robots = WebhookRobot.objects.filter(channel=channel, enabled=True, archived_at__isnull=True)
    count = robots.count()
    if not count:
        return ChannelState("off", _("未登记启用的群机器人"))
    return ChannelState("configured", _("%(count)s 个群机器人") % {"count": count})


def _absent(channel: str, reason: str) -> str:
    """Why a channel has no row: switched off, or nothing to send to."""
    if not _enabled(channel):
        return _("%(channel)s渠道已停用") % {"channel": Channel(channel).label}
    return reason


def _email_part(rows: list[Notification], state: ChannelState) -> tuple[str, bool]:
    """The sentence for the e-mail channel, and whether the e-mail can reach the customer."""
    if not rows:
        return _absent(Channel.EMAIL, _("未发邮件（未登记邮箱）")), False
    if all(row.status == Status.MUTED for row in rows):
        return _("未发邮件（接收人已关闭此类通知的邮件）"), False
    if state.code == "console":
        return _("邮件未外发（未配置 SMTP，存入本地邮箱）"), False
    if all(row.status == "sent" for row in rows):
        return _("邮件已发送"), True
    if all(row.status == "dead" for row in rows):
        return _("邮件发送失败"), False
    return _("邮件已排队发送"), True


def latest_key(prefix: str) -> str:
    """The newest event key starting with ``prefix`` (events keyed by their time)."""
    found = (
        Notification.objects.filter(key__startswith=prefix)
        .order_by("-created_at", "-id")
        .values_list("key", flat=True)
        .first()
    )
    return found or ""


def customer_notice_summary(key: str) -> str:
    """What one customer event (the rows written under ``key``) sent or queued, per channel."""
    by_channel: dict[str, list[Notification]] = {}
    for row in Notification.objects.filter(key=key):
        by_channel.setdefault(row.channel, []).append(row)
    in_app = by_channel.get(Channel.IN_APP, [])
    email, email_reaches = _email_part(by_channel.get(Channel.EMAIL, []), email_state())
    parts = [
        _("站内消息已送达（%(count)s 个客户门户账号）") % {"count": len(in_app)}
        if in_app
        else _absent(Channel.IN_APP, _("未发站内消息（客户没有门户账号）")),
        email,
        _("短信未发送（未接入短信网关）")
        if by_channel.get(Channel.SMS)
        else _absent(Channel.SMS, _("未发短信（未登记电话）")),
    ]
    if in_app or email_reaches:
        return _("通知客户：%(parts)s") % {"parts": "；".join(parts)}
    return _("未能通知客户，请电话联系：%(parts)s") % {"parts": "；".join(parts)}


def notice_summary(key: str) -> str:
    """What one event (the rows written under ``key``) did on each channel, e.g.
    「站内消息：已发送 2；电子邮件：已发送 1、接收人已关闭此渠道 1」 — a channel a recipient
    switched off is named, not counted as sent."""
    counts: dict[str, dict[str, int]] = {}
    for channel, status in Notification.objects.filter(key=key).values_list("channel", "status"):
        if status == Status.GROUPED:
            status = Status.SENT  # folded into an unread entry: delivered all the same
        per = counts.setdefault(channel, {})
        per[status] = per.get(status, 0) + 1
    parts = []
    for channel in Channel.values:
        found = counts.get(channel)
        if found:
            done = "、".join(
                f"{_(Status(st).label)} {found[st]}" for st in Status.values if st in found
            )
            parts.append(f"{_(Channel(channel).label)}：{done}")
    return "；".join(parts) if parts else _("未发出任何通知")
