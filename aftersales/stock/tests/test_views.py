"""The stock pages: stock by location with totals, movement documents, who may see them."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.stock.models import Movement
from aftersales.stock.services import movements
from aftersales.stock.tests.helpers import receive

pytestmark = pytest.mark.django_db


def page(user, url: str):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c.get(url)


def test_keeper_sees_stock_by_location_and_the_documents(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00", bin_=s.bin_a)
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.psu.pk)],
    )
    html = page(s.keeper, "/stock/").content.decode()
    assert "售后总库" in html and "张工车载库" in html and "A-01-1" in html
    assert "合计 3 件，库存金额 ¥60.00" in html
    html = page(s.keeper, f"/stock/?warehouse_id={s.van.pk}").content.decode()
    assert "合计 1 件" in html
    doc = Movement.objects.get(kind="transfer")
    html = page(s.keeper, "/stock/movements/").content.decode()
    assert doc.number in html
    html = page(s.keeper, f"/stock/movements/{doc.pk}/").content.decode()
    assert "调拨" in html and "PSU-5V" in html and "¥20.00" in html


def test_technician_sees_his_van_only_and_outsiders_get_404(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00")
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(2, s.psu.pk)],
    )
    doc = Movement.objects.get(kind="transfer")
    html = page(s.tech, "/stock/").content.decode()
    assert "张工车载库" in html and "售后总库" not in html.split('id="rows"')[1]
    assert page(s.tech, f"/stock/movements/{doc.pk}/").status_code == 200
    assert page(s.tech2, f"/stock/movements/{doc.pk}/").status_code == 404
    assert "合计 0 件" in page(s.tech2, "/stock/").content.decode()
    dealer = t.user("dealer", org=t.dealer(t.region("W1", "西区")))
    assert page(dealer, "/stock/").status_code == 404
    assert page(dealer, f"/stock/movements/{doc.pk}/").status_code == 404
    assert page(s.keeper, "/stock/movements/?warehouse_id=99999999999").status_code == 200


def test_shortage_page_and_replenish_button(s) -> None:  # type: ignore[no-untyped-def]
    from aftersales.stock.services import consumption

    receive(s, 5, "10.00")
    consumption.consume(
        actor=s.tech, technician=s.tech, wanted=[(s.psu, 2)], reference="T-9", source_key="k:2"
    )
    html = page(s.keeper, "/stock/shortages/").content.decode()
    assert "PSU-5V" in html and "调拨补货 2" in html and "售后总库" in html
    assert 'data-testid="replenish"' not in page(s.tech, "/stock/shortages/").content.decode()
    c = Client()
    c.force_login(s.keeper)
    gap = s.tech.stock_shortages.get()
    resp = c.post(f"/stock/shortages/{gap.pk}/replenish/", follow=True)
    assert "已补货：调拨单 DB" in resp.content.decode()
    assert "已补货" in page(s.keeper, "/stock/shortages/?state=all").content.decode()


def test_the_pick_list_walks_the_bins_in_order(s) -> None:  # type: ignore[no-untyped-def]
    from aftersales.stock.models import Bin

    near = Bin.objects.create(warehouse=s.store, zone="A", shelf="01", level="2")
    receive(s, 2, "20.00", bin_=s.bin_b)  # B-02-3, the oldest lot
    receive(s, 2, "20.00", part=s.card, bin_=near)  # A-01-2
    receive(s, 2, "21.00", bin_=s.bin_a)  # A-01-1, a newer lot
    doc = movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(3, s.psu.pk), movements.OutLine(1, s.card.pk)],
    )
    html = page(s.keeper, f"/stock/movements/{doc.pk}/pick/").content.decode()
    bins = [chunk.split('"', 1)[0] for chunk in html.split('data-testid="pick-row" data-bin="')[1:]]
    assert bins == ["A-01-1", "A-01-2", "B-02-3"]  # walking order, not FIFO order
    assert (
        'data-testid="pick-link"' in page(s.keeper, f"/stock/movements/{doc.pk}/").content.decode()
    )
    receipt = Movement.objects.filter(kind="receipt").first()
    assert page(s.keeper, f"/stock/movements/{receipt.pk}/pick/").status_code == 404
    assert page(s.tech2, f"/stock/movements/{doc.pk}/pick/").status_code == 404


def test_the_stock_search_finds_rows_by_part_code_name_initials_and_lot(s) -> None:  # type: ignore[no-untyped-def]
    """The search finds the matching parts and lots first, then their rows (a union): each
    way of searching returns exactly the rows it should, with the totals of those rows."""
    from aftersales.stock.models import Lot

    receive(s, 3, "20.00", bin_=s.bin_a)
    receive(s, 2, "30.00", part=s.card, bin_=s.bin_b)
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.card.pk)],
    )
    card_lot = Lot.objects.get(part=s.card).number

    def rows(q: str) -> tuple[list[tuple[str, str]], str]:
        html = page(s.keeper, f"/stock/?q={q}").content.decode()
        import re

        found = re.findall(r'data-part="([^"]*)" data-warehouse="([^"]*)"', html)
        totals = re.search(r'data-testid="totals">([^<]*)<', html)
        assert totals is not None
        return sorted(found), totals.group(1)

    assert rows("psu-5") == ([("PSU-5V", "MAIN")], "合计 3 件，库存金额 ¥60.00")
    assert rows("接收") == (
        [("RCV-CARD", "MAIN"), ("RCV-CARD", "VAN-1")],
        "合计 2 件，库存金额 ¥60.00",
    )
    assert rows(s.card.name_initials.lower())[0] == [("RCV-CARD", "MAIN"), ("RCV-CARD", "VAN-1")]
    assert rows(card_lot)[0] == [("RCV-CARD", "MAIN"), ("RCV-CARD", "VAN-1")]
    assert rows("无此配件") == ([], "合计 0 件，库存金额 ¥0.00")
    # a technician's search stays within his van
    html = page(s.tech, "/stock/?q=RCV").content.decode()
    assert 'data-warehouse="VAN-1"' in html and 'data-warehouse="MAIN"' not in html


def test_stock_by_part_lists_that_part_everywhere_with_its_totals(s) -> None:  # type: ignore[no-untyped-def]
    """/stock/?part_id= is the stock-by-part page: that part's rows in every visible
    location (and no other part's), its totals, a heading; a part code links to it."""
    import re

    receive(s, 3, "20.00", bin_=s.bin_a)
    receive(s, 2, "30.00", part=s.card, bin_=s.bin_b)
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[movements.OutLine(1, s.card.pk)],
    )
    html = page(s.keeper, f"/stock/?part_id={s.card.pk}").content.decode()
    found = sorted(re.findall(r'data-part="([^"]*)" data-warehouse="([^"]*)"', html))
    assert found == [("RCV-CARD", "MAIN"), ("RCV-CARD", "VAN-1")]
    assert "合计 2 件，库存金额 ¥60.00" in html
    assert 'data-testid="part-heading"' in html and s.card.name in html
    assert f"/stock/movements/?part_id={s.card.pk}" in html
    assert f'href="/stock/?part_id={s.psu.pk}"' in page(s.keeper, "/stock/").content.decode()
    # the technician sees the part in his van only; an unknown part lists nothing
    html = page(s.tech, f"/stock/?part_id={s.card.pk}").content.decode()
    assert re.findall(r'data-warehouse="([^"]*)"', html) == ["VAN-1"]
    html = page(s.keeper, "/stock/?part_id=99999999").content.decode()
    assert "合计 0 件" in html and 'data-testid="part-heading"' not in html
