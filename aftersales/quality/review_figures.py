"""The figures of a month's quality review, read from the records of that month (local days
of Asia/Shanghai: ``[first day 00:00, first day of the next month 00:00)``):

- complaints registered in the month (cancelled ones apart) by class, severity, complainant,
  product (the equipment's model, else the complained part) and responsible department; the
  first replies that missed their 24 h; the complaints about a person with the outcome of
  his accountability;
- repeat repairs: service reports filed in the month that repeat an earlier repair;
- CAPAs overdue at the month's end (their deadline passed and not done or cancelled by then);
- quality warnings raised in the month;
- old parts due back in the month: back on time, back late, waived, still out at the end;
  all old parts overdue at the month's end; appraisals made in the month by outcome.

JSON-ready (dates as ISO text, labels in Chinese as stored); the review keeps them as they
were when it was closed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from aftersales.approvals.models import Deadline
from aftersales.quality import rules
from aftersales.quality.faults import local_midnight
from aftersales.quality.models import (
    Complainant,
    Complaint,
    ComplaintCategory,
    ComplaintFinding,
    ComplaintState,
    CorrectiveAction,
    Disposition,
    OldPart,
    PersonIssue,
    QualityWarning,
    WindowKind,
)
from aftersales.service.models import ServiceReport
from aftersales.staff.models import AssessmentFact, FactKind

NOT_SET = "未认定"


def bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the month as aware moments of the local time zone."""
    first, nxt = rules.window("month", month)
    return local_midnight(first), local_midnight(nxt)


def _rows(counts: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Every known code in the choices' order (zeros included), then unknown codes."""
    out = [{"code": c, "label": lab, "count": counts.get(c, 0)} for c, lab in labels.items()]
    out += [
        {"code": c, "label": c or NOT_SET, "count": n}
        for c, n in sorted(counts.items())
        if c not in labels
    ]
    return out


def month_complaints(month: dt.date) -> QuerySet[Complaint]:
    """The complaints registered in the month (cancelled ones included)."""
    start, end = bounds(month)
    return Complaint.objects.filter(
        registered_at__gte=start, registered_at__lt=end, archived_at__isnull=True
    )


def _deadlines(model: type[Any], step: str) -> QuerySet[Deadline]:
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(model), step=step)


def _open_at(end: dt.datetime) -> Q:
    """Neither done nor cancelled before ``end``."""
    return (Q(done_at__isnull=True) | Q(done_at__gte=end)) & (
        Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=end)
    )


def _complaints(month: dt.date, end: dt.datetime) -> dict[str, Any]:
    every = month_complaints(month)
    qs = every.exclude(state=ComplaintState.CANCELLED)
    by = {
        name: dict(qs.values_list(name).annotate(n=Count("id")).order_by())
        for name in ("category", "severity", "complainant")
    }
    severity = dict(ComplaintFinding.choices)
    products: Counter[tuple[str, str]] = Counter()
    for model_code, model_name, part_code, part_name in qs.values_list(
        "equipment__model__code", "equipment__model__name", "part__code", "part__name"
    ):
        if model_code:
            products[(model_code, model_name)] += 1
        elif part_code:
            products[(part_code, part_name)] += 1
        else:
            products[("", NOT_SET)] += 1
    departments = Counter(
        qs.values_list("responsible_department__code", "responsible_department__name")
    )
    reply = _deadlines(Complaint, "reply").filter(object_id__in=qs.values("pk"))
    late = reply.filter(Q(done_at__gt=F("due_at")) | (Q(due_at__lt=end) & _open_at(end))).count()
    facts = {
        f.source_id: f
        for f in AssessmentFact.objects.filter(
            kind=FactKind.PERSON_COMPLAINT,
            source_type=ContentType.objects.get_for_model(Complaint),
            source_id__in=[str(pk) for pk in qs.values_list("pk", flat=True)],
        )
    }
    people = []
    for c in (
        qs.exclude(person_issue="").select_related("staff_member").order_by("registered_at", "id")
    ):
        fact = facts.get(str(c.pk))
        people.append(
            {
                "complaint": c.number,
                "person": str(c.staff_member) if c.staff_member else "",
                "issue": dict(PersonIssue.choices).get(c.person_issue, c.person_issue),
                "outcome": fact.get_outcome_display() if fact else "",
            }
        )
    return {
        "total": qs.count(),
        "cancelled": every.filter(state=ComplaintState.CANCELLED).count(),
        "closed": qs.filter(closed_at__isnull=False, closed_at__lt=end).count(),
        "reply_late": late,
        "by_category": _rows(by["category"], dict(ComplaintCategory.choices)),
        "by_severity": _rows(by["severity"], {**severity, "": "未调查"}),
        "by_complainant": _rows(by["complainant"], dict(Complainant.choices)),
        "by_product": [
            {"code": code, "label": name, "count": n}
            for (code, name), n in sorted(products.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_department": [
            {"code": code or "", "label": name or NOT_SET, "count": n}
            for (code, name), n in sorted(
                departments.items(), key=lambda kv: (-kv[1], kv[0][0] or "")
            )
        ],
        "person_complaints": people,
    }


def _repeats(start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    reports = (
        ServiceReport.objects.filter(filed_at__gte=start, filed_at__lt=end, repeat_of__isnull=False)
        .select_related("ticket__equipment__model", "repeat_of")
        .order_by("filed_at", "id")
    )
    out = []
    for r in reports:
        eq = r.ticket.equipment
        out.append(
            {
                "ticket": r.ticket.number,
                "repeat_of": r.repeat_of.number if r.repeat_of else "",
                "serial_no": eq.serial_no if eq else "",
                "product_model": eq.model.code if eq and eq.model_id else "",
                "filed_at": timezone.localtime(r.filed_at).isoformat() if r.filed_at else "",
            }
        )
    return out


def _overdue_capas(end: dt.datetime) -> list[dict[str, Any]]:
    rows = _deadlines(CorrectiveAction, "implement").filter(_open_at(end), due_at__lt=end)
    by_pk = {d.object_id: d for d in rows}
    capas = CorrectiveAction.objects.filter(
        pk__in=list(by_pk), archived_at__isnull=True
    ).select_related("owner_department")
    return [
        {
            "number": a.number,
            "title": a.title,
            "due": timezone.localtime(by_pk[a.pk].due_at).date().isoformat(),
            "department": a.owner_department.name if a.owner_department else "",
        }
        for a in sorted(capas, key=lambda a: (by_pk[a.pk].due_at, a.number))
    ]


def _warnings(start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    windows = dict(WindowKind.choices)
    return [
        {
            "number": w.number,
            "product_model": w.product_model.code,
            "component": w.component_code,
            "cause": w.cause_class,
            "window": windows.get(w.window, w.window),
            "fault_count": w.fault_count,
        }
        for w in QualityWarning.objects.filter(
            raised_at__gte=start, raised_at__lt=end, archived_at__isnull=True
        )
        .select_related("product_model")
        .order_by("raised_at", "id")
    ]


def _old_parts(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    returns = _deadlines(OldPart, "return")
    due = returns.filter(due_at__gte=start, due_at__lt=end)
    appraised = dict(
        OldPart.objects.filter(appraised_at__gte=start, appraised_at__lt=end)
        .values_list("disposition")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "due": due.count(),
        "back_on_time": due.filter(done_at__isnull=False, done_at__lte=F("due_at")).count(),
        "back_late": due.filter(done_at__gt=F("due_at"), done_at__lt=end).count(),
        "waived": due.filter(cancelled_at__lt=end).count(),
        "out_at_month_end": due.filter(_open_at(end)).count(),
        "overdue_at_month_end": returns.filter(_open_at(end), due_at__lt=end).count(),
        "appraised": _rows(appraised, dict(Disposition.choices)),
    }


def figures(month: dt.date) -> dict[str, Any]:
    first = month.replace(day=1)
    start, end = bounds(first)
    return {
        "month": f"{first:%Y-%m}",
        "complaints": _complaints(first, end),
        "repeat_repairs": _repeats(start, end),
        "overdue_capas": _overdue_capas(end),
        "warnings": _warnings(start, end),
        "old_parts": _old_parts(start, end),
    }
