"""The demo plan (no database): sizes, determinism, and the shape of the generated data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from aftersales.demo import catalog_data as cd
from aftersales.demo.plan import Size, make_plan, parse_size

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return make_plan(Size(1.0), 2026, TODAY)


def test_parse_size() -> None:
    assert parse_size("small").factor == 0.1
    assert parse_size("default").factor == 1.0
    assert parse_size("LARGE").factor == 10.0
    assert parse_size("2.5").factor == 2.5
    for bad in ("huge", "0", "-1", "500"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_default_volumes(plan) -> None:  # type: ignore[no-untyped-def]
    assert len(plan.customers) == 200
    assert len(plan.sites) == 400
    assert len(plan.equipment) == 2000
    assert len(plan.dealers) == 10
    assert len(plan.staff) == 31
    techs = [s for s in plan.staff if s.role == "technician"]
    assert len(techs) == 15
    assert all(s.home_lat and s.home_lng and s.home_address for s in techs)
    assert all(1 <= len(s.skills) <= 3 for s in techs)
    for region in ("HD", "HB", "HN"):  # every category can be served in every region
        skills = {c for s in techs if s.region == region for c in s.skills}
        assert skills == {c for c, _ in cd.CATEGORIES}


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    small = Size(0.1)
    assert make_plan(small, 1, TODAY) == make_plan(small, 1, TODAY)
    assert make_plan(small, 1, TODAY).customers != make_plan(small, 2, TODAY).customers


def test_small_is_a_tenth() -> None:
    p = make_plan(parse_size("small"), 2026, TODAY)
    assert (len(p.customers), len(p.sites), len(p.equipment)) == (20, 40, 200)
    assert {s.role for s in p.staff} >= {"agent", "technician", "admin", "manager"}


def test_codes_and_serial_numbers_are_unique(plan) -> None:  # type: ignore[no-untyped-def]
    assert len({c.code for c in plan.customers}) == len(plan.customers)
    assert len({c.name for c in plan.customers}) == len(plan.customers)
    assert len({s.code for s in plan.sites}) == len(plan.sites)
    pairs = [(e.model_code, e.serial_no) for e in plan.equipment]
    assert len(set(pairs)) == len(pairs)
    assert plan.customers[0].name == "上海浦东国际会展中心" and plan.customers[0].key


def test_every_site_has_equipment_of_six_categories(plan) -> None:  # type: ignore[no-untyped-def]
    assert {e.site_code for e in plan.equipment} == {s.code for s in plan.sites}
    category = {m.code: m.category for m in cd.MODELS}
    assert {category[e.model_code] for e in plan.equipment} == {c for c, _ in cd.CATEGORIES}


def test_dates_span_four_years_in_and_out_of_warranty(plan) -> None:  # type: ignore[no-untyped-def]
    accepted = [s.acceptance_date for s in plan.sites if s.acceptance_date]
    assert min(accepted) < TODAY - dt.timedelta(days=3 * 365)
    assert max(accepted) > TODAY - dt.timedelta(days=365)
    assert all(a <= TODAY for a in accepted)
    assert any(
        s.is_project and s.acceptance_date is None for s in plan.sites
    )  # awaiting acceptance


def test_dealer_sales_carry_warranty_cards(plan) -> None:  # type: ignore[no-untyped-def]
    dealer_of = {c.code: c.dealer_code for c in plan.customers}
    customer_of = {s.code: s.customer_code for s in plan.sites}
    sold = [e for e in plan.equipment if e.dealer_code]
    assert sold and all(e.sale_date for e in sold)
    assert all(e.dealer_code == dealer_of[customer_of[e.site_code]] for e in sold)
    status = Counter(e.card_status for e in sold)
    assert status["received"] > len(sold) / 2 and status["none"] and status["mismatch"]
    delays = [
        (e.card_received_date - e.sale_date).days
        for e in sold
        if e.card_status == "received" and e.card_received_date and e.sale_date
    ]
    assert sum(d <= 20 for d in delays) > 3 * sum(d > 20 for d in delays) > 0
    assert not [e for e in plan.equipment if not e.dealer_code and e.card_status != "none"]


@pytest.mark.parametrize("size", ["small", "default"])
def test_every_card_state_is_in_the_demo(size: str) -> None:
    sold = [e for e in make_plan(parse_size(size), 2026, TODAY).equipment if e.dealer_code]
    assert {e.card_status for e in sold} == {"none", "received", "mismatch", "altered"}
    assert [e for e in sold if e.card_status == "received" and not e.notes]  # one in time


def test_components_and_contracts(plan) -> None:  # type: ignore[no-untyped-def]
    components = [c for e in plan.equipment for c in e.components]
    assert {c.code for c in components} >= {"compressor", "engine"}
    assert any(c.fitted_in_warranty_repair and c.warranty_months for c in components)
    assert len(plan.contracts) == 8
    assert sum(c.is_7x24 for c in plan.contracts) == 1
    key = {c.code for c in plan.customers if c.key}
    assert all(c.customer_code in key for c in plan.contracts)


def test_logins_for_dealers_and_customers(plan) -> None:  # type: ignore[no-untyped-def]
    dealers = [x for x in plan.logins if x.role == "dealer"]
    customers = [x for x in plan.logins if x.role == "customer"]
    assert [x.username for x in dealers] == [f"dealer{i}" for i in range(1, 11)]
    assert len(customers) == 5 and customers[0].customer_code == "KH00001"
