"""The demo stock: stores, vans, lots of different ages; a second load adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.demo.stock import load_stock
from aftersales.service.tests import web_world
from aftersales.stock.models import Lot, Movement, StockLevel, Warehouse

pytestmark = pytest.mark.django_db


def test_demo_stock_has_stores_vans_and_old_and_new_lots() -> None:
    w = web_world.build()
    keeper = t.user("warehouse", username="warehouse")
    got = load_stock(users={"warehouse": keeper})
    kinds = sorted(Warehouse.objects.values_list("kind", flat=True))
    assert kinds.count("main") == 1 and kinds.count("regional") == 1 and kinds.count("van") == 2
    assert Warehouse.objects.get(technician=w["tech"]).levels.filter(quantity__gt=0).exists()
    ages = {(timezone.now() - lot.received_at).days for lot in Lot.objects.all()}
    assert max(ages) >= 75 and min(ages) <= 20
    assert not StockLevel.objects.filter(quantity__lt=0).exists()
    assert got.movements == Movement.objects.count()
    assert load_stock(users={"warehouse": keeper}).movements == 0


def test_demo_loaners_lent_and_available_and_a_count_in_progress() -> None:
    from aftersales.demo.stock import load_loaners
    from aftersales.stock.models import Loan, LoanerUnit, StockCount

    w = web_world.build()
    keeper = t.user("warehouse", username="warehouse")
    load_stock(users={"warehouse": keeper})
    web_world.ticket(w, severity="urgent")
    web_world.ticket(w, severity="major", equipment="e2")
    got = load_loaners(users={"warehouse": keeper})
    assert got.units == LoanerUnit.objects.count() == 2  # one product line with equipment
    assert got.loans == Loan.objects.count() == 2
    assert [loan.is_overdue for loan in Loan.objects.order_by("lent_at")] == [True, False]
    assert not LoanerUnit.objects.filter(state="available").exists()  # both lent
    count = StockCount.objects.get()
    assert count.state == "counting"
    assert 0 < count.lines.filter(counted__isnull=False).count() < count.lines.count()
    assert load_loaners(users={"warehouse": keeper}).units == 0  # a second start adds nothing
