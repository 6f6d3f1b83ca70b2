"""Each role's workbench in real headless Chromium, on a desktop and on a phone: its panels
show, nothing overflows sideways on the phone, a figure opens its list, a dealer and a
customer see only their organisation's figures, and a panel follows new data by itself
(htmx polling, no page reload)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from aftersales import testing as t
from aftersales.service.tests import web_world as w
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

PHONE_WIDTH = 390


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    for role in (
        "quality_director",
        "quality_centre_director",
        "warehouse",
        "finance",
        "sales",
        "team_leader",
    ):
        world[role] = t.user(role, username=role)
    world["admin"] = t.user("admin", username="admin1")
    world["t1"] = w.ticket(world, description="一号馆黑屏")  # 甲经销商's customer c1
    world["t2"] = w.ticket(world, equipment="e2", description="医院花屏")  # 乙's customer c2
    return world


# login → the panels its workbench must show (and no other)
ROLES = {
    "agent1": ["agent"],
    "coord1": ["coordinator"],
    "team_leader": ["coordinator"],
    "tech1": ["technician"],
    "quality_director": ["quality"],
    "quality_centre_director": ["quality"],
    "warehouse": ["warehouse"],
    "finance": ["finance"],
    "boss1": ["manager"],
    "admin1": ["manager"],
    "sales": ["sales"],
    "dealer1": ["dealer"],
    "cust1": ["customer"],
}
# panel → each figure it must show and the list its link must open (url name, query)
FIGURES = {
    "agent": {
        "my_open": ("service:ticket_list", "mine=1"),
        "callbacks_today": ("service:callback_list", "due=today"),
        "complaints_unreplied": ("quality:list", "awaiting_reply=1"),
        "call_back": ("service:callback_list", "retry=1"),
    },
    "coordinator": {
        "unassigned": ("service:ticket_list", "unassigned=1"),
        "at_risk": ("service:ticket_list", "at_risk=1"),
        "approvals": ("approvals:inbox", ""),
        "dealer_unarranged": ("dealers:tasks", "state=assigned"),
        "plans_draft": ("dispatch:plan", ""),
        "plans_published": ("dispatch:plan", ""),
    },
    "technician": {
        "jobs_today": ("service:my_jobs", ""),
        "reports_unfiled": ("service:my_jobs", "unfiled=1"),
        "inspections": ("maintenance:visits", ""),
    },
    "quality": {
        "approvals": ("approvals:inbox", ""),
        "returns_received": ("returns:list", "state=received"),
        "warnings_open": ("quality:warnings", "state=open"),
        "warnings_checking": ("quality:warnings", "state=checking"),
    },
    "warehouse": {
        "parts_from_stock": ("parts:list", "state=stock_shipment"),
        "parts_in_production": ("parts:list", "state=in_production"),
        "loading_to_ship": ("parts:loading_lists", "state=finance_reviewed"),
        "shortages": ("stock:shortages", ""),
        "below_minimum": ("stock:minimums", ""),
    },
    "finance": {
        "credit_to_book": ("returns:list", "state=all&credit_state=approved"),
        "claims_accepted": ("dealers:claims", "state=accepted"),
        "claims_partly": ("dealers:claims", "state=partly"),
        "approvals": ("approvals:inbox", ""),
    },
    "manager": {
        "open": ("service:ticket_list", ""),
        "at_risk": ("service:ticket_list", "at_risk=1"),
        "breached_today": ("service:ticket_list", "breached_today=1"),
        "approvals": ("approvals:inbox", ""),
    },
    "sales": {"warranty_expiring": ("web:equipment_list", "warranty=expiring")},
    "dealer": {
        "tasks_open": ("dealers:tasks", ""),
        "tasks_unarranged": ("dealers:tasks", "state=assigned"),
        "tickets_open": ("service:ticket_list", ""),
    },
    "customer": {
        "requests_open": ("service:portal", "state=open"),
        "confirmations": ("service:portal", "state=open&waiting=1"),
    },
}
# figures whose value the world fixes: its two tickets, one per customer and dealer
VALUES = {
    "agent1": {"my_open": "2"},
    "coord1": {"unassigned": "2"},
    "boss1": {"open": "2"},
    "admin1": {"open": "2"},
    "tech1": {"jobs_today": "0", "reports_unfiled": "0"},
    "dealer1": {"tickets_open": "1"},
    "cust1": {"requests_open": "1", "confirmations": "0"},
}
# the workbench's own links (besides its figures)
LINKS = {"manager": ("reports:board",), "customer": ("service:portal_new",)}


def _figure(pg: Any, code: str) -> Any:
    return pg.locator(f'[data-testid="figure-{code}"]')


def _href(name: str, query: str) -> str:
    return reverse(name) + (f"?{query}" if query else "")


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
            where = (username, "phone" if phone else "desktop")
            # its panels, no other role's
            for code in FIGURES:
                expect(pg.locator(f'[data-testid="panel-{code}"]')).to_have_count(
                    1 if code in panels else 0
                )
            for code in panels:
                panel = pg.locator(f'[data-testid="panel-{code}"]')
                expect(panel).to_be_visible()
                # each of its counters, a number, linking to its list
                for fig, (name, query) in FIGURES[code].items():
                    card = panel.locator(f'[data-testid="figure-{fig}"]')
                    expect(card).to_be_visible()
                    assert card.get_attribute("href") == _href(name, query), (where, fig)
                    assert (card.get_attribute("data-value") or "").isdigit(), (where, fig)
                    assert card.locator("b").inner_text() == card.get_attribute("data-value")
                    if phone:  # whole on the screen, not cut at its right edge
                        box = card.bounding_box()
                        assert box and box["x"] >= 0, (where, fig, box)
                        assert box["x"] + box["width"] <= PHONE_WIDTH + 0.5, (where, fig, box)
                expect(panel.locator('[data-testid^="figure-"]')).to_have_count(len(FIGURES[code]))
                for name in LINKS.get(code, ()):
                    expect(panel.locator(f'a[href="{reverse(name)}"]')).to_be_visible()
            for fig, value in VALUES.get(username, {}).items():
                expect(_figure(pg, fig)).to_have_attribute("data-value", value)
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
    """Each sees its own organisation's counts and rows, on a desktop and on a phone, and
    nothing of the other's: not its customer, its tickets nor its dealer task."""
    from aftersales.dealers.services import tasks

    t3 = w.ticket(world, description="一号馆第二处故障")
    task = tasks.assign(actor=world["coordinator"], ticket_id=world["t2"].pk)  # 乙经销商's
    own = {
        "dealer1": ([world["t1"].number, t3.number], world["c1"].name),
        "dealer2": ([world["t2"].number], world["c2"].name),
        "cust1": ([world["t1"].number, t3.number], world["c1"].name),
        "cust2": ([world["t2"].number], world["c2"].name),
    }
    figures = {
        "dealer1": {"tickets_open": "2", "tasks_open": "0", "tasks_unarranged": "0"},
        "dealer2": {"tickets_open": "1", "tasks_open": "1", "tasks_unarranged": "1"},
        "cust1": {"requests_open": "2"},
        "cust2": {"requests_open": "1"},
    }
    other = {"dealer1": "dealer2", "dealer2": "dealer1", "cust1": "cust2", "cust2": "cust1"}
    for username, (numbers, _name) in own.items():
        theirs, their_customer = own[other[username]]
        for phone in (False, True):
            pg = open_page(phone=phone)
            browser_login(pg, username)
            where = (username, "phone" if phone else "desktop")
            for code, value in figures[username].items():
                expect(_figure(pg, code)).to_have_attribute("data-value", value)
            for code in FIGURES:  # no company panel
                if code not in ("dealer", "customer"):
                    expect(pg.locator(f'[data-testid="panel-{code}"]')).to_have_count(0)
            page = pg.locator("body").inner_text()
            if username == "dealer2":  # its task, with its arrangement clock
                expect(pg.locator('[data-testid="rows-dealer"]')).to_contain_text(task.number)
            assert task.number not in page or username == "dealer2", where
            assert not any(n in page for n in theirs), where
            code = "tickets_open" if username.startswith("dealer") else "requests_open"
            _figure(pg, code).click()
            pg.wait_for_load_state()
            rows = pg.locator('[data-testid="ticket-row"], [data-testid="portal-ticket"]')
            expect(rows).to_have_count(len(numbers))
            listed = [r.get_attribute("data-number") for r in rows.all()]
            assert sorted(listed) == sorted(numbers), (where, listed)  # its own, all of them
            assert their_customer not in pg.locator("body").inner_text(), where
            if phone:
                assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, where
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
