"""Spare-parts supply in stock (SPEC §11: parts for discontinued models kept for the
guaranteed years): a part's supply comes from the product models it is linked to; a part
whose supply has ended is flagged; a red slow mover still in its supply period is never
proposed for scrap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.catalog.models import Part
from aftersales.installed_base.supply import PartsSupply, part_supply
from aftersales.stock.services import flags
from aftersales.stock.tests.helpers import at, receive

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_part_is_guaranteed_while_any_of_its_models_is() -> None:
    assert part_supply([]) is None
    live = PartsSupply(True, None, "")
    kept = PartsSupply(True, D(2028, 6, 30), "")
    ended = PartsSupply(False, D(2024, 1, 1), "")
    older = PartsSupply(False, D(2020, 1, 1), "")
    assert part_supply([ended, live]) == PartsSupply(True, None, "适用型号在产，备件正常供应")
    got = part_supply([ended, kept])
    assert got is not None and (got.guaranteed, got.until) == (True, D(2028, 6, 30))
    got = part_supply([older, ended])
    assert got is not None and (got.guaranteed, got.until) == (False, D(2024, 1, 1))
    assert "届满" in got.text


def test_supply_flags_and_scrap_proposals_on_the_slow_movers(s) -> None:  # type: ignore[no-untyped-def]
    cat = t.category()
    old = t.product_model(cat, discontinued_on=D(2015, 1, 1), parts_supply_years=5)
    kept = t.product_model(cat, discontinued_on=D(2025, 6, 30), parts_supply_years=5)
    s.psu.product_models.add(old)
    s.card.product_models.add(old, kept)
    unlinked = Part.objects.create(code="HUB-1", name="集线板")
    for part in (s.psu, s.card, unlinked):
        receive(s, 2, "20.00", part=part, bin_=s.bin_a, when=at(0))
    red = flags.months_later(at(0), 3)
    rows = {r.part_code: r for r in flags.slow_moving(s.keeper, now=red)}
    assert {k: r.flag for k, r in rows.items()} == {
        "PSU-5V": "red",
        "RCV-CARD": "red",
        "HUB-1": "red",
    }
    psu, card, hub = rows["PSU-5V"], rows["RCV-CARD"], rows["HUB-1"]
    assert psu.supply_ended and psu.scrap_proposed and "2020-01-01" in psu.supply_text
    # still guaranteed for one model until 2030-06-30: flagged red, never proposed for scrap
    assert not card.supply_ended and not card.scrap_proposed
    assert "2030-06-30" in card.supply_text
    assert not hub.supply_ended and hub.scrap_proposed and hub.supply_text == "未关联适用型号"
    # yellow is never a scrap proposal, whatever the supply
    yellow = {r.part_code: r for r in flags.slow_moving(s.keeper, now=red - dt.timedelta(days=1))}
    assert yellow["PSU-5V"].flag == "yellow" and not yellow["PSU-5V"].scrap_proposed
    # the supply period of the kept model ends: the card becomes a scrap proposal
    later = flags.months_later(at(0), 12 * 4)
    assert {r.part_code: r for r in flags.slow_moving(s.keeper, now=later)}[
        "RCV-CARD"
    ].scrap_proposed


def test_the_pages_and_the_api_show_the_supply(s) -> None:  # type: ignore[no-untyped-def]
    old = t.product_model(t.category(), discontinued_on=D(2015, 1, 1), parts_supply_years=5)
    s.psu.product_models.add(old)
    receive(s, 2, "20.00", bin_=s.bin_a, when=at(-200))
    receive(s, 2, "20.00", part=s.card, bin_=s.bin_b, when=at(-200))
    c = Client()
    c.force_login(s.keeper)
    html = c.get("/stock/").content.decode()
    assert html.count('data-testid="supply-ended"') == 1
    html = c.get("/stock/slow/?flag=red").content.decode()
    assert html.count('data-scrap="1"') == 2 and "供应期满" in html
    _, key = issue_token(user=s.keeper)
    items = (
        Client()
        .get("/api/v1/stock/slow-moving", HTTP_AUTHORIZATION=f"Bearer {key}")
        .json()["items"]
    )
    psu = next(i for i in items if i["part_code"] == "PSU-5V")
    assert (psu["supply_ended"], psu["scrap_proposed"]) == (True, True)


def test_parts_are_linked_to_models_through_the_api() -> None:
    model = t.product_model(t.category())
    _, key = issue_token(user=t.user("admin"))
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    resp = c.post(
        "/api/v1/parts",
        {
            "code": "P-9",
            "name": "电源",
            "unit_cost": "1",
            "price": "2",
            "product_models": [model.pk],
        },
        content_type="application/json",
        **h,
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["product_models"] == [model.pk]
    bad = c.post(
        "/api/v1/parts",
        {"code": "P-10", "name": "x", "unit_cost": "1", "price": "1", "product_models": [987654]},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422 and "产品型号不存在" in bad.json()["message"]
    assert not Part.objects.filter(code="P-10").exists()
    part = Part.objects.get(code="P-9")
    resp = c.patch(
        f"/api/v1/parts/{part.pk}", {"product_models": []}, content_type="application/json", **h
    )
    assert resp.status_code == 200 and resp.json()["product_models"] == []
