"""The planning screen with the Django test client, and the API: who may see it, solving,
the timeline and route plot, moves (refused in Chinese without the skill), publishing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.core.models import AuditEvent
from aftersales.dispatch import services
from aftersales.dispatch.models import DispatchPlan, PlanState
from aftersales.dispatch.tests import world as W

pytestmark = pytest.mark.django_db
BUDGET = 1.0


@pytest.fixture
def w():  # type: ignore[no-untyped-def]
    return W.build()


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def auth(user: Any) -> dict[str, str]:
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def fast(w: Any) -> None:
    """The screen solves with the configured budget: keep tests quick."""
    from aftersales.dispatch.models import PlannerSettings

    PlannerSettings.objects.create(screen_budget_seconds=BUDGET)


def test_only_planners_reach_the_screen_and_the_nav_links_it(w) -> None:  # type: ignore[no-untyped-def]
    page = login(w.coordinator).get("/dispatch/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/dispatch/plan/"' in html and "智能派工" in html and "生成方案" in html
    assert login(w.tech_a).get("/dispatch/plan/").status_code == 404
    assert login(w.agent).get("/dispatch/plan/").status_code == 404
    assert 'href="/dispatch/plan/"' not in login(w.agent).get("/").content.decode()


def test_solve_show_move_and_publish_on_the_screen(w) -> None:  # type: ignore[no-untyped-def]
    fast(w)
    led = [W.ticket(w, i) for i in (0, 1)]
    hvac = W.ticket(w, 2)
    coord = login(w.coordinator)
    resp = coord.post(
        "/dispatch/plan/solve/", {"day": w.day.isoformat(), "region": str(w.region.pk)}
    )
    plan = DispatchPlan.objects.get()
    assert resp.status_code == 302 and f"plan={plan.pk}" in resp["Location"]
    html = coord.get(resp["Location"]).content.decode()
    assert html.count('data-testid="tl-row"') == 3
    assert html.count('data-testid="tl-visit"') == 3 and "午休" in html
    assert led[0].number in html and hvac.number in html
    chart = json.loads(html.split('id="plan-chart-data" type="application/json">')[1].split("<")[0])
    assert len(chart["routes"]) == 3 and all(len(r["points"]) >= 2 for r in chart["routes"])
    assert 'data-testid="kpis"' in html and "就近派工基线" in html
    # an hvac-only technician cannot take an LED job: a Chinese error for the screen
    item = plan.items.get(ticket=led[0])
    refused = coord.post(
        f"/dispatch/plan/{plan.pk}/move/",
        {"job_id": item.job_id, "technician": str(w.tech_c.pk)},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert "不具备「LED显示屏」技能" in refused.json()["message"]
    target = w.tech_b if item.technician != w.tech_b else w.tech_a
    moved = coord.post(
        f"/dispatch/plan/{plan.pk}/move/",
        {"job_id": item.job_id, "technician": str(target.pk), "index": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert moved.status_code == 200 and 'id="plan-body"' in moved.content.decode()
    assert "<h1>" not in moved.content.decode()
    item.refresh_from_db()
    assert item.technician == target and item.sequence == 0 and item.edited_by_dispatcher
    published = coord.post(f"/dispatch/plan/{plan.pk}/publish/")
    assert published.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED
    led[0].refresh_from_db()
    assert led[0].state == "dispatched"
    assert led[0].work_orders.get().technician == target
    page = coord.get(published["Location"]).content.decode()
    assert "已发布" in page and 'data-testid="replan"' in page and 'draggable="true"' not in page


def test_the_api_creates_reads_moves_and_publishes(w) -> None:  # type: ignore[no-untyped-def]
    tickets = [W.ticket(w, i) for i in (0, 2, 4)]
    c = Client()
    headers = auth(w.coordinator)
    created = c.post(
        "/api/v1/dispatch/plans",
        {"day": w.day.isoformat(), "region_id": w.region.pk, "time_budget_seconds": BUDGET},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and len(body["items"]) == 3
    assert body["metrics"]["feasible"] is True and "greedy" in body["metrics"]
    pk = body["id"]
    assert c.get(f"/api/v1/dispatch/plans/{pk}", **headers).json()["id"] == pk
    led = next(i for i in body["items"] if i["ticket_id"] == tickets[0].pk)
    refused = c.post(
        f"/api/v1/dispatch/plans/{pk}/moves",
        {"ticket_id": tickets[0].pk, "technician_id": w.tech_c.pk},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422 and refused.json()["code"] == "no_skill"
    target = w.tech_b.pk if led["technician_id"] != w.tech_b.pk else w.tech_a.pk
    moved = c.post(
        f"/api/v1/dispatch/plans/{pk}/moves",
        {"job_id": led["job_id"], "technician_id": target, "position": 0},
        content_type="application/json",
        **headers,
    )
    assert moved.status_code == 200
    item = next(i for i in moved.json()["items"] if i["job_id"] == led["job_id"])
    assert item["technician_id"] == target and item["edited_by_dispatcher"]
    published = c.post(f"/api/v1/dispatch/plans/{pk}/publish", **headers)
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert c.post(f"/api/v1/dispatch/plans/{pk}/publish", **headers).status_code == 409
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.state == "dispatched"
    assert AuditEvent.objects.filter(verb="publish", object_id=str(pk)).exists()
    # a technician neither plans nor reads plans
    tech = auth(w.tech_a)
    assert c.get(f"/api/v1/dispatch/plans/{pk}", **tech).status_code == 404
    denied = c.post(
        "/api/v1/dispatch/plans",
        {"day": w.day.isoformat()},
        content_type="application/json",
        **tech,
    )
    assert denied.status_code == 403


def test_a_big_day_is_handed_to_the_background_and_polled(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.dispatch.models import PlannerSettings

    PlannerSettings.objects.create(inline_max_jobs=1, background_budget_seconds=BUDGET)
    W.ticket(w, 0)
    W.ticket(w, 1)
    coord = login(w.coordinator)
    resp = coord.post("/dispatch/plan/solve/", {"day": w.day.isoformat()})
    plan = DispatchPlan.objects.get()
    assert plan.solving
    page = coord.get(resp["Location"]).content.decode()
    assert 'data-testid="solving"' in page and f"/dispatch/plan/{plan.pk}/body/" in page
    services.solve_pending(plan_id=plan.pk)
    body = coord.get(f"/dispatch/plan/{plan.pk}/body/").content.decode()
    assert 'data-testid="solving"' not in body and body.count('data-testid="tl-visit"') == 2
