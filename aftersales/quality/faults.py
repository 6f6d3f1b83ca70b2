"""The faults the quality warning counts, per product model × component × cause: filed
service reports (the report's component and cause class) and quality complaints about a
piece of equipment that were not raised from a ticket (the ticket's report counts that
fault already; a complaint's part is its component, its cause is "投诉"). Proactive check
tickets (type inspection) are not customer faults and are not counted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from aftersales.quality.models import Complaint, ComplaintCategory, ComplaintState
from aftersales.service.models import ServiceReport, TicketType

COMPLAINT_CAUSE = "complaint"

Key = tuple[int, str, str]  # product model id, component code, cause class


@dataclass(frozen=True)
class Fault:
    equipment_id: int
    occurred_at: dt.datetime
    report_id: int | None = None
    complaint_id: int | None = None


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def collect(start: dt.date, end: dt.date, key: Key | None = None) -> dict[Key, list[Fault]]:
    """Faults in ``[start, end)`` (local days), grouped by key (only ``key``'s when given)."""
    since, until = local_midnight(start), local_midnight(end)
    out: dict[Key, list[Fault]] = defaultdict(list)
    reports = ServiceReport.objects.filter(
        filed_at__gte=since,
        filed_at__lt=until,
        archived_at__isnull=True,
        ticket__equipment__isnull=False,
    ).exclude(ticket__type=TicketType.INSPECTION)
    complaints = Complaint.objects.filter(
        category=ComplaintCategory.QUALITY_DEFECT,
        equipment__isnull=False,
        ticket__isnull=True,
        registered_at__gte=since,
        registered_at__lt=until,
        archived_at__isnull=True,
    ).exclude(state=ComplaintState.CANCELLED)
    if key is not None:
        model_id, component, cause = key
        reports = reports.filter(
            ticket__equipment__model_id=model_id, component_code=component, cause_class=cause
        )
        complaints = (
            complaints.filter(equipment__model_id=model_id, part__code=component)
            if cause == COMPLAINT_CAUSE and component
            else complaints.filter(equipment__model_id=model_id, part__isnull=True)
            if cause == COMPLAINT_CAUSE
            else complaints.none()
        )
    for pk, eq, model_id, component, cause, at in reports.values_list(
        "pk",
        "ticket__equipment_id",
        "ticket__equipment__model_id",
        "component_code",
        "cause_class",
        "filed_at",
    ).order_by("filed_at", "pk"):
        if at is not None:  # filtered on filed_at: always set
            out[(model_id, component.strip(), cause.strip())].append(Fault(eq, at, report_id=pk))
    for pk, eq, model_id, part_code, at in complaints.values_list(
        "pk", "equipment_id", "equipment__model_id", "part__code", "registered_at"
    ).order_by("registered_at", "pk"):
        out[(model_id, part_code or "", COMPLAINT_CAUSE)].append(Fault(eq, at, complaint_id=pk))
    return dict(out)
