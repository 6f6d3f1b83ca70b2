"""Never negative under concurrency: real transactions on separate connections race for the
last units. Without the row lock and the conditional update (a Python read-modify-write)
more than the stock is issued and these tests fail."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from aftersales.stock.models import Movement, StockLevel
from aftersales.stock.services import movements
from aftersales.stock.services.movements import InsufficientStock, OutLine
from aftersales.stock.tests.helpers import at, on_hand, receive

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls: list[Callable[[], Any]]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect first, so that the calls overlap
            barrier.wait()
            call()
            outcome = "ok"
        except InsufficientStock as exc:
            outcome = exc.message
        except Exception as exc:  # any other failure is a finding
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    return results


def test_fifty_concurrent_issues_of_the_last_ten_units(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 4, "10.00", bin_=s.bin_a, when=at(0))
    receive(s, 6, "12.00", bin_=s.bin_b, when=at(1))

    def one() -> Any:
        return movements.issue(
            actor=s.keeper, warehouse_id=s.store.pk, lines=[OutLine(1, s.psu.pk)]
        )

    results = race([one] * 50)
    assert results.count("ok") == 10, results
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 40 and all(r.startswith("库存不足") for r in refused), refused
    assert on_hand(s.store, s.psu) == 0
    assert not StockLevel.objects.filter(quantity__lt=0).exists()
    assert Movement.objects.filter(kind="issue").count() == 10


def test_transfers_racing_issues_never_move_more_than_there_is(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 10, "10.00", bin_=s.bin_a)

    def issue() -> Any:
        return movements.issue(
            actor=s.keeper, warehouse_id=s.store.pk, lines=[OutLine(2, s.psu.pk)]
        )

    def transfer() -> Any:
        return movements.transfer(
            actor=s.keeper,
            from_warehouse_id=s.store.pk,
            to_warehouse_id=s.van.pk,
            lines=[OutLine(2, s.psu.pk)],
        )

    results = race([issue, transfer] * 10)
    assert results.count("ok") == 5, results
    assert all(r == "ok" or r.startswith("库存不足") for r in results), results
    assert on_hand(s.store, s.psu) == 0
    moved = Movement.objects.filter(kind="transfer").count()
    assert on_hand(s.van, s.psu) == 2 * moved
    assert Movement.objects.filter(kind="issue").count() + moved == 5


def test_a_loaner_is_lent_once_when_two_lend_it_at_the_same_moment() -> None:
    import datetime as dt

    from django.utils import timezone

    from aftersales import testing as t
    from aftersales.core.errors import Conflict
    from aftersales.service.tests import web_world
    from aftersales.stock.models import Loan, LoanerUnit, Warehouse
    from aftersales.stock.services import loaners

    w = web_world.build()
    keeper, keeper2 = t.user("warehouse", username="k1"), t.user("warehouse", username="k2")
    store = Warehouse.objects.create(code="RG", name="区域库", kind="regional")
    unit = LoanerUnit.objects.create(
        code="LN-1", serial_no="SN-1", category=w["led"], warehouse=store
    )
    tickets = [web_world.ticket(w), web_world.ticket(w, equipment="e2")]
    due = timezone.localdate() + dt.timedelta(days=5)
    outcomes: list[str] = []

    def lend(actor, ticket):  # type: ignore[no-untyped-def]
        def call() -> None:
            try:
                loaners.lend(
                    actor=actor, unit_id=unit.pk, ticket_id=ticket.pk, signed_by="王", due_back=due
                )
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")

        return call

    results = race([lend(keeper, tickets[0]), lend(keeper2, tickets[1])])
    assert results == ["ok", "ok"]  # neither call crashed
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Loan.objects.filter(unit=unit).count() == 1
