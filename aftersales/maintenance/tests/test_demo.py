"""The demo loader of maintenance: plans, a done inspection with its failed item's ticket,
visits in several states; a second load adds nothing."""

from __future__ import annotations

from aftersales.maintenance.demo import load_maintenance
from aftersales.maintenance.models import InspectionResult, MaintenancePlan, MaintenanceVisit
from aftersales.maintenance.tests.world import TODAY


def test_the_demo_has_done_inspections_with_failed_items_and_loads_once(w) -> None:  # type: ignore[no-untyped-def]
    users = {"coordinator": w.coordinator}
    assert load_maintenance(users=users, today=TODAY) >= 1
    assert MaintenancePlan.objects.filter(contract=w.k1).exists()
    done = MaintenanceVisit.objects.filter(state="done")
    assert done.exists()
    failed = InspectionResult.objects.filter(visit__in=done, outcome="fail")
    assert failed.exists() and all(r.follow_up_id for r in failed)
    assert done.first().co_engineers.count() == 1  # the contract's plan needs two engineers
    crew = MaintenancePlan.objects.get(min_engineers=2)
    assert crew.skill_id == w.hvac.pk and crew.visit_from is not None
    # this month's visits in every state, one cancelled by hand with its reason
    states = set(MaintenanceVisit.objects.values_list("state", flat=True))
    assert {"done", "cancelled"} <= states  # (one contract here: the full demo has all)
    cancelled = MaintenanceVisit.objects.get(state="cancelled")
    assert cancelled.cancel_reason == "manual"
    # every done inspection finished its ticket through the service flow
    assert {v.ticket.state for v in done} == {"resolved"}
    before = MaintenanceVisit.objects.count()
    assert load_maintenance(users=users, today=TODAY) == 0
    assert MaintenanceVisit.objects.count() == before
