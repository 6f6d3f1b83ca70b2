"""Each user's channels per kind of notification (in-app is always on).

No row means the defaults — as before preferences existed: e-mail and group robots on, SMS
when the event asks for it. ``channels_of`` is what ``services.notify`` honours;
``save_preferences`` is the one way to change them (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from aftersales.core import audit
from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said
from aftersales.notifications.kinds import KIND_BY_CODE, KINDS
from aftersales.notifications.models import NotificationPreference

SWITCHES = ("email", "sms", "robot")


@dataclass(frozen=True)
class Wants:
    email: bool = True
    sms: bool = True
    robot: bool = True


DEFAULT = Wants()


def for_users(user_ids: list[int], kind: str) -> dict[int, Wants]:
    """The saved choices of these users for one kind, in one query (absent: ``DEFAULT``)."""
    if not user_ids:
        return {}
    rows = NotificationPreference.objects.filter(
        user_id__in=user_ids, kind=kind, archived_at__isnull=True
    ).values_list("user_id", *SWITCHES)
    return {user_id: Wants(*switches) for user_id, *switches in rows}


def channels_of(user: Any, kind: str) -> Wants:
    if getattr(user, "pk", None) is None:
        return DEFAULT
    return for_users([user.pk], kind).get(user.pk, DEFAULT)


def table(user: Any) -> list[tuple[str, Any, Wants]]:
    """Every kind with the user's choice: ``(code, label, wants)``."""
    saved = {
        p.kind: Wants(p.email, p.sms, p.robot)
        for p in NotificationPreference.objects.filter(user_id=user.pk, archived_at__isnull=True)
    }
    return [(k.code, k.label, saved.get(k.code, DEFAULT)) for k in KINDS]


def save_preferences(*, actor: Any, choices: dict[str, Wants]) -> int:
    """Store the actor's own choices (kind → channels); returns how many kinds changed."""
    unknown = set(choices) - set(KIND_BY_CODE)
    if unknown:
        raise ValidationFailed(
            Said("未知的通知类别：%(join)s", join="、".join(sorted(unknown))), field="kind"
        )
    changed = 0
    with transaction.atomic():
        current = {code: wants for code, _, wants in table(actor)}
        for kind, wants in choices.items():
            before = current[kind]
            if wants == before:
                continue
            pref, _ = NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults=dict(zip(SWITCHES, _values(wants), strict=True))
            )
            audit.record(
                pref,
                actor=actor,
                action="update",
                verb="notification_preferences",
                before=dict(zip(SWITCHES, _values(before), strict=True)),
                after=dict(zip(SWITCHES, _values(wants), strict=True)),
            )
            changed += 1
    return changed


def _values(wants: Wants) -> tuple[bool, bool, bool]:
    return wants.email, wants.sms, wants.robot
