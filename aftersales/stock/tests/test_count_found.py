"""Counting a part the book has no line for (盘盈无账): added on the sheet with its bin and
quantity, it changes stock only when the approved count posts it, on a new lot at the part's
unit cost; bad input is a clear Chinese error and writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.approvals.models import ApprovalTask
from aftersales.approvals.services import engine
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.stock.models import Lot, Movement, StockCountLine
from aftersales.stock.services import counts
from aftersales.stock.tests.helpers import on_hand, receive

pytestmark = pytest.mark.django_db


def test_a_found_part_is_posted_with_the_approved_count(s) -> None:  # type: ignore[no-untyped-def]
    approver = t.user("team_leader", username="leader1")
    receive(s, 10, "20.00", bin_=s.bin_a)
    s.card.unit_cost = Decimal("55.00")
    s.card.save(update_fields=["unit_cost"])
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    (psu,) = count.lines.all()
    counts.enter(actor=s.keeper, count=count, entries=[(psu.pk, 10)])
    line = counts.add_found(
        actor=s.keeper, count=count, part_code="rcv-card", bin_code="b-02-3", counted="3"
    )
    assert (line.book, line.counted, line.level.bin, line.level.quantity) == (0, 3, s.bin_b, 0)
    assert on_hand(s.store, s.card) == 0 and not Movement.objects.filter(kind="adjustment")
    with pytest.raises(Conflict, match="已有RCV-CARD的盘点行"):
        counts.add_found(
            actor=s.keeper, count=count, part_id=s.card.pk, bin_id=s.bin_b.pk, counted=1
        )
    for bad, match in (
        ({"part_code": "NOPE", "bin_code": "A-01-1", "counted": 1}, "配件不存在"),
        ({"part_code": "RCV-CARD", "bin_code": "Z-9-9", "counted": 1}, "库位不存在"),
        ({"part_code": "RCV-CARD", "bin_code": "A-01-1", "counted": "1,000"}, "逗号"),
        ({"part_code": "RCV-CARD", "bin_code": "A-01-1", "counted": -2}, "须为正整数，不能为-2"),
    ):
        with pytest.raises(ValidationFailed, match=match):
            counts.add_found(actor=s.keeper, count=count, **bad)
    assert StockCountLine.objects.filter(count=count).count() == 2
    with pytest.raises(NotFound):  # a technician does not see the store's count
        counts.add_found(actor=s.tech, count=count, part_code="RCV-CARD", counted=1)
    counts.submit(actor=s.keeper, count=count)
    assert on_hand(s.store, s.card) == 0
    task = ApprovalTask.objects.get(request__object_id=count.pk, state="pending")
    engine.decide(actor=approver, task=task, decision="approve")
    adj = Movement.objects.get(kind="adjustment")
    (ln,) = adj.lines.all()
    assert (ln.part_id, ln.quantity, ln.to_bin, ln.amount) == (
        s.card.pk,
        3,
        s.bin_b,
        Decimal("165.00"),
    )
    assert ln.lot.source == "count" and on_hand(s.store, s.card) == 3


def test_found_parts_on_the_page_and_the_api(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 10, "20.00", bin_=s.bin_a)
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    c = Client()
    c.force_login(s.keeper)
    assert 'data-testid="found-form"' in c.get(f"/stock/counts/{count.pk}/").content.decode()
    c.post(
        f"/stock/counts/{count.pk}/found/",
        {"part_code": "RCV-CARD", "bin_code": "A-01-1", "counted": "2"},
    )
    assert count.lines.filter(level__part=s.card, counted=2).exists()
    _, key = issue_token(user=s.keeper)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    resp = Client().post(
        f"/api/v1/stock/counts/{count.pk}/found",
        {"part_code": "PSU-5V", "bin_id": s.bin_b.pk, "counted": 1},
        content_type="application/json",
        **h,
    )
    assert resp.status_code == 200, resp.content
    bad = Client().post(
        f"/api/v1/stock/counts/{count.pk}/found",
        {"part_code": "PSU-5V", "bin_id": 987654, "counted": 1},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422 and "库位不存在" in bad.json()["message"]
    assert count.lines.count() == 3 and Lot.objects.filter(source="count").count() == 2
