"""Missed and late visits: not done by the due date → overdue (once), the coordinator told,
and a staff assessment fact (漏检/逾期巡检) recorded for the person responsible."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.said import Said
from aftersales.maintenance.models import OPEN_VISIT_STATES, MaintenanceVisit
from aftersales.maintenance.services.inspections import lead_technician
from aftersales.notifications.services import notify
from aftersales.staff.models import FactKind
from aftersales.staff.services import record_fact


def mark_overdue(*, today: dt.date, now: dt.datetime | None = None) -> int:
    at = now or timezone.now()
    pks = list(
        MaintenanceVisit.objects.filter(
            state__in=OPEN_VISIT_STATES, due_date__lt=today, overdue_at__isnull=True
        ).values_list("pk", flat=True)
    )
    marked = 0
    for pk in pks:
        with transaction.atomic():
            v = (
                MaintenanceVisit.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("plan__coordinator", "ticket")
                .filter(pk=pk, overdue_at__isnull=True, state__in=OPEN_VISIT_STATES)
                .first()
            )
            if v is None:
                continue
            v.overdue_at = at
            v.save(update_fields=["overdue_at", "updated_at"])
            person = lead_technician(v) or v.plan.coordinator
            audit.record(
                v,
                actor=None,
                action="action",
                verb="inspection_overdue",
                payload={"due_date": v.due_date, "person": getattr(person, "pk", None)},
                at=at,
            )
            if person is not None:
                record_fact(
                    actor=None,
                    person=person,
                    kind=FactKind.MISSED_INSPECTION,
                    source=v,
                    occurred_at=at,
                    details={"due_date": v.due_date.isoformat(), "plan": v.plan.number},
                )
            if v.plan.coordinator is not None:
                notify(
                    key=f"mvisit:{v.pk}:overdue",
                    recipients=[v.plan.coordinator],
                    subject=Said("巡检逾期：%(name)s", name=v.plan.name),
                    body=(
                        Said(
                            "计划 %(number)s 应于 %(due_date)s 完成的巡检尚未完成（%(get_state_display)s），请督办。",
                            number=v.plan.number,
                            due_date=format(v.due_date, "%Y-%m-%d"),
                            get_state_display=v.get_state_display(),
                        )
                    ),
                    link=f"/maintenance/visits/{v.pk}/",
                )
            marked += 1
    return marked
