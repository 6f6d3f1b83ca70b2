"""Spare-parts supply after discontinuation (ProductModel.parts_supply_years): the pure rule,
the same rule as a query for the stock domain, the API and the equipment page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.installed_base.models import Equipment, ProductModel
from aftersales.installed_base.supply import parts_supply, with_parts_supply

D = dt.date


def test_parts_supply_rule() -> None:
    assert parts_supply(None, 5, D(2040, 1, 1)).guaranteed
    assert parts_supply(None, 5, D(2040, 1, 1)).until is None
    last = parts_supply(D(2020, 2, 29), 3, D(2023, 2, 28))
    assert (last.guaranteed, last.until) == (True, D(2023, 2, 28))
    assert last.text == "已于 2020-02-29 停产，备件保证供应至 2023-02-28"
    over = parts_supply(D(2020, 2, 29), 3, D(2023, 3, 1))
    assert not over.guaranteed
    assert over.text == "已于 2020-02-29 停产，备件保证供应期已于 2023-02-28 届满"


@pytest.mark.django_db
def test_the_query_agrees_with_the_rule_and_the_years_are_read() -> None:
    cat = t.category()
    live = t.product_model(cat)
    five = t.product_model(cat, discontinued_on=D(2021, 6, 30), parts_supply_years=5)
    three = t.product_model(cat, discontinued_on=D(2021, 6, 30), parts_supply_years=3)
    today = D(2026, 6, 30)
    rows = {m.pk: m for m in with_parts_supply(ProductModel.objects.all(), today)}
    assert rows[live.pk].parts_supply_guaranteed and rows[live.pk].parts_supply_until is None
    assert (rows[five.pk].parts_supply_guaranteed, rows[five.pk].parts_supply_until) == (
        True,
        D(2026, 6, 30),
    )
    assert not rows[three.pk].parts_supply_guaranteed
    for m in (live, five, three):
        rule = parts_supply(m.discontinued_on, m.parts_supply_years, today)
        assert (rule.guaranteed, rule.until) == (
            rows[m.pk].parts_supply_guaranteed,
            rows[m.pk].parts_supply_until,
        )
    # through the equipment (the stock domain's path)
    eq = t.equipment(t.site(t.customer(t.region())), three)
    row = with_parts_supply(Equipment.objects.filter(pk=eq.pk), today, "model__").get()
    assert row.parts_supply_until == D(2024, 6, 30) and not row.parts_supply_guaranteed
    # the next day five years are over too
    assert not (
        with_parts_supply(ProductModel.objects.filter(pk=five.pk), D(2026, 7, 1))
        .get()
        .parts_supply_guaranteed
    )


@pytest.mark.django_db
def test_api_and_equipment_page_show_whether_parts_are_still_guaranteed() -> None:
    admin = t.user("admin")
    model = t.product_model(t.category(), discontinued_on=D(2015, 1, 1), parts_supply_years=5)
    eq = t.equipment(t.site(t.customer(t.region())), model)
    _, key = issue_token(user=admin)
    c = Client()
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = c.get(f"/api/v1/product-models/{model.pk}", **h).json()
    assert (body["parts_supply_guaranteed"], body["parts_supply_until"]) == (False, "2020-01-01")
    c.force_login(admin)
    page = c.get(f"/equipment/{eq.pk}/").content.decode()
    assert "备件保证供应期已于 2020-01-01 届满" in page
    resp = c.patch(
        f"/api/v1/product-models/{model.pk}",
        {"parts_supply_years": 30},
        content_type="application/json",
        **h,
    )
    assert resp.status_code == 200 and resp.json()["parts_supply_guaranteed"]
    assert "备件保证供应至 2045-01-01" in c.get(f"/equipment/{eq.pk}/").content.decode()


@pytest.mark.django_db
def test_the_model_list_in_the_back_office_shows_the_supply_the_years_decide() -> None:
    from django.urls import reverse

    from aftersales.core.services import update_record

    admin = t.user("admin", is_staff=True)
    model = t.product_model(t.category(), discontinued_on=D(2015, 1, 1), parts_supply_years=5)
    c = Client()
    c.force_login(admin)
    url = reverse("admin:installed_base_productmodel_changelist")
    assert "备件保证供应期已于 2020-01-01 届满" in c.get(url).content.decode()
    update_record(model, actor=admin, changes={"parts_supply_years": 30})
    page = c.get(url).content.decode()
    assert "备件保证供应至 2045-01-01" in page and "2020-01-01 届满" not in page
