"""The further engineers of a crew visit (巡检至少 2 人) in a published plan: who they are, and
that each of them sees the visit (its page and checklist) like the lead who holds the work
order."""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def _companion_items(technician: Any = None) -> Any:
    from aftersales.dispatch.models import PlanItem, PlanState

    items = PlanItem.objects.filter(plan__state=PlanState.PUBLISHED, job_id__contains="+")
    return items.filter(technician=technician) if technician is not None else items


def planned_crew(ticket_id: int) -> list[int]:
    """The user ids of the further engineers the published plans put on the ticket."""
    return list(
        _companion_items()
        .filter(ticket_id=ticket_id, technician__isnull=False)
        .values_list("technician_id", flat=True)
        .distinct()
    )


def register() -> None:
    from aftersales.core.visibility import register_technician_scope

    register_technician_scope(
        "maintenance.maintenancevisit",
        lambda u: Q(ticket_id__in=_companion_items(u).values("ticket_id")),
    )
