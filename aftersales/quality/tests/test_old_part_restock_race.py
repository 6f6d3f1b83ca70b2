"""A reusable old part's intake racing itself (two workers posting the same consequence at
once, on separate connections): one movement, one unit in stock — the source key's unique
index, not a read-then-write, keeps it to exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from aftersales.quality.services import old_parts
from aftersales.quality.tests.test_old_parts import old_part_world, repaired, the_old_part
from aftersales.stock.models import Movement, StockLevel
from aftersales.stock.services import intake
from aftersales.stock.tests.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_intakes_of_one_old_part_post_one_movement() -> None:
    w = old_part_world()
    op = the_old_part(repaired(w))
    op = old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    got: list[int] = []

    def one() -> Any:
        mv = intake.old_part_reusable(actor=None, old_part=op, now=timezone.now())
        got.append(mv.pk)
        return mv

    results = race([one, one, one])
    connection.ensure_connection()
    assert results == ["ok", "ok", "ok"], results
    assert len(set(got)) == 1
    assert Movement.objects.filter(source_key=f"old_part:{op.pk}").count() == 1
    assert StockLevel.objects.get().quantity == 1
