"""Plan input: bad input is refused with a Chinese message and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.core.errors import DomainError, NotFound, PermissionDenied
from aftersales.core.models import AuditEvent
from aftersales.maintenance.models import MaintenancePlan, MaintenanceVisit
from aftersales.maintenance.services import plans
from aftersales.maintenance.tests.world import TODAY, make_plan, plan_input


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": dt.date(2026, 9, 1), "end_date": dt.date(2026, 8, 1)}, "end_date"),
        ({"interval": 0}, "interval"),
        ({"checklist_code": "no-such-list"}, "checklist_code"),
        ({"recurrence": "daily"}, "recurrence"),
        ({"kind": "nonsense"}, "kind"),
        ({"min_engineers": 0}, "min_engineers"),
        ({"lead_days": 10, "release_days": 20}, "release_days"),
        ({"contact_phone": "abc"}, "contact_phone"),
        ({"name": "  "}, "name"),
        ({"visit_from": dt.time(10, 0), "visit_until": dt.time(9, 0)}, "visit_until"),
        ({"visit_from": dt.time(10, 0)}, "visit_until"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(w, changes, field) -> None:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        make_plan(w, **changes)
    assert err.value.field == field
    assert _chinese(err.value.message)
    assert not MaintenancePlan.objects.exists()
    assert not MaintenanceVisit.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_edit_with_bad_input_changes_nothing(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w)
    visits = list(MaintenanceVisit.objects.values_list("pk", "due_date", "state"))
    with pytest.raises(DomainError):
        plans.plan_update(
            actor=w.coordinator, plan=plan, data=plan_input(w, interval=0), today=TODAY
        )
    plan.refresh_from_db()
    assert plan.interval == 1 and plan.revision == 1
    assert list(MaintenanceVisit.objects.values_list("pk", "due_date", "state")) == visits


def test_a_site_or_equipment_of_another_customer_is_refused(w) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as err:
        make_plan(w, site_id=w.s2.pk)
    assert err.value.field == "site_id"
    with pytest.raises(DomainError) as err:
        make_plan(w, equipment_ids=[w.e2.pk])
    assert err.value.field == "equipment_ids"


def test_only_planners_plan(w) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        plans.plan_create(actor=w.tech, data=plan_input(w), today=TODAY)
    with pytest.raises((PermissionDenied, NotFound)):
        plans.plan_create(actor=w.cust1, data=plan_input(w), today=TODAY)


def test_the_contact_defaults_to_the_customer_primary_contact_and_the_plan_is_audited(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w)
    assert (plan.contact_name, plan.contact_phone) == ("王经理", "13700137000")
    assert plan.number.startswith("XJ")
    assert AuditEvent.objects.filter(verb="plan_create", object_id=str(plan.pk)).exists()
    plans.plan_update(actor=w.coordinator, plan=plan, data=plan_input(w, interval=2), today=TODAY)
    row = AuditEvent.objects.get(verb="plan_update", object_id=str(plan.pk))
    assert row.before["interval"] == 1 and row.after["interval"] == 2
