"""Delivering one outbox row: claim it, send it, record the outcome — in one transaction.

Exactly once: the row is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` among the rows still
waiting (``pending`` / ``failed``), sent, and marked ``sent`` (or ``failed`` / ``dead``) in the
same transaction. A second job for the same row (a retried job, one re-deferred by the sweeper,
a second worker) finds it locked or already sent and does nothing. A worker killed mid-send
leaves no half-state behind: PostgreSQL rolls its transaction back, the row is waiting again,
and procrastinate's stalled-job recovery (``core.retry_stalled_jobs``) runs the job again. A
channel whose sink writes to this database (the local mailbox, the in-app inbox) therefore
receives every message exactly once, whatever the crash. An external server (SMTP, a group
robot) can get a message twice only if the worker dies in the instant between the server's
"accepted" and the commit; e-mails carry a ``Message-ID`` fixed per row so that mail systems
drop such a duplicate.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from aftersales.core.said import Said
from aftersales.notifications.models import (
    ROBOT_CHANNELS,
    Channel,
    ChannelConfig,
    Notification,
    Status,
)
from aftersales.notifications.webhooks import DeliveryError, send_robot_message

DELIVER_TASK = "notifications.deliver"
SWEEP_GRACE = dt.timedelta(minutes=2)
SWEEP_BATCH = 500
BACKOFF_CAP_SECONDS = 6 * 3600

# Used when a channel has no configuration row (the data migration seeds one per channel).
DEFAULT_CONFIG = {
    "enabled": True,
    "max_attempts": 5,
    "retry_base_seconds": 60,
    "timeout_seconds": 10,
}


def channel_config(channel: str) -> ChannelConfig:
    found = ChannelConfig.objects.filter(channel=channel, archived_at__isnull=True).first()
    return found or ChannelConfig(channel=channel, **DEFAULT_CONFIG)


def backoff_seconds(attempts: int, base: int) -> int:
    """Wait after the ``attempts``-th failure: base, 2·base, 4·base, … (capped at 6 h)."""
    return int(min(base * 2 ** max(0, attempts - 1), BACKOFF_CAP_SECONDS))


def absolute_link(link: str) -> str:
    """The link as a full URL for messages read outside the system (``SITE_URL`` + path);
    empty when no site address is configured or there is no link."""
    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{link}" if base and link else ""


@dataclass(frozen=True)
class Outcome:
    result: Literal["skipped", "sent", "retry", "dead"]
    retry_at: dt.datetime | None = None
    error: str = ""


def claim(notification_id: int, *, now: dt.datetime) -> Notification | None:
    """Lock the row for sending, inside the caller's transaction; ``None`` if it is not (or no
    longer) waiting to be sent, or another worker is sending it right now."""
    row = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("robot", "recipient")
        .filter(pk=notification_id, status__in=[Status.PENDING, Status.FAILED])
        .first()
    )
    if row is None:
        return None
    row.status, row.attempts, row.claimed_at = Status.SENDING, row.attempts + 1, now
    row.save(update_fields=["status", "attempts", "claimed_at"])
    return row


def message_id(row: Notification) -> str:
    """The same ``Message-ID`` for every attempt at one row (duplicates are recognisable)."""
    domain = str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2] or "localhost"
    return f"<notification.{row.pk}.{row.created_at:%Y%m%d%H%M%S}@{domain}>"


class GiveUp(DeliveryError):
    """A failure that no retry can fix (channel switched off, nothing to send to)."""


def _send_email(row: Notification, cfg: ChannelConfig) -> None:
    lines = []
    if row.recipient_name:
        lines += [Said("%(recipient_name)s，您好：", recipient_name=row.recipient_name), ""]
    lines.append(row.body)
    url = absolute_link(row.link)
    if url:
        lines += ["", Said("查看详情：%(url)s", url=url)]
    lines += ["", "—— 售后服务管理系统（系统自动发送，请勿直接回复）"]
    connection = get_connection(timeout=cfg.timeout_seconds)
    message = EmailMessage(
        row.subject,
        "\n".join(lines),
        None,
        [row.address],
        connection=connection,
        headers={"Message-ID": message_id(row)},
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # smtplib and socket errors of every kind
        raise DeliveryError(
            Said("邮件发送失败：%(__name__)s: %(exc)s", __name__=type(exc).__name__, exc=exc)
        ) from exc


def _send_robot(row: Notification, cfg: ChannelConfig) -> None:
    if row.robot is not None:
        if not row.robot.enabled or row.robot.is_archived:
            raise GiveUp(Said("群机器人“%(name)s”已停用", name=row.robot.name))
        url, secret = row.robot.url, row.robot.secret
    else:
        url, secret = row.address, ""
    send_robot_message(
        row.channel,
        url=url,
        secret=secret,
        subject=row.subject,
        body=row.body,
        link_url=absolute_link(row.link),
        names=[str(m.get("name", "")) for m in row.mentions if m.get("name")],
        mobiles=[str(m.get("mobile", "")) for m in row.mentions if m.get("mobile")],
        timeout=cfg.timeout_seconds,
        now_ms=int(time.time() * 1000),
    )


def send(row: Notification, cfg: ChannelConfig) -> None:
    """Hand the message to its channel; raise ``DeliveryError`` if it was not accepted."""
    if not cfg.enabled:
        raise GiveUp(
            Said(
                "渠道“%(get_channel_display)s”已停用", get_channel_display=row.get_channel_display()
            )
        )
    if row.channel == Channel.IN_APP:
        return  # the committed row is the message; the inbox reads it
    if row.channel == Channel.EMAIL:
        _send_email(row, cfg)
    elif row.channel in ROBOT_CHANNELS:
        _send_robot(row, cfg)
    else:
        raise GiveUp("未接入短信网关，短信未发送")


def deliver(notification_id: int, *, now: dt.datetime | None = None) -> Outcome:
    """One delivery attempt for one row: claim, send and record in one transaction."""
    with transaction.atomic():
        row = claim(notification_id, now=now or timezone.now())
        if row is None:
            return Outcome("skipped")
        cfg = channel_config(row.channel)
        try:
            send(row, cfg)
        except DeliveryError as exc:
            return _failed(row, cfg, str(exc), final=isinstance(exc, GiveUp))
        except Exception as exc:  # a bug or an unexpected library error: still a failed attempt
            return _failed(row, cfg, f"{type(exc).__name__}: {exc}", final=False)
        Notification.objects.filter(pk=row.pk).update(
            status=Status.SENT, sent_at=timezone.now(), last_error=""
        )
        return Outcome("sent")


def _failed(row: Notification, cfg: ChannelConfig, error: str, *, final: bool) -> Outcome:
    now = timezone.now()
    error = error[:2000]
    if final or row.attempts >= cfg.max_attempts:
        Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
            status=Status.DEAD, last_error=error
        )
        return Outcome("dead", error=error)
    retry_at = now + dt.timedelta(seconds=backoff_seconds(row.attempts, cfg.retry_base_seconds))
    Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.FAILED, last_error=error, next_attempt_at=retry_at
    )
    return Outcome("retry", retry_at=retry_at, error=error)


def live_job_exists() -> Exists:
    """A delivery job for the row that is still waiting or running."""
    return Exists(
        ProcrastinateJob.objects.filter(task_name=DELIVER_TASK, status__in=["todo", "doing"])
        .annotate(notification_id=KT("args__notification_id"))
        .filter(notification_id=Cast(OuterRef("pk"), output_field=CharField()))
    )


def orphaned_ids(*, now: dt.datetime, limit: int = SWEEP_BATCH) -> list[int]:
    """Rows waiting to be sent whose job was lost (no job waiting or running for them)."""
    return list(
        Notification.objects.filter(
            status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now - SWEEP_GRACE
        )
        .exclude(channel__in=[Channel.IN_APP, Channel.SMS])
        .filter(~live_job_exists())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
