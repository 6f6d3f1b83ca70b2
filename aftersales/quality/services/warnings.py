"""Quality warnings (SPEC §6.3): the scan that raises them and the proactive check tickets.

``scan`` counts the faults of the current month, quarter and year per product model ×
component × cause, compares each with the threshold of the model's category (else the
default one) and raises a warning for every crossing not raised before in that window. The
unique key (model, component, cause, window, start) is the guard: a second worker's insert
waits for the first and then fails, inside its own savepoint, so two workers raise one
warning. Quality and R&D (the members of the R&D and technical departments) hear of it
through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from aftersales.approvals import inputs, workflow
from aftersales.approvals.documents import users_with_roles
from aftersales.core import audit
from aftersales.core.errors import Conflict
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.customers.models import Contact
from aftersales.installed_base.models import Equipment, ProductModel
from aftersales.quality import faults as fault_source
from aftersales.quality import rules
from aftersales.quality.models import (
    ProactiveCheck,
    QualityWarning,
    WarningFault,
    WarningState,
    WarningThreshold,
)
from aftersales.quality.services import capa
from aftersales.service.models import Channel, TicketType
from aftersales.sla.models import Severity

NOTIFY_ROLES = ["quality_director", "quality_centre_director", "coordinator"]
CHECK_ROLES = frozenset({"coordinator", "quality_director"})


def installed_units(model_ids: set[int]) -> dict[int, int]:
    rows = (
        Equipment.objects.filter(model_id__in=model_ids, archived_at__isnull=True)
        .values("model_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return {r["model_id"]: int(r["units"] or 0) for r in rows}


def _thresholds(kind: str) -> dict[int | None, WarningThreshold]:
    rows = WarningThreshold.objects.filter(window=kind, archived_at__isnull=True)
    return {t.category_id: t for t in rows}


def scan(*, now: dt.datetime | None = None) -> list[QualityWarning]:
    """Raise the warnings the current windows call for; return those newly raised."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    raised: list[QualityWarning] = []
    for kind in rules.WINDOWS:
        thresholds = _thresholds(kind)
        if not thresholds:
            continue
        start, end = rules.window(kind, today)
        found = fault_source.collect(start, end)
        if not found:
            continue
        model_ids = {k[0] for k in found}
        models = ProductModel.objects.in_bulk(model_ids)
        units = installed_units(model_ids)
        for key, rows in sorted(found.items()):
            model = models[key[0]]
            th = thresholds.get(model.category_id) or thresholds.get(None)
            if th is None:
                continue
            if not rules.crossed(len(rows), units.get(model.pk, 0), th.min_count, th.min_rate):
                continue
            w = _raise(key, kind, start, end, rows, units.get(model.pk, 0), th, now)
            if w is not None:
                raised.append(w)
    return raised


def _raise(
    key: fault_source.Key,
    kind: str,
    start: dt.date,
    end: dt.date,
    rows: list[fault_source.Fault],
    units: int,
    th: WarningThreshold,
    now: dt.datetime,
) -> QualityWarning | None:
    model_id, component, cause = key
    ident = {
        "product_model_id": model_id,
        "component_code": component,
        "cause_class": cause,
        "window": kind,
        "period_start": start,
    }
    if QualityWarning.objects.filter(**ident).exists():
        return None
    try:
        with transaction.atomic():
            w = QualityWarning.objects.create(
                number=next_number("YJ", on=now),
                period_end=end,
                fault_count=len(rows),
                installed_units=units,
                threshold=th,
                threshold_text=str(th)[:100],
                raised_at=now,
                **ident,
            )
            WarningFault.objects.bulk_create(
                WarningFault(
                    warning=w,
                    equipment_id=f.equipment_id,
                    report_id=f.report_id,
                    complaint_id=f.complaint_id,
                    occurred_at=f.occurred_at,
                )
                for f in rows
            )
            audit.record(w, actor=None, action="create", after=audit.snapshot(w), at=now)
            capa.draft_from_warning(w, now=now)
            _notify_raised(w)
    except IntegrityError:  # another worker raised it first (the unique key)
        return None
    return w


def describe(w: QualityWarning) -> str:
    what = w.component_code or "整机"
    cause = "投诉" if w.cause_class == fault_source.COMPLAINT_CAUSE else w.cause_class or "未分类"
    return f"{w.product_model.code} {what}（{cause}）"


def _notify_raised(w: QualityWarning) -> None:
    from django.contrib.auth import get_user_model

    from aftersales.notifications.services import notify
    from aftersales.quality.defaults import RD_DEPARTMENTS

    people = users_with_roles(NOTIFY_ROLES)
    rd = get_user_model().objects.filter(
        is_active=True, org_kind="company", department__code__in=RD_DEPARTMENTS
    )
    people += [u for u in rd.order_by("pk") if u not in people]
    if not people:
        return
    notify(
        key=f"qwarning:{w.pk}:raised",
        recipients=people,
        subject=Said("【质量预警】%(number)s %(describe)s", number=w.number, describe=describe(w)),
        body=(
            Said(
                "%(get_window_display)s（%(period_start)s 起）故障 %(fault_count)s 次，在用 %(installed_units)s 台，达到阈值 %(threshold_text)s。请分析原因并安排同型号设备主动排查。",
                get_window_display=w.get_window_display(),
                period_start=format(w.period_start, "%Y-%m-%d"),
                fault_count=w.fault_count,
                installed_units=w.installed_units,
                threshold_text=w.threshold_text,
            )
        ),
        link=w.get_absolute_url(),
    )


def check_list(w: QualityWarning) -> Any:
    """The other active equipment of the warning's model (not among its faults), with
    site and customer, software version where known."""
    return (
        Equipment.objects.filter(model_id=w.product_model_id, archived_at__isnull=True)
        .exclude(pk__in=WarningFault.objects.filter(warning=w).values("equipment_id"))
        .select_related("site__customer", "model")
        .order_by("site__customer__name", "serial_no", "pk")
    )


def _contact(e: Equipment) -> tuple[str, str]:
    customer = e.site.customer
    contact = (
        Contact.objects.filter(customer=customer, archived_at__isnull=True)
        .order_by("-is_primary", "pk")
        .first()
    )
    for phone in (contact.mobile if contact else "", contact.phone if contact else ""):
        if phone:
            return (contact.name if contact else customer.name)[:50], phone
    return customer.name[:50], customer.phone


@dataclass
class ChecksResult:
    created: list[ProactiveCheck] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # serials without a usable phone


def _phone_ok(phone: str) -> bool:
    digits = phone.strip().replace("-", "").replace(" ", "")
    return digits.isdigit() and 7 <= len(digits) <= 13


def create_checks(
    *, actor: Any, warning: QualityWarning, now: dt.datetime | None = None
) -> ChecksResult:
    """Turn the check list into proactive check tickets (type inspection, channel 巡检发现),
    one per equipment and never a second one: equipment that has its check is skipped."""
    from aftersales.service.services import intake

    workflow.require_role(actor, CHECK_ROLES, "生成主动排查单")
    now = now or timezone.now()
    result = ChecksResult()
    with transaction.atomic():
        w = QualityWarning.objects.select_for_update().get(pk=warning.pk)
        if w.state == WarningState.CLOSED:
            raise Conflict("预警已关闭", code="closed")
        done = set(ProactiveCheck.objects.filter(warning=w).values_list("equipment_id", flat=True))
        for e in check_list(w):
            if e.pk in done:
                continue
            name, phone = _contact(e)
            if not _phone_ok(phone):
                result.skipped.append(e.serial_no)
                continue
            ticket = intake.ticket_create(
                actor=actor,
                data=intake.TicketInput(
                    description=(
                        Said(
                            "质量预警 %(number)s 主动排查：%(describe)s，请检查本设备是否存在同类隐患。",
                            number=w.number,
                            describe=describe(w),
                        )
                    )[:2000],
                    contact_name=name,
                    contact_phone=phone,
                    channel=Channel.INSPECTION,
                    type=TicketType.INSPECTION,
                    severity=Severity.LOW,
                    equipment_id=e.pk,
                    allow_duplicate=True,
                    different_fault_reason=Said("质量预警 %(number)s 主动排查", number=w.number),
                    received_at=now,
                ),
            )
            result.created.append(
                ProactiveCheck.objects.create(warning=w, equipment=e, ticket=ticket, created_at=now)
            )
        if result.created:
            before = audit.snapshot(w)
            w.state = WarningState.CHECKING
            w.checks_created_at = w.checks_created_at or now
            w.checks_created_by = w.checks_created_by or actor
            w.save(update_fields=["state", "checks_created_at", "checks_created_by", "updated_at"])
            audit.record(
                w,
                actor=actor,
                action="update",
                verb="create_checks",
                before=before,
                after=audit.snapshot(w),
                from_state=before.get("state", ""),
                to_state=w.state,
                payload={"tickets": [c.ticket.number for c in result.created]},
                at=now,
            )
    return result


CLOSE_ROLES = frozenset({"quality_director", "quality_centre_director"})


def close(
    *, actor: Any, warning: QualityWarning | int, note: str, now: dt.datetime | None = None
) -> QualityWarning:
    """The quality office closes a warning once its checks are done (or found unneeded),
    with a note; the tickets and CAPA it made carry on. Never twice."""
    now = now or timezone.now()
    workflow.require_role(actor, CLOSE_ROLES, "关闭质量预警")
    note = inputs.text(note, field="note", label="关闭说明", max_length=200)
    pk = warning.pk if isinstance(warning, QualityWarning) else int(warning)
    with transaction.atomic():
        w = QualityWarning.objects.select_for_update().get(pk=pk)
        if w.state == WarningState.CLOSED:
            raise Conflict("预警已关闭", code="closed")
        before = w.state
        w.state, w.closed_at, w.closed_by, w.close_note = WarningState.CLOSED, now, actor, note
        w.save(update_fields=["state", "closed_at", "closed_by", "close_note", "updated_at"])
        audit.record(
            w,
            actor=actor,
            action="transition",
            verb="close",
            from_state=before,
            to_state=w.state,
            reason=note,
            at=now,
        )
    return w
