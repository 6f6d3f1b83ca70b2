"""Receipt numbers under concurrency, on real connections: two payments racing (each thread
its own connection and transaction) get consecutive numbers; a payment rolled back after
taking a number gives it back — the day's series has no gap."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from aftersales.charges.models import Receipt
from aftersales.charges.services import payments
from aftersales.charges.tests.helpers import accepted_quote

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def _waiting_on_lock() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return int(cur.fetchone()[0])


def _wait_until_blocked(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _waiting_on_lock() < 1:
        assert time.monotonic() < deadline, "the second payment never waited for the first"
        time.sleep(0.05)


def test_racing_payments_get_consecutive_numbers_and_a_rollback_leaves_no_gap(
    world: Any,
) -> None:
    q1 = accepted_quote(world)
    q2 = accepted_quote(world, serial="LED2025002")
    q3 = accepted_quote(world, serial="LED2025003")
    day = f"SK{timezone.localdate():%Y%m%d}-"
    results: dict[str, Any] = {}
    first_has_number = threading.Event()
    release_first = threading.Event()

    def first(outcome: str) -> None:
        try:
            with transaction.atomic():
                r = payments.record_payment(
                    actor=world.finance,
                    quote_id=q1.pk,
                    amount="50",
                    method="cash",
                    payer_name="王经理",
                )
                results["first"] = r.number
                first_has_number.set()
                release_first.wait(10)
                if outcome == "rollback":
                    raise Rollback
        except Rollback:
            results["first_rolled_back"] = True
        finally:
            connections.close_all()

    def second(quote: Any, key: str) -> None:
        try:
            results[key] = payments.record_payment(
                actor=world.finance,
                quote_id=quote.pk,
                amount="50",
                method="cash",
                payer_name="王经理",
            ).number
        finally:
            connections.close_all()

    # round 1: the first payment takes a number and rolls back while the second waits
    a = threading.Thread(target=first, args=("rollback",))
    a.start()
    assert first_has_number.wait(10)
    b = threading.Thread(target=second, args=(q2, "second"))
    b.start()
    _wait_until_blocked()
    release_first.set()
    a.join(10)
    b.join(10)
    assert results["first"] == day + "0001" and results["first_rolled_back"]
    assert results["second"] == day + "0001"  # the rolled-back number is given back

    # round 2: both commit — consecutive numbers, in the order the counter was reached
    first_has_number.clear()
    release_first.clear()
    a = threading.Thread(target=first, args=("commit",))
    a.start()
    assert first_has_number.wait(10)
    b = threading.Thread(target=second, args=(q3, "third"))
    b.start()
    _wait_until_blocked()
    release_first.set()
    a.join(10)
    b.join(10)
    assert (results["first"], results["third"]) == (day + "0002", day + "0003")
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == [day + "0001", day + "0002", day + "0003"]  # no gap, no duplicate
    assert Receipt.objects.filter(payment__quote=q1).count() == 1
