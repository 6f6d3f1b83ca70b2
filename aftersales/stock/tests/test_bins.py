"""Bins on paper: a printable sheet of bin labels whose QR codes open what lies at the bin,
and the bins on the loading lists of SPEC §4 (where each line's part is picked up)."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.approvals.testing import build as build_documents
from aftersales.approvals.testing import day
from aftersales.parts.services import fulfilment, requests, shipping
from aftersales.parts.tests.helpers import approved_request
from aftersales.stock.models import Bin, Warehouse
from aftersales.stock.tests.helpers import receive

pytestmark = pytest.mark.django_db


def test_bin_labels_print_a_qr_that_opens_the_bin(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00", bin_=s.bin_a)
    receive(s, 2, "30.00", part=s.card, bin_=s.bin_b)
    c = Client()
    c.force_login(s.keeper)
    html = c.get(f"/stock/bins/labels/?warehouse_id={s.store.pk}").content.decode()
    assert html.count('data-testid="bin-label"') == 2 and "<svg" in html
    assert html.index('data-bin="A-01-1"') < html.index('data-bin="B-02-3"')  # walking order
    assert f"/stock/?bin_id={s.bin_a.pk}" in html
    one = c.get(f"/stock/bins/labels/?warehouse_id={s.store.pk}&id={s.bin_b.pk}").content.decode()
    assert one.count('data-testid="bin-label"') == 1 and 'data-bin="B-02-3"' in one
    # the scanned label: the stock at that bin only
    html = c.get(f"/stock/?bin_id={s.bin_a.pk}").content.decode()
    assert 'data-part="PSU-5V"' in html and 'data-part="RCV-CARD"' not in html
    assert 'data-testid="bin-heading"' in html
    assert c.get("/stock/bins/labels/").status_code == 404
    # a technician sees only his van: another store's labels are a 404
    tech = Client()
    tech.force_login(s.tech)
    assert tech.get(f"/stock/bins/labels/?warehouse_id={s.store.pk}").status_code == 404


def test_api_levels_by_bin(s) -> None:  # type: ignore[no-untyped-def]
    from aftersales.accounts.services import issue_token

    receive(s, 3, "20.00", bin_=s.bin_a)
    receive(s, 2, "30.00", part=s.card, bin_=s.bin_b)
    _, key = issue_token(user=s.keeper)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    items = Client().get(f"/api/v1/stock/levels?bin_id={s.bin_b.pk}", **h).json()["items"]
    assert [i["quantity"] for i in items] == [2]
    totals = Client().get(f"/api/v1/stock/totals?bin_id={s.bin_a.pk}", **h).json()
    assert totals["units"] == 3
    assert Client().get("/api/v1/stock/levels?bin_id=abc", **h).status_code == 422


def test_the_loading_list_shows_where_each_part_is_picked_up() -> None:
    w = build_documents()
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    Bin.objects.create(warehouse=store, zone="A", shelf="01", level="1")
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    receipt = fulfilment.ReceiptInput(
        supplier="parts_group",
        quantity=2,
        package_intact=True,
        label_customer_ok=True,
        label_part_ok=True,
        label_quantity_ok=True,
        inspector_stamp=True,
        storage_location="A-01-1",
    )
    assert fulfilment.receive(actor=w.warehouse, request=r, data=receipt, now=day(3)).accepted
    r.refresh_from_db()
    ll = shipping.daily_list(actor=w.warehouse, now=day(3))
    c = Client()
    c.force_login(w.warehouse)
    html = c.get(f"/parts/loading-lists/{ll.pk}/").content.decode()
    assert r.number in html and 'data-testid="bins"' in html and "A-01-1" in html
