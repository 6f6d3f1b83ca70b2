"""The suggestions where the work happens (registration form, ticket and technician pages),
「解决了」/「不相关」 feedback used in the ranking, and 「保存为案例」 from a resolved ticket's
report (pre-filled, linked to its source, a draft until an editor publishes it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.knowledge.models import Case, Feedback, ReviewState
from aftersales.knowledge.tests.web_cases import led_cases
from aftersales.service.services import dispatch, lifecycle
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    world["cases"] = led_cases(world)
    return world


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def suggested(html: str, cases: dict[str, Case]) -> list[str]:
    """The names of ``cases`` in the order the panel lists them."""
    at = {name: html.find(f'data-case-id="{c.pk}"') for name, c in cases.items()}
    return [name for name, pos in sorted(at.items(), key=lambda x: x[1]) if pos >= 0]


def test_the_registration_form_asks_for_suggestions_while_typing(world) -> None:  # type: ignore[no-untyped-def]
    agent = client(world["agent"])
    form = agent.get("/service/tickets/new/").content.decode()
    assert 'hx-get="/kb/suggest/"' in form and "delay:400ms" in form
    resp = agent.get(
        "/kb/suggest/",
        {"description": "有一块一块的黑的，像缺了块砖", "equipment_id": world["e1"].pk},
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert suggested(html, world["cases"])[0] == "module"
    assert "模组排线接触不良" in html and "重新插拔排线" in html  # cause and solution
    assert html.count('data-testid="kb-suggestion"') <= 5
    assert (
        "没有相似的案例" in agent.get("/kb/suggest/", {"description": "门禁刷卡"}).content.decode()
    )


def test_not_relevant_for_a_ticket_moves_the_case_down_solved_is_counted(world) -> None:  # type: ignore[no-untyped-def]
    tk = w.ticket(world, description="屏幕一块不亮，黑了一片")
    agent = client(world["agent"])
    page = agent.get(f"/service/tickets/{tk.pk}/").content.decode()
    assert f"ticket_id={tk.pk}" in page and 'id="kb-panel"' in page
    url = "/kb/suggest/"
    before = suggested(
        agent.get(url, {"text": tk.description, "ticket_id": tk.pk}).content.decode(),
        world["cases"],
    )
    first = world["cases"][before[0]]
    resp = agent.post(
        f"/kb/cases/{first.pk}/rate/",
        {"verdict": "not_relevant", "ticket_id": tk.pk, "query": tk.description},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200 and "不相关" in resp.content.decode()
    after = suggested(
        agent.get(url, {"text": tk.description, "ticket_id": tk.pk}).content.decode(),
        world["cases"],
    )
    assert after[0] != before[0] and before[0] in after
    second = world["cases"][after[0]]
    agent.post(f"/kb/cases/{second.pk}/rate/", {"verdict": "solved", "ticket_id": tk.pk})
    second.refresh_from_db()
    assert second.solved_count == 1
    assert Feedback.objects.filter(ticket=tk).count() == 2
    # the technician's page shows the same panel
    wo = w.on_site(world, tk)
    job = client(world["tech"]).get(f"/service/my-jobs/{wo.pk}/").content.decode()
    assert 'id="kb-panel"' in job and f"ticket_id={tk.pk}" in job


def test_customers_and_dealers_get_only_public_suggestions(world) -> None:  # type: ignore[no-untyped-def]
    html = client(world["dealer1"]).get("/kb/suggest/", {"text": "模组黑屏"}).content.decode()
    assert 'data-testid="kb-suggestion"' not in html
    resp = client(world["cust1"]).get(f"/kb/cases/{world['cases']['module'].pk}/")
    assert resp.status_code == 404


def test_save_as_case_from_a_resolved_tickets_report(world) -> None:  # type: ignore[no-untyped-def]
    tk = w.ticket(world)
    wo = w.on_site(world, tk)
    dispatch.start_work(actor=world["tech"], ticket=tk)
    report = w.filed_report(world, wo)
    tech = client(world["tech"])
    url = f"/kb/from-report/{report.pk}/"
    # not yet resolved: the form says why it cannot be saved
    refused = tech.post(url, {"category_id": world["led"].pk, "title": "x", "phenomenon": "y"})
    assert (
        "只有已解决的报修单" in refused.content.decode()
        and not Case.objects.filter(source_report=report).exists()
    )
    lifecycle.resolve(actor=world["tech"], ticket=tk)
    assert (
        f'href="{url}"' in client(world["agent"]).get(f"/service/tickets/{tk.pk}/").content.decode()
    )
    form = tech.get(url).content.decode()
    assert "模组驱动芯片损坏" in form and "更换P3模组一块，测试正常" in form and "模组故障" in form
    resp = tech.post(
        url,
        {
            "category_id": world["led"].pk,
            "title": "P3模组黑屏",
            "phenomenon": "左下角模组黑屏",
            "cause": "模组驱动芯片损坏",
            "solution": "更换P3模组一块，测试正常",
        },
    )
    case = Case.objects.get(source_report=report)
    assert resp.status_code == 302 and resp["Location"] == f"/kb/cases/{case.pk}/"
    assert case.source_ticket == tk and case.state == ReviewState.DRAFT
    assert case.product_model == world["e1"].model and case.author == world["tech"]
    # an editor reviews and publishes it from the case page
    boss = client(world["manager"])
    page = boss.get(f"/kb/cases/{case.pk}/").content.decode()
    assert tk.number in page and 'data-action="review"' in page
    boss.post(f"/kb/cases/{case.pk}/move/review/")
    boss.post(f"/kb/cases/{case.pk}/move/publish/")
    case.refresh_from_db()
    assert case.state == ReviewState.PUBLISHED
    assert client(world["cust1"]).get(url).status_code == 404
