"""Writing notifications: the outbox rows and their delivery jobs, in the caller's transaction.

``notify`` is what every domain calls when something happened that people must hear about.
It inserts one outbox row per (event key, channel, addressee) with ``INSERT … ON CONFLICT DO
NOTHING`` — the same event reported twice is a silent no-op — and defers one delivery job per
new row on the same database connection and transaction: a rollback leaves neither rows nor
jobs, a commit leaves both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from aftersales.accounts.models import OrgKind, User
from aftersales.core import audit
from aftersales.core.cache import TimedCache
from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.said import Said
from aftersales.notifications import grouping, preferences
from aftersales.notifications.kinds import CUSTOMER, OTHER, classify
from aftersales.notifications.models import (
    ROBOT_CHANNELS,
    Channel,
    ChannelConfig,
    Notification,
    Status,
    WebhookRobot,
)
from aftersales.notifications.tasks import deliver

DEFAULT_CHANNELS = frozenset({Channel.IN_APP, Channel.EMAIL, *ROBOT_CHANNELS})
CUSTOMER_CHANNELS = frozenset({Channel.IN_APP, Channel.EMAIL, Channel.SMS})
MUTED_REASON = "接收人已在“通知设置”中关闭此类通知的该渠道，未发送"
NO_SMS_GATEWAY = "未接入短信网关，短信未发送（仅作记录，请电话联系）"

_WEBHOOK_HOSTS = {
    "qyapi.weixin.qq.com": Channel.WECOM,
    "oapi.dingtalk.com": Channel.DINGTALK,
    "open.feishu.cn": Channel.FEISHU,
    "open.larksuite.com": Channel.FEISHU,
}


@dataclass(frozen=True)
class Recipient:
    """An addressee who is not a user: a customer contact, a mailbox, a group webhook.

    ``webhook_channel`` (wecom / dingtalk / feishu) is inferred from the webhook's host when
    left empty.
    """

    name: str = ""
    email: str = ""
    phone: str = ""
    webhook: str = ""
    webhook_channel: str = ""


@dataclass
class _Batch:
    """The rows one call wants to write, keyed by their unique identity."""

    key: str
    subject: str
    body: str
    link: str
    payload: dict[str, Any]
    enabled: dict[str, bool]
    now: dt.datetime
    kind: str = OTHER
    group_key: str = ""
    wants: dict[int, preferences.Wants] = field(default_factory=dict)
    rows: dict[tuple[str, str], Notification] = field(default_factory=dict)

    def add(self, channel: str, recipient_key: str, **values: Any) -> Notification | None:
        if not self.enabled.get(channel, True):
            return None
        ident = (channel, recipient_key)
        if "recipient_name" in values:
            values["recipient_name"] = str(values["recipient_name"])[:100]
        if ident not in self.rows:
            self.rows[ident] = Notification(
                key=self.key,
                channel=channel,
                recipient_key=recipient_key,
                subject=self.subject,
                body=self.body,
                link=self.link,
                payload=self.payload,
                created_at=self.now,
                occurred_at=self.now,
                next_attempt_at=self.now,
                kind=self.kind,
                group_key=self.group_key if channel == Channel.IN_APP else "",
                **values,
            )
        return self.rows[ident]


def _channels(channels: Iterable[str] | None, default: frozenset[str]) -> frozenset[str]:
    if channels is None:
        return default
    chosen = frozenset(str(c) for c in channels)
    unknown = chosen - set(Channel.values)
    if unknown:
        raise ValidationFailed(
            Said("未知的通知渠道：%(join)s", join="、".join(sorted(unknown))), field="channels"
        )
    return chosen


def _phone(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value)


def webhook_channel_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return _WEBHOOK_HOSTS.get(host, "")


def _add_user(
    batch: _Batch, user: User, chosen: frozenset[str], robots: list[WebhookRobot]
) -> None:
    if not user.is_active:
        return
    name = str(user)
    wants = batch.wants.get(user.pk, preferences.DEFAULT)
    if Channel.IN_APP in chosen:
        batch.add(Channel.IN_APP, f"user:{user.pk}", recipient=user, recipient_name=name)
    if Channel.EMAIL in chosen and user.email:
        batch.add(
            Channel.EMAIL,
            f"email:{user.email.strip().lower()}",
            recipient=user,
            recipient_name=name,
            address=user.email.strip(),
            **({} if wants.email else _muted()),
        )
    if Channel.SMS in chosen and user.phone:
        if wants.sms:
            _add_sms(batch, _phone(user.phone), name=name, user=user)
        else:
            batch.add(
                Channel.SMS,
                f"phone:{_phone(user.phone)}",
                recipient=user,
                recipient_name=name,
                address=_phone(user.phone),
                **_muted(),
            )
    if user.org_kind != OrgKind.COMPANY or not wants.robot:
        return  # group robots are the company's own chats; or the user switched them off
    for robot in robots:
        if robot.channel in chosen and robot.serves(user):
            row = batch.add(
                robot.channel, f"robot:{robot.pk}", robot=robot, recipient_name=robot.name
            )
            if row is not None:
                row.mentions = [*row.mentions, {"name": name, "mobile": _phone(user.phone)}]


def _muted() -> dict[str, Any]:
    """A row recorded, not sent: the addressee switched this channel off for this kind."""
    return {"status": Status.MUTED, "last_error": MUTED_REASON}


def _add_sms(batch: _Batch, phone: str, *, name: str, user: User | None = None) -> None:
    batch.add(
        Channel.SMS,
        f"phone:{phone}",
        recipient=user,
        recipient_name=name,
        address=phone,
        status=Status.DEAD,
        last_error=NO_SMS_GATEWAY,
    )


def _add_other(batch: _Batch, r: Recipient, chosen: frozenset[str]) -> None:
    if Channel.EMAIL in chosen and r.email.strip():
        batch.add(
            Channel.EMAIL,
            f"email:{r.email.strip().lower()}",
            recipient_name=r.name,
            address=r.email.strip(),
        )
    if Channel.SMS in chosen and r.phone.strip():
        _add_sms(batch, _phone(r.phone), name=r.name)
    if r.webhook:
        kind = r.webhook_channel or webhook_channel_of(r.webhook)
        if kind not in ROBOT_CHANNELS:
            raise ValidationFailed(
                "无法识别Webhook所属平台，请注明 webhook_channel（wecom/dingtalk/feishu）",
                field="recipients",
            )
        if urlsplit(r.webhook).scheme not in {"http", "https"} or len(r.webhook) > 500:
            raise ValidationFailed(
                "Webhook地址须以 http:// 或 https:// 开头且不超过500字符", field="recipients"
            )
        if kind in chosen:
            digest = hashlib.sha256(r.webhook.encode()).hexdigest()[:40]
            batch.add(kind, f"webhook:{digest}", recipient_name=r.name, address=r.webhook)


_SWITCHES: TimedCache[dict[str, bool]] = TimedCache(ChannelConfig)


def _channel_switches() -> dict[str, bool]:
    return dict(
        ChannelConfig.objects.filter(archived_at__isnull=True).values_list("channel", "enabled")
    )


def _start(
    *,
    key: str,
    subject: str,
    body: str,
    link: str,
    payload: dict[str, Any] | None,
    kind: str = "",
) -> _Batch:
    key, subject = key.strip(), subject.strip()
    if not key or len(key) > 200:
        raise ValidationFailed("事件键不能为空且不超过200字符", field="key")
    if not subject or len(subject) > 200:
        raise ValidationFailed("通知标题不能为空且不超过200字符", field="subject")
    if not body.strip():
        raise ValidationFailed("通知内容不能为空", field="body")
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > 500):
        raise ValidationFailed("链接须为站内相对地址，如 /tickets/42/", field="link")
    enabled = _SWITCHES.get("enabled", _channel_switches)
    kind, group_key = classify(key, kind=kind)
    return _Batch(
        kind=kind,
        group_key=group_key,
        key=key,
        subject=subject,
        body=body.strip(),
        link=link,
        payload=dict(payload or {}),
        enabled=enabled,
        now=timezone.now(),
    )


def _robots(chosen: frozenset[str]) -> list[WebhookRobot]:
    wanted = chosen & ROBOT_CHANNELS
    if not wanted:
        return []
    return list(
        WebhookRobot.objects.filter(
            enabled=True, archived_at__isnull=True, channel__in=sorted(wanted)
        ).order_by("pk")
    )


_FIELDS = [f for f in Notification._meta.concrete_fields if not f.primary_key]


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """``INSERT … ON CONFLICT (key, channel, recipient_key) DO NOTHING RETURNING``: the rows
    that were new, with their ids (no second query to read them back)."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in _FIELDS)
    one = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
    params: list[Any] = []
    for row in rows:
        params += [f.get_db_prep_save(f.pre_save(row, True), connection) for f in _FIELDS]
    sql = (
        f"INSERT INTO {qn(Notification._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({qn('key')}, {qn('channel')}, {qn('recipient_key')}) DO NOTHING "
        f"RETURNING {qn('id')}, {qn('channel')}, {qn('recipient_key')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    by_ident = {(row.channel, row.recipient_key): row for row in rows}
    created = []
    for pk, channel, recipient_key in returned:
        row = by_ident[(channel, recipient_key)]
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias
        created.append(row)
    return sorted(created, key=lambda row: row.pk)


def _enqueue(batch: _Batch) -> list[Notification]:
    for row in batch.rows.values():
        if row.channel == Channel.IN_APP:
            # Committing the row delivers it: the inbox reads it. No job needed.
            row.status, row.sent_at = Status.SENT, batch.now
    # one statement, then the jobs: no savepoint needed inside the caller's transaction
    with transaction.atomic(savepoint=False):
        created = _insert_new(list(batch.rows.values()))
        grouping.fold(created, now=batch.now)
        for row in created:
            if row.status == Status.PENDING:
                deliver.defer(notification_id=row.pk)
    return created


def notify(
    *,
    key: str,
    recipients: Iterable[User | Recipient],
    subject: str,
    body: str,
    link: str = "",
    channels: Iterable[str] | None = None,
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    """Record the notification of one event for ``recipients`` and schedule its delivery.

    Call it inside the transaction that records the event. ``key`` names the event (e.g.
    ``"ticket:42:sla:response:warn"``); the same key for the same addressee and channel is
    written once, ever, so a repeated call returns only the rows it newly created.
    Default channels: in-app for users, e-mail where an address is known, and the enabled
    group robots (WeCom / DingTalk / Feishu) whose scope covers a company user — one group
    message per robot, naming the users. SMS only when asked for (recorded, not sent: no
    gateway is connected).
    """
    batch = _start(key=key, subject=subject, body=body, link=link, payload=payload)
    chosen = _channels(channels, DEFAULT_CHANNELS)
    robots = _robots(chosen)
    recipients = list(recipients)
    batch.wants = preferences.for_users(
        [r.pk for r in recipients if isinstance(r, User)], batch.kind
    )
    for r in recipients:
        if isinstance(r, User):
            _add_user(batch, r, chosen, robots)
        elif isinstance(r, Recipient):
            _add_other(batch, r, chosen)
        else:
            raise ValidationFailed(Said("无法识别的接收人：%(r)s", r=repr(r)), field="recipients")
    return _enqueue(batch)


def notify_people(key: str, people: Iterable[Any], subject: str, body: str, link: str) -> int:
    """``notify`` for a list that may hold empty slots (a ticket without a coordinator…):
    the people named, how many notices were newly written; nobody named, nothing written."""
    named = [p for p in people if p is not None]
    if not named:
        return 0
    return len(notify(key=key, recipients=named, subject=subject, body=body, link=link))


def notify_customer(
    *,
    key: str,
    customer_contact_name: str,
    phone: str,
    email: str,
    subject: str,
    body: str,
    link: str = "",
    customer: Any = None,
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    """Tell a customer about a step of its service request.

    The portal users of ``customer`` (a ``Customer`` or its id) get the in-app message; the
    contact gets an e-mail if ``email`` is given and an SMS record if ``phone`` is given (an
    SMS is recorded as ``dead`` with the reason: no SMS gateway is connected).
    """
    batch = _start(key=key, subject=subject, body=body, link=link, payload=payload, kind=CUSTOMER)
    if customer is not None:
        customer_id = getattr(customer, "pk", customer)
        portal = User.objects.filter(
            customer_id=customer_id, org_kind=OrgKind.CUSTOMER, is_active=True
        ).order_by("pk")
        for user in portal:
            _add_user(batch, user, frozenset({Channel.IN_APP}), [])
    _add_other(
        batch,
        Recipient(name=customer_contact_name, email=email or "", phone=phone or ""),
        CUSTOMER_CHANNELS,
    )
    return _enqueue(batch)


def mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's in-app messages read (idempotent)."""
    row = (
        Notification.objects.filter(pk=notification_id, recipient_id=getattr(actor, "pk", None))
        .filter(channel=Channel.IN_APP)
        .first()
    )
    if row is None:
        raise NotFound("通知不存在或无权查看")
    if row.read_at is None:
        row.read_at = timezone.now()
        Notification.objects.filter(
            Q(pk=row.pk) | Q(grouped_into=row.pk), read_at__isnull=True
        ).update(read_at=row.read_at)
    return row


def mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(
        recipient_id=getattr(actor, "pk", None), channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())


RESENDABLE = frozenset({Status.FAILED, Status.DEAD})


def requeue(*, actor: Any, notification_ids: Iterable[int]) -> int:
    """Send failed or abandoned rows again (back office). SMS rows stay as they are: there is
    no gateway to send them with. Returns how many rows were queued."""
    count = 0
    with transaction.atomic():
        rows = (
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status__in=sorted(RESENDABLE))
            .exclude(channel__in=[Channel.SMS, Channel.IN_APP])
        )
        for row in rows:
            before = {"status": row.status, "attempts": row.attempts}
            Notification.objects.filter(pk=row.pk).update(
                status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
            )
            audit.record(
                row,
                actor=actor,
                action="action",
                verb="notification_resend",
                before=before,
                after={"status": Status.PENDING, "attempts": 0},
                reason=row.last_error[:500],
            )
            deliver.defer(notification_id=row.pk)
            count += 1
    return count
