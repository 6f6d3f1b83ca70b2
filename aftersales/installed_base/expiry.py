"""Telling sales that a customer's warranty is about to end (`000` §二(二)4(4): 严格记录采购方的
保修期，对于已经超过保修期的采购方，及时通知销售部进行后期服务).

Once a day every unit whose warranty ends within the administrator's period (时限规则
``installed_base.warranty_notice``, default 30 days) is announced to the 销售 role through
the outbox. The notice key carries the unit and its end date, so each unit is announced
once however often the job runs or on how many workers — and again only if its warranty is
extended to a new end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals.documents import users_with_roles
from aftersales.approvals.services.deadlines import compute_due
from aftersales.core.said import Said
from aftersales.installed_base.models import Equipment
from aftersales.installed_base.selectors import warranty_status
from aftersales.notifications.models import Notification
from aftersales.notifications.services import notify_people

NOTICE_RULE = "installed_base.warranty_notice"
NOTICE_ROLES = ("sales",)


def notice_horizon(today: dt.date) -> dt.date:
    """The last warranty end announced today."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0)))
    return timezone.localdate(compute_due(NOTICE_RULE, start))


@transaction.atomic
def announce_expiring(today: dt.date | None = None) -> int:
    """Announce every active unit whose warranty ends between today and the horizon; returns
    how many units were newly announced."""
    today = today or timezone.localdate()
    horizon = notice_horizon(today)
    people = users_with_roles(NOTICE_ROLES)
    if not people:
        return 0
    announced = 0
    units = Equipment.objects.filter(archived_at__isnull=True).select_related(
        "model__warranty_policy", "site__customer"
    )
    for unit in units.iterator(chunk_size=500):
        end = warranty_status(unit, today).end
        if end is None or not today <= end <= horizon:
            continue
        customer = unit.site.customer if unit.site_id else None
        sent = notify_people(
            f"equipment:{unit.pk}:warranty_expiry:{end:%Y%m%d}",
            people,
            Said("保修即将到期：%(v1)s %(serial_no)s", v1=customer or "", serial_no=unit.serial_no),
            Said(
                "客户「%(v1)s」的设备 %(model)s 出厂编号 %(serial_no)s 保修期至 %(end)s（还有 %(days)s 天）。请跟进保外服务或续保。",
                v1=customer or "—",
                model=unit.model,
                serial_no=unit.serial_no,
                end=format(end, "%Y-%m-%d"),
                days=(end - today).days,
            ),
            f"/equipment/{unit.pk}/",
        )
        announced += 1 if sent else 0
    return announced


def announced_units(user: Any, today: dt.date | None = None) -> list[int]:
    """The units announced to ``user`` as ending their warranty whose announced end is still
    ahead (today included): what the 销售 workbench counts and the equipment list shows with
    ``?warranty=expiring``. Read from the user's own notices (an indexed lookup), not by
    computing every unit's warranty again."""
    today = today or timezone.localdate()
    keys = (
        Notification.objects.filter(recipient=user, key__startswith="equipment:")
        .filter(key__contains=":warranty_expiry:")
        .values_list("key", flat=True)
        .distinct()
    )
    ids: set[int] = set()
    for key in keys:
        parts = key.split(":")
        if len(parts) != 4 or not parts[1].isdigit():
            continue
        try:
            end = dt.datetime.strptime(parts[3], "%Y%m%d").date()
        except ValueError:
            continue
        if end >= today:
            ids.add(int(parts[1]))
    return sorted(ids)
