"""Deadlines of document steps: set when a step starts, done when it is done, reminded
before and escalated after by a periodic job (each exactly once, rows locked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.approvals import documents, rules
from aftersales.approvals.defaults import RULE_BY_CODE
from aftersales.approvals.models import Deadline, DeadlineRule
from aftersales.core import audit
from aftersales.core.said import Said
from aftersales.notifications.services import notify_people


@transaction.atomic
def rule(code: str) -> DeadlineRule:
    """The configured rule; the SPEC default when an installation lacks the row."""
    found = DeadlineRule.objects.filter(code=code, archived_at__isnull=True).first()
    if found is not None:
        return found
    default = RULE_BY_CODE[code]
    obj, _ = DeadlineRule.objects.get_or_create(
        code=code,
        defaults={
            "label": default.label,
            "amount": default.amount,
            "unit": default.unit,
            "remind_before_minutes": default.remind_before_minutes,
            "escalate_roles": list(default.escalate_roles),
            "source": default.source,
        },
    )
    return obj


DURATION_UNITS = {rules.HOURS: "小时", rules.CALENDAR_DAYS: "天", rules.WORKING_DAYS: "个工作日"}


def duration_text(code: str) -> str:
    """The configured duration of rule ``code`` as the UI says it: 「12天」, 「48小时」,
    「5个工作日」 — so no page or message writes the number itself."""
    r = rule(code)
    return f"{r.amount_text}{DURATION_UNITS.get(r.unit, r.get_unit_display())}"


DURATION_TEMPLATES = {
    rules.WORKING_DAYS: "%(n)s个工作日",
    rules.CALENDAR_DAYS: "%(n)s天",
    rules.HOURS: "%(n)s小时",
}


def duration_said(code: str) -> str:
    """The configured duration of rule ``code`` in the reader's language (a page's text:
    「2小时」 / "2 hours")."""
    from django.utils.translation import gettext

    r = rule(code)
    return gettext(DURATION_TEMPLATES.get(r.unit, "%(n)s")) % {"n": r.amount_text}


def compute_due(code: str, start: dt.datetime) -> dt.datetime:
    """The due time of rule ``code`` started at ``start``. Working days count on the SLA
    engine's business calendar; an installation without working hours configured counts
    them as calendar days rather than making every step due at once."""
    r = rule(code)
    unit, calendar = r.unit, None
    if unit == rules.WORKING_DAYS:
        from aftersales.bizcalendar.rules import working_day_minutes
        from aftersales.bizcalendar.selectors import business_calendar

        calendar = business_calendar()
        if working_day_minutes(calendar) == 0:
            unit = rules.CALENDAR_DAYS
    return rules.due_at(start, Decimal(r.amount), unit, calendar)


def start(
    document: models.Model,
    *,
    step: str,
    rule_code: str,
    starts_at: dt.datetime,
    label: str = "",
    due_at: dt.datetime | None = None,
    owner: Any = None,
    owner_roles: Iterable[str] = (),
) -> Deadline:
    """Open (or re-open) the deadline of ``step``; ``due_at`` overrides the rule's duration
    (e.g. the delivery date the customer was promised)."""
    r = rule(rule_code)
    due = due_at or compute_due(rule_code, starts_at)
    values = {
        "document_number": documents.number(document),
        "link": documents.link(document),
        "label": label or r.label,
        "rule": r.code,
        "starts_at": starts_at,
        "due_at": due,
        "remind_at": rules.remind_at(due, starts_at, r.remind_before_minutes),
        "done_at": None,
        "cancelled_at": None,
        "reminded_at": None,
        "escalated_at": None,
        "owner": owner if getattr(owner, "pk", None) else None,
        "owner_roles": list(owner_roles),
        "escalate_roles": list(r.escalate_roles),
    }
    deadline, _ = Deadline.objects.update_or_create(
        content_type=documents.content_type(document),
        object_id=document.pk,
        step=step,
        defaults=values,
    )
    return deadline


def _open(document: models.Model, step: str) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=documents.content_type(document),
        object_id=document.pk,
        step=step,
        done_at__isnull=True,
        cancelled_at__isnull=True,
    )


def complete(document: models.Model, *, step: str, at: dt.datetime) -> int:
    return _open(document, step).update(done_at=at, updated_at=timezone.now())


def cancel(document: models.Model, *, step: str, at: dt.datetime) -> int:
    return _open(document, step).update(cancelled_at=at, updated_at=timezone.now())


def of(document: models.Model) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            content_type=documents.content_type(document), object_id=document.pk
        ).order_by("starts_at", "due_at", "id")
    )


def overdue_q(now: dt.datetime) -> Q:
    """Deadlines that are late: open past due, or done after due."""
    return Q(cancelled_at__isnull=True) & (
        Q(done_at__isnull=True, due_at__lt=now) | Q(done_at__gt=models.F("due_at"))
    )


def overdue_ids(model: type[models.Model], now: dt.datetime) -> QuerySet[Any]:
    """Ids of ``model`` documents with an open deadline past due (for the lists' filter)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(model)
    return Deadline.objects.filter(
        content_type=ct, done_at__isnull=True, cancelled_at__isnull=True, due_at__lt=now
    ).values("object_id")


def _people(deadline: Deadline, roles: Iterable[str]) -> list[Any]:
    people = documents.users_with_roles(list(roles)) if list(roles) else []
    if deadline.owner is not None and deadline.owner not in people:
        people.insert(0, deadline.owner)
    return people


def process_due(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Reminders before and escalations after the due time that have come, each once.
    Returns how many deadlines were handled. Safe with several workers (rows locked)."""
    now = now or timezone.now()
    handled = 0
    with transaction.atomic():
        rows = list(
            Deadline.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(done_at__isnull=True, cancelled_at__isnull=True)
            .filter(
                Q(remind_at__lte=now, reminded_at__isnull=True)
                | Q(due_at__lte=now, escalated_at__isnull=True)
            )
            .order_by("due_at")[:limit]
        )
        for d in rows:
            local_due = timezone.localtime(d.due_at).strftime("%m-%d %H:%M")
            if d.due_at <= now and d.escalated_at is None:
                d.escalated_at = now
                d.reminded_at = d.reminded_at or now
                notify_people(
                    f"deadline:{d.pk}:escalate",
                    _people(d, [*d.owner_roles, *d.escalate_roles]),
                    Said(
                        "【超时】%(document_number)s %(label)s",
                        document_number=d.document_number,
                        label=d.label,
                    ),
                    Said(
                        "%(document_number)s 的「%(label)s」已于 %(local_due)s 到期仍未完成，请督办。",
                        document_number=d.document_number,
                        label=d.label,
                        local_due=local_due,
                    ),
                    d.link,
                )
                audit.record(
                    d,
                    actor=None,
                    action="action",
                    verb="deadline_overdue",
                    payload={"step": d.step, "due": d.due_at},
                    at=now,
                )
            elif d.reminded_at is None:
                d.reminded_at = now
                notify_people(
                    f"deadline:{d.pk}:remind",
                    _people(d, d.owner_roles),
                    Said(
                        "【提醒】%(document_number)s %(label)s即将到期",
                        document_number=d.document_number,
                        label=d.label,
                    ),
                    Said(
                        "%(document_number)s 的「%(label)s」将于 %(local_due)s 到期，请及时处理。",
                        document_number=d.document_number,
                        label=d.label,
                        local_due=local_due,
                    ),
                    d.link,
                )
            d.save(update_fields=["reminded_at", "escalated_at", "updated_at"])
            handled += 1
    return handled
