"""Each role's workbench in real headless Chromium, on a desktop and on a phone: its panels
show, nothing overflows sideways on the phone, a figure opens its list, a dealer and a
customer see only their organisation's figures, and a panel follows new data by itself
(htmx polling, no page reload)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aftersales import testing as t
from aftersales.service.tests import web_world as w
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

PHONE_WIDTH = 390


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    for role in ("quality_director", "warehouse", "finance", "sales", "team_leader"):
        world[role] = t.user(role, username=role)
    world["admin"] = t.user("admin", username="admin1")
    w.ticket(world, description="一号馆黑屏")
    w.ticket(world, equipment="e2", description="医院花屏")
    return world


# login → the panels its workbench must show
ROLES = {
    "agent1": ["agent"],
    "coord1": ["coordinator"],
    "team_leader": ["coordinator"],
    "tech1": ["technician"],
    "quality_director": ["quality"],
    "warehouse": ["warehouse"],
    "finance": ["finance"],
    "boss1": ["manager"],
    "admin1": ["manager"],
    "sales": ["sales"],
    "dealer1": ["dealer"],
    "cust1": ["customer"],
}


def _figure(pg: Any, code: str) -> Any:
    return pg.locator(f'[data-testid="figure-{code}"]')


def test_every_roles_workbench_on_desktop_and_phone(open_page: Any, world: dict[str, Any]) -> None:
    problems: list[str] = []
    for username, panels in ROLES.items():
        for phone in (False, True):
            pg = open_page(phone=phone)
            pg.on(
                "console",
                lambda m, who=username: (
                    problems.append(f"{who}: {m.text}") if m.type == "error" else None
                ),
            )
            browser_login(pg, username)
            assert pg.url.rstrip("/") == pg.base_url.rstrip("/"), pg.url
            for code in panels:
                expect(pg.locator(f'[data-testid="panel-{code}"]')).to_be_visible()
            assert pg.locator('[data-testid^="figure-"]').count() >= 1
            if phone:
                width = pg.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE_WIDTH, (username, width)
            pg.context.close()
    assert not problems, problems


def test_a_figure_opens_the_list_with_exactly_its_rows(
    open_page: Any, world: dict[str, Any]
) -> None:
    pg = open_page()
    browser_login(pg, "coord1")
    figure = _figure(pg, "unassigned")
    assert figure.get_attribute("data-value") == "2"
    figure.click()
    pg.wait_for_url("**/service/tickets/?unassigned=1")
    expect(pg.locator('[data-testid="ticket-row"]')).to_have_count(2)
    expect(pg.locator("input[name=unassigned]")).to_be_checked()


def test_dealer_and_customer_workbench_show_only_their_organisation(
    open_page: Any, world: dict[str, Any]
) -> None:
    w.ticket(world, description="一号馆第二处故障")
    expected = {"dealer1": ("tickets_open", "2"), "dealer2": ("tickets_open", "1")}
    expected |= {"cust1": ("requests_open", "2"), "cust2": ("requests_open", "1")}
    for username, (code, value) in expected.items():
        pg = open_page(phone=username.startswith("cust"))
        browser_login(pg, username)
        expect(_figure(pg, code)).to_have_attribute("data-value", value)
        expect(pg.locator('[data-testid="panel-manager"]')).to_have_count(0)
        _figure(pg, code).click()
        pg.wait_for_load_state()
        rows = pg.locator('[data-testid="ticket-row"], [data-testid="portal-ticket"]')
        expect(rows).to_have_count(int(value))
        pg.context.close()


def test_a_panel_updates_without_a_reload(
    open_page: Any, world: dict[str, Any], settings: Any
) -> None:
    settings.WORKBENCH_POLL_SECONDS = 1
    pg = open_page()
    browser_login(pg, "agent1")
    figure = _figure(pg, "my_open")
    expect(figure).to_have_attribute("data-value", "2")
    pg.evaluate("document.body.dataset.marker = 'same-page'")
    w.ticket(world, description="刚来的报修")
    expect(figure).to_have_attribute("data-value", "3", timeout=10000)
    assert pg.evaluate("document.body.dataset.marker") == "same-page"  # no reload happened
