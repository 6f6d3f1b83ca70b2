"""Slow-moving flags at exactly 1 and 3 months (controlled clock, thresholds as data) and
minimum stock with its replenishment proposal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.core.errors import Conflict, PermissionDenied
from aftersales.notifications.models import Notification
from aftersales.stock.models import MinStock, Movement, StockPolicy
from aftersales.stock.services import flags, movements
from aftersales.stock.tests.helpers import at, on_hand, receive

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


def flag(s, wh, part, now):  # type: ignore[no-untyped-def]
    rows = flags.slow_moving(s.keeper, warehouse_id=wh.pk, now=now)
    return next(r.flag for r in rows if r.part_id == part.pk)


def test_flags_change_at_exactly_one_and_three_months_without_issue(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 10, "20.00", bin_=s.bin_a, when=at(0))
    receive(s, 5, "30.00", part=s.card, bin_=s.bin_b, when=at(0))
    issued = at(29, 15)  # 2026-12-01 15:00 local
    movements.issue(
        actor=s.keeper,
        warehouse_id=s.store.pk,
        lines=[movements.OutLine(2, s.psu.pk)],
        now=issued,
    )
    month, three = flags.months_later(issued, 1), flags.months_later(issued, 3)
    assert (month.date(), three.date()) == (dt.date(2027, 1, 1), dt.date(2027, 3, 1))
    assert flag(s, s.store, s.psu, month - SECOND) == ""
    assert flag(s, s.store, s.psu, month) == "yellow"
    assert flag(s, s.store, s.psu, three - SECOND) == "yellow"
    assert flag(s, s.store, s.psu, three) == "red"
    # never issued: counted from its oldest lot on hand
    assert flag(s, s.store, s.card, flags.months_later(at(0), 1) - SECOND) == ""
    assert flag(s, s.store, s.card, flags.months_later(at(0), 1)) == "yellow"
    # an issue resets the clock; a transfer out counts as going out too
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.psu.pk)],
        now=three,
    )
    assert flag(s, s.store, s.psu, three + SECOND) == ""
    # thresholds are data
    StockPolicy.objects.filter(code="default").update(slow_yellow_months=2, slow_red_months=4)
    assert flag(s, s.store, s.card, flags.months_later(at(0), 2) - SECOND) == ""
    assert flag(s, s.store, s.card, flags.months_later(at(0), 2)) == "yellow"
    assert flag(s, s.store, s.card, flags.months_later(at(0), 3)) == "yellow"
    assert flag(s, s.store, s.card, flags.months_later(at(0), 4)) == "red"
    reds = flags.slow_moving(s.keeper, flag="red", now=flags.months_later(at(0), 4))
    assert [r.part_code for r in reds] == ["RCV-CARD"]
    # the van got an old lot by transfer: it has been in the van since the transfer
    assert flag(s, s.van, s.psu, flags.months_later(three, 1) - SECOND) == ""
    assert flag(s, s.van, s.psu, flags.months_later(three, 2)) == "yellow"


def test_a_month_without_the_day_ends_on_its_last_day() -> None:
    from django.utils import timezone

    jan31 = timezone.make_aware(dt.datetime(2027, 1, 31, 10))
    assert flags.months_later(jan31, 1) == timezone.make_aware(dt.datetime(2027, 2, 28, 10))


def test_the_stock_pages_show_the_flags(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00", bin_=s.bin_a, when=at(-200))
    c = Client()
    c.force_login(s.keeper)
    html = c.get("/stock/").content.decode()
    assert 'data-flag="red"' in html and "红色预警" in html
    html = c.get("/stock/slow/?flag=red").content.decode()
    assert 'data-part="PSU-5V"' in html and "从未出库" in html
    assert c.get("/stock/slow/?flag=yellow").content.decode().count('data-testid="slow-row"') == 0
    _, key = issue_token(user=s.keeper)
    resp = Client().get("/api/v1/stock/slow-moving", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200 and resp.json()["items"][0]["flag"] == "red"


def test_below_minimum_proposes_and_posts_a_replenishment(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 20, "20.00", bin_=s.bin_a)
    receive(s, 1, "20.00", wh=s.van)
    van_rule = MinStock.objects.create(warehouse=s.van, part=s.psu, min_qty=2, reorder_to=5)
    MinStock.objects.create(warehouse=s.store, part=s.card, min_qty=3, reorder_to=10)
    MinStock.objects.create(warehouse=s.store, part=s.psu, min_qty=5, reorder_to=10)  # fine
    proposals = {
        (p.rule.warehouse.code, p.rule.part.code): p for p in flags.below_minimum(s.keeper)
    }
    assert set(proposals) == {("VAN-1", "PSU-5V"), ("MAIN", "RCV-CARD")}
    van = proposals[("VAN-1", "PSU-5V")]
    assert (van.on_hand, van.quantity, van.source) == (1, 4, s.store)
    assert proposals[("MAIN", "RCV-CARD")].action == "需采购"
    assert flags.tell_below_minimum(at(40)) == 2
    assert flags.tell_below_minimum(at(40)) == 2
    assert (
        Notification.objects.filter(recipient=s.keeper, key__startswith="stock:minimum:").count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        flags.replenish_minimum(actor=s.tech, rule=van_rule)
    doc = flags.replenish_minimum(actor=s.keeper, rule=van_rule)
    assert doc.kind == "transfer" and on_hand(s.van, s.psu) == 5
    with pytest.raises(Conflict, match="无需补货"):
        flags.replenish_minimum(actor=s.keeper, rule=van_rule)
    card = MinStock.objects.get(part=s.card)
    with pytest.raises(Conflict, match="采购"):
        flags.replenish_minimum(actor=s.keeper, rule=card)
    assert Movement.objects.filter(kind="transfer").count() == 1


def test_minimums_through_the_api_refuse_a_reorder_below_the_minimum(s) -> None:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=s.keeper)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def post(url: str, body: dict) -> object:  # type: ignore[type-arg]
        return Client().post(url, json.dumps(body), content_type="application/json", **h)

    body = {"warehouse_id": s.van.pk, "part_id": s.psu.pk, "min_qty": 3, "reorder_to": 2}
    bad = post("/api/v1/stock/minimums", body)
    assert bad.status_code == 422 and "补货至" in bad.json()["message"]  # type: ignore[attr-defined]
    ok = post("/api/v1/stock/minimums", {**body, "reorder_to": 6})
    assert ok.status_code == 201  # type: ignore[attr-defined]
    twice = post("/api/v1/stock/minimums", {**body, "reorder_to": 6})
    assert twice.status_code in (409, 422)  # type: ignore[attr-defined]
    resp = Client().get("/api/v1/stock/minimum-proposals", **h)
    assert resp.status_code == 200 and resp.json()[0]["quantity"] == 6
    other = t.user("dealer", org=t.dealer(t.region("W9", "西区")))
    _, dkey = issue_token(user=other)
    assert (
        Client().get("/api/v1/stock/minimum-proposals", HTTP_AUTHORIZATION=f"Bearer {dkey}").json()
        == []
    )
