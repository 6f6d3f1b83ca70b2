"""The closing run every 15 days (001 4.5): the team leader lists the parts still owed, the
list is approved by 品质办主任 and issued to the parts group and purchasing with a grace of
at most 3 days; what has not arrived after the grace is overdue and counted against the
responsible group. ``run_if_due`` and ``enforce`` take an explicit ``now`` (the job passes
the clock, tests a controlled one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aftersales.approvals import workflow
from aftersales.approvals.services import deadlines, engine
from aftersales.core import audit
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.parts.models import (
    OUTSTANDING_STATES,
    BorrowingState,
    ClosingItem,
    ClosingRun,
    PartsRequest,
)
from aftersales.parts.services.base import notify_roles
from aftersales.parts.transitions import CLOSING_ROLES, REVIEW

PERIOD_DAYS = 15


def outstanding(now: dt.datetime) -> list[PartsRequest]:
    """Owed parts: approved but not yet in the after-sales store or shipped, and parts owed
    to finished-goods stock for a borrowed pack."""
    return list(
        PartsRequest.objects.filter(
            Q(state__in=OUTSTANDING_STATES) | Q(borrowings__state=BorrowingState.BORROWED),
            requested_at__lte=now,
        )
        .distinct()
        .select_related("customer")
        .order_by("responsible_group", "requested_at", "id")
    )


def still_owed(request: PartsRequest) -> bool:
    if request.state in OUTSTANDING_STATES:
        return True
    return request.borrowings.filter(state=BorrowingState.BORROWED).exists()


def run(*, actor: Any = None, now: dt.datetime | None = None) -> ClosingRun:
    """List the outstanding parts and submit the list for approval."""
    now = now or timezone.now()
    workflow.require_role(actor, CLOSING_ROLES, "补件收尾")
    with transaction.atomic():
        grace = deadlines.compute_due("parts.closing_grace", now)
        closing = ClosingRun.objects.create(
            number=next_number("SW", on=now),
            run_at=now,
            grace_until=grace,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        owed = outstanding(now)
        ClosingItem.objects.bulk_create(
            ClosingItem(
                run=closing,
                request=r,
                responsible_group=r.responsible_group,
                state_at_run=r.state,
                committed_date=r.committed_date,
                production_due_at=r.production_due_at,
            )
            for r in owed
        )
        audit.record(
            closing,
            actor=actor,
            action="create",
            after=audit.snapshot(closing),
            payload={"items": [r.number for r in owed]},
            at=now,
        )
        deadlines.start(
            closing,
            step="grace",
            rule_code="parts.closing_grace",
            starts_at=now,
            label="收尾宽限（3天）",
            owner_roles=["team_leader"],
        )
        workflow.move(closing, REVIEW, "submit", actor=actor, now=now)
        engine.submit(
            actor=actor,
            document=closing,
            flow_code="parts_closing",
            title=Said("欠补件 %(owed)s 单", owed=len(owed)),
            now=now,
        )
    return closing


def run_if_due(now: dt.datetime | None = None) -> ClosingRun | None:
    """The periodic run: a new closing run when the last one is 15 days old (or none)."""
    now = now or timezone.now()
    last = ClosingRun.objects.order_by("-run_at").first()
    if last is not None and now < last.run_at + dt.timedelta(days=PERIOD_DAYS):
        return None
    return run(actor=None, now=now)


def enforce(now: dt.datetime | None = None) -> int:
    """After the grace: items still owed are overdue, attributed to the responsible group;
    items that arrived are settled. Each run is judged once. Returns the overdue count."""
    now = now or timezone.now()
    overdue = 0
    with transaction.atomic():
        runs = list(
            ClosingRun.objects.select_for_update(skip_locked=True)
            .filter(grace_until__lt=now, enforced_at__isnull=True)
            .order_by("run_at")
        )
        for closing in runs:
            late: list[str] = []
            for item in closing.items.select_related("request"):
                r = item.request
                if still_owed(r):
                    item.overdue, item.overdue_at = True, now
                    item.responsible_group = r.responsible_group or item.responsible_group
                    late.append(r.number)
                else:
                    item.settled_at = r.received_at or r.shipped_at or now
                item.save(
                    update_fields=["overdue", "overdue_at", "settled_at", "responsible_group"]
                )
            closing.enforced_at = now
            closing.save(update_fields=["enforced_at", "updated_at"])
            deadlines.complete(closing, step="grace", at=now)
            audit.record(
                closing,
                actor=None,
                action="action",
                verb="closing_enforced",
                payload={"overdue": late},
                at=now,
            )
            if late:
                notify_roles(
                    f"closing:{closing.pk}:overdue",
                    ["team_leader", "quality_director"],
                    Said(
                        "【补件逾期】%(number)s %(late)s 单", number=closing.number, late=len(late)
                    ),
                    Said(
                        "收尾宽限期已过，以下补件仍未到位，计入责任部门：%(join)s",
                        join="、".join(late[:20]),
                    ),
                    closing.get_absolute_url(),
                )
            overdue += len(late)
    return overdue
