"""Stock counts (盘点): blind entry, variances only after approval as one adjustment
movement, relative to the book at opening; refusals write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.approvals.models import ApprovalTask
from aftersales.approvals.services import engine
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.stock.models import Movement, StockCount, StockCountLine
from aftersales.stock.services import counts, movements
from aftersales.stock.tests.helpers import on_hand, receive

pytestmark = pytest.mark.django_db


def pending(count: StockCount) -> ApprovalTask:
    return ApprovalTask.objects.get(request__object_id=count.pk, state="pending")


def lines(count: StockCount) -> list[StockCountLine]:
    return list(counts.sheet_lines(count))


@pytest.fixture
def approver(db):  # type: ignore[no-untyped-def]
    return t.user("team_leader", username="leader1")


def test_a_variance_changes_stock_only_after_approval_with_one_adjustment(s, approver) -> None:  # type: ignore[no-untyped-def]
    receive(s, 10, "20.00", bin_=s.bin_a)
    receive(s, 4, "30.00", part=s.card, bin_=s.bin_b)
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    psu, card = sorted(lines(count), key=lambda ln: ln.level.part.code)
    assert (psu.book, card.book) == (10, 4)
    counts.enter(actor=s.keeper, count=count, entries=[(psu.pk, "8"), (card.pk, 4)])
    with pytest.raises(Conflict):  # blind, but not twice open
        counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    counts.submit(actor=s.keeper, count=count)
    count.refresh_from_db()
    assert count.state == "submitted"
    assert on_hand(s.store, s.psu) == 10  # nothing posted before the approval
    assert not Movement.objects.filter(kind="adjustment").exists()
    with pytest.raises(Conflict):  # submitted: no more entries
        counts.enter(actor=s.keeper, count=count, entries=[(psu.pk, 9)])
    engine.decide(actor=approver, task=pending(count), decision="approve")
    count.refresh_from_db()
    assert count.state == "posted" and count.adjustment is not None
    adjustments = Movement.objects.filter(kind="adjustment")
    assert adjustments.count() == 1
    (line,) = adjustments.get().lines.all()
    assert (line.part_id, line.quantity, str(line.amount)) == (s.psu.pk, -2, "-40.00")
    assert on_hand(s.store, s.psu) == 8 and on_hand(s.store, s.card) == 4
    assert AuditEvent.objects.filter(object_id=str(adjustments.get().pk), action="create").exists()
    verbs = list(
        AuditEvent.objects.filter(content_type__model="stockcount", object_id=str(count.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[:2] == ["create", "count_entered"] and "count_posted" in verbs


def test_stock_moving_during_the_count_is_kept(s, approver) -> None:  # type: ignore[no-untyped-def]
    receive(s, 10, "20.00", bin_=s.bin_a)
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    (ln,) = lines(count)
    movements.issue(
        actor=s.keeper,
        warehouse_id=s.store.pk,
        lines=[movements.OutLine(3, s.psu.pk, from_bin_id=s.bin_a.pk)],
    )
    counts.enter(actor=s.keeper, count=count, entries=[(ln.pk, 8)])  # 2 missing at opening
    counts.submit(actor=s.keeper, count=count)
    engine.decide(actor=approver, task=pending(count), decision="approve")
    assert on_hand(s.store, s.psu) == 5  # 10 − 3 issued − 2 lost


def test_a_loss_larger_than_what_is_left_refuses_the_approval(s, approver) -> None:  # type: ignore[no-untyped-def]
    receive(s, 10, "20.00", bin_=s.bin_a)
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    (ln,) = lines(count)
    counts.enter(actor=s.keeper, count=count, entries=[(ln.pk, 2)])
    counts.submit(actor=s.keeper, count=count)
    movements.issue(
        actor=s.keeper,
        warehouse_id=s.store.pk,
        lines=[movements.OutLine(5, s.psu.pk, from_bin_id=s.bin_a.pk)],
    )
    with pytest.raises(Conflict, match="重新盘点"):
        engine.decide(actor=approver, task=pending(count), decision="approve")
    count.refresh_from_db()
    assert count.state == "submitted" and on_hand(s.store, s.psu) == 5
    assert not Movement.objects.filter(kind="adjustment").exists()
    engine.decide(actor=approver, task=pending(count), decision="return", comment="请重新清点")
    count.refresh_from_db()
    assert count.state == "counting"
    counts.enter(actor=s.keeper, count=count, entries=[(ln.pk, 4)])  # recounted: 4 of 10
    counts.submit(actor=s.keeper, count=count)
    with pytest.raises(Conflict):  # still −6 against 5 left
        engine.decide(actor=approver, task=pending(count), decision="approve")
    engine.decide(actor=approver, task=pending(count), decision="reject", comment="账实不符另查")
    count.refresh_from_db()
    assert count.state == "rejected" and on_hand(s.store, s.psu) == 5
    assert not Movement.objects.filter(kind="adjustment").exists()
    assert counts.open_count(actor=s.keeper, warehouse_id=s.store.pk).state == "counting"


def test_no_variance_closes_without_approval(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00", bin_=s.bin_a)
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    (ln,) = lines(count)
    with pytest.raises(ValidationFailed, match="1行未盘点"):
        counts.submit(actor=s.keeper, count=count)
    counts.enter(actor=s.keeper, count=count, entries=[(ln.pk, 3)])
    counts.submit(actor=s.keeper, count=count)
    count.refresh_from_db()
    assert count.state == "no_variance" and count.adjustment is None
    assert not ApprovalTask.objects.filter(request__object_id=count.pk).exists()
    assert not Movement.objects.filter(kind="adjustment").exists()


def test_bad_input_and_strangers_write_nothing(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00", bin_=s.bin_a)
    receive(s, 2, "20.00", wh=s.van)
    count = counts.open_count(actor=s.keeper, warehouse_id=s.store.pk)
    other = counts.open_count(actor=s.tech, warehouse_id=s.van.pk)  # his own van
    (ln,) = lines(count)
    (van_line,) = lines(other)
    before = AuditEvent.objects.count()
    for value, message in (
        ("1,000", "逗号"),
        ("-1", "正整数"),
        ("abc", "正整数"),
        ("2.5", "正整数"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            counts.enter(actor=s.keeper, count=count, entries=[(ln.pk, value)])
    with pytest.raises(ValidationFailed, match="不是本盘点单"):
        counts.enter(actor=s.keeper, count=count, entries=[(ln.pk, 3), (van_line.pk, 1)])
    with pytest.raises(NotFound):  # another's van: not even seen
        counts.enter(actor=s.tech2, count=other, entries=[(van_line.pk, 1)])
    with pytest.raises(NotFound):
        counts.open_count(actor=s.tech2, warehouse_id=s.van.pk)
    with pytest.raises(PermissionDenied):
        counts.open_count(actor=s.agent, warehouse_id=s.regional.pk)
    with pytest.raises(ValidationFailed, match="没有库存"):
        counts.open_count(actor=s.keeper, warehouse_id=s.regional.pk)
    assert AuditEvent.objects.count() == before
    assert StockCountLine.objects.filter(counted__isnull=False).count() == 0
    with pytest.raises(ValidationFailed, match="原因"):
        counts.cancel(actor=s.keeper, count=count, reason=" ")
    counts.cancel(actor=s.keeper, count=count, reason="发起有误")
    count.refresh_from_db()
    assert count.state == "cancelled"


def h(user: Any) -> dict[str, str]:
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_hides_the_book_while_counting(s, approver) -> None:  # type: ignore[no-untyped-def]
    receive(s, 6, "20.00", bin_=s.bin_a)
    c = Client()

    def post(url: str, body: dict[str, Any]) -> Any:
        return c.post(url, json.dumps(body), content_type="application/json", **h(s.keeper))

    resp = post("/api/v1/stock/counts", {"warehouse_id": s.store.pk})
    assert resp.status_code == 201, resp.content
    body = resp.json()
    (row,) = body["lines"]
    assert row["book"] is None and row["variance"] is None and row["bin"] == s.bin_a.code
    bad = post(
        f"/api/v1/stock/counts/{body['id']}/entries",
        {"entries": [{"line_id": row["id"], "counted": "1,5"}]},
    )
    assert bad.status_code == 422 and "逗号" in bad.json()["message"]
    ok = post(
        f"/api/v1/stock/counts/{body['id']}/entries",
        {"entries": [{"line_id": row["id"], "counted": "5"}]},
    )
    assert ok.status_code == 200 and ok.json()["lines"][0]["book"] is None
    done = post(f"/api/v1/stock/counts/{body['id']}/submit", {})
    assert done.status_code == 200, done.content
    (row,) = done.json()["lines"]
    assert (row["book"], row["counted"], row["variance"], row["variance_value"]) == (
        6,
        5,
        -1,
        "-20.00",
    )
    assert c.get(f"/api/v1/stock/counts/{body['id']}", **h(s.tech)).status_code == 404


def test_the_count_pages(s, approver) -> None:  # type: ignore[no-untyped-def]
    receive(s, 6, "20.00", bin_=s.bin_a)
    c = Client()
    c.force_login(s.keeper)
    resp = c.post("/stock/counts/open/", {"warehouse_id": s.store.pk}, follow=True)
    html = resp.content.decode()
    count = StockCount.objects.get()
    (ln,) = lines(count)
    assert f'name="line_{ln.pk}"' in html and "<th>账面数量</th>" not in html  # blind
    c.post(f"/stock/counts/{count.pk}/enter/", {f"line_{ln.pk}": "7"})
    html = c.post(f"/stock/counts/{count.pk}/submit/", follow=True).content.decode()
    assert "差异 1 行，差异金额 ¥20.00" in html and 'data-testid="variance">+1' in html
    boss = Client()
    boss.force_login(approver)
    html = boss.get(f"/stock/counts/{count.pk}/").content.decode()
    assert 'data-testid="decide-form"' in html
    assert Client().get(f"/stock/counts/{count.pk}/").status_code == 302  # sign in first
