"""A category served remotely first (远程服务, e.g. software): its waiting tickets are listed
as remote work, not planned as a trip; the ticket page ranks technicians without distance
and says so. A work order already dispatched on site is planned as a visit."""

from __future__ import annotations

import pytest

from aftersales.dispatch import services
from aftersales.dispatch.building import REMOTE_FIRST, REMOTE_FIRST_LABEL
from aftersales.dispatch.tests import world as W
from aftersales.service import ranking
from aftersales.service.services import dispatch

BUDGET = 0.5


def test_ranking_a_remote_job_ignores_distance_and_says_so(settings) -> None:  # type: ignore[no-untyped-def]
    near = ranking.CandidateFacts(1, "近", frozenset({"software"}), 1, True, 3, 8, 31.2, 121.5)
    far = ranking.CandidateFacts(2, "远", frozenset({"software"}), 1, True, 0, 8, 39.9, 116.4)
    on_site = ranking.JobFacts("software", 1, lat=31.21, lng=121.49)
    remote = ranking.JobFacts("software", 1, lat=31.21, lng=121.49, remote=True)
    assert [c.facts.name for c in ranking.rank(on_site, [near, far])] == ["近", "远"]
    ranked = ranking.rank(remote, [near, far])
    assert [c.facts.name for c in ranked] == ["远", "近"]  # fewer open jobs wins
    assert all("可远程服务，不计路程" in c.reasons for c in ranked)
    assert not any("公里" in r for c in ranked for r in c.reasons)


@pytest.mark.django_db
def test_a_remote_category_is_not_planned_as_a_trip() -> None:
    w = W.build()
    hvac = w.categories["hvac"]
    hvac.remote_service = True
    hvac.save(update_fields=["remote_service"])
    waiting = W.ticket(w, 2, severity="urgent")  # hvac, waiting for a technician
    on_site = W.ticket(w, 3, severity="urgent")  # hvac, dispatched on site already
    dispatch.dispatch(actor=w.coordinator, ticket=on_site, technician_ids=[w.tech_c.pk])
    led = W.ticket(w, 0, severity="urgent")
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    item = plan.items.get(ticket=waiting)
    assert item.technician is None and item.unassigned_reason == REMOTE_FIRST
    assert item.job_id not in {j["id"] for j in plan.problem["jobs"]}
    [row] = [u for u in plan.metrics["unassigned"] if u["ticket_id"] == waiting.pk]
    assert row["label"] == REMOTE_FIRST_LABEL
    assert plan.items.get(ticket=on_site).technician is not None
    assert plan.items.get(ticket=led).technician is not None
    # the ticket page's ranking for it: no distance, said to be remote
    ranked = dispatch.candidates(waiting)
    assert ranked and all("可远程服务，不计路程" in c.reasons for c in ranked)
    services.publish(actor=w.coordinator, plan=plan)
    assert not waiting.work_orders.exists()  # nothing dispatched on site for it
