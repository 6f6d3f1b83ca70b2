"""Quotes read the price list in force on the quote date: its part prices (PriceListItem),
its validity (valid_from / valid_to), its labour rate and its call-out fee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.catalog.models import PriceList, PriceListItem
from aftersales.catalog.selectors import price_list_on
from aftersales.core.errors import Conflict
from aftersales.core.services import create_record, update_record
from aftersales.service.services import intake, warranty

pytestmark = pytest.mark.django_db


def _chargeable_ticket(world):  # type: ignore[no-untyped-def]
    world.equipment.acceptance_date = dt.date(2023, 1, 1)
    world.equipment.save()
    world.site.acceptance_date = dt.date(2023, 1, 1)
    world.site.save()
    ticket = intake.ticket_create(
        actor=world.agent,
        data=intake.TicketInput(
            description="屏幕黑屏",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=world.equipment.id,
        ),
    )
    assert warranty.current(ticket).outcome == "chargeable"
    return ticket


def _quote(world, ticket, km="20"):  # type: ignore[no-untyped-def]
    return warranty.quote_create(
        actor=world.agent,
        ticket=ticket,
        parts=[warranty.QuotePart("PSU-5V", 2)],
        labour_hours="1",
        distance_km=km,
    )


def test_the_list_in_force_on_the_quote_date_prices_the_quote(world) -> None:  # type: ignore[no-untyped-def]
    """Two lists of different validity: the one valid today prices the parts (its item),
    the labour and the travel; ending its validity hands over to the other."""
    admin = t.user("admin")
    today = timezone.localdate()
    old = PriceList.objects.get(code="STD")
    update_record(old, actor=admin, changes={"valid_to": today - dt.timedelta(days=1)})
    new = create_record(
        PriceList,
        actor=admin,
        data={
            "code": "STD2",
            "name": "新收费标准",
            "valid_from": today,
            "labour_rate_per_hour": Decimal("200.00"),
            "travel_rate_per_km": Decimal("3.00"),
        },
    )
    create_record(
        PriceListItem,
        actor=admin,
        data={"price_list": new, "part": world.part, "price": Decimal("99.00")},
    )
    ticket = _chargeable_ticket(world)
    quote = _quote(world, ticket)
    # the new list: parts 2 × 99.00 (its item, not the master's cost 85.00), labour
    # 1 h × 200.00, travel 20 km × 3.00
    assert (quote.parts_total, quote.labour_total, quote.travel_total) == (
        Decimal("198.00"),
        Decimal("200.00"),
        Decimal("60.00"),
    )
    assert quote.lines.get(kind="part").basis == "at_cost"
    # the old list valid again, the new one not yet: the old rates and the master's cost
    update_record(old, actor=admin, changes={"valid_to": None})
    update_record(new, actor=admin, changes={"valid_from": today + dt.timedelta(days=1)})
    quote = _quote(world, ticket)
    assert (quote.parts_total, quote.labour_total, quote.travel_total) == (
        Decimal("170.00"),
        Decimal("120.00"),
        Decimal("50.00"),
    )
    # no list in force: refused, nothing created
    update_record(old, actor=admin, changes={"valid_from": today + dt.timedelta(days=1)})
    count = ticket.quotes.count()
    with pytest.raises(Conflict) as err:
        _quote(world, ticket)
    assert err.value.code == "no_price_list" and str(today) in err.value.message
    assert ticket.quotes.count() == count


def test_call_out_fee_replaces_the_rate_per_km(world) -> None:  # type: ignore[no-untyped-def]
    admin = t.user("admin")
    ticket = _chargeable_ticket(world)
    assert _quote(world, ticket).travel_total == Decimal("50.00")  # 20 km × 2.50
    update_record(
        PriceList.objects.get(code="STD"),
        actor=admin,
        changes={"travel_flat_fee": Decimal("80.00")},
    )
    quote = _quote(world, ticket)
    assert quote.travel_total == Decimal("80.00")
    assert quote.lines.get(kind="travel").description == "差旅费（包干）"
    assert _quote(world, ticket, km="0").travel_total == Decimal("0.00")  # no visit


def test_of_two_lists_in_force_the_default_wins_then_the_latest() -> None:
    day = dt.date(2026, 6, 1)
    rates = {"labour_rate_per_hour": Decimal("1"), "travel_rate_per_km": Decimal("1")}
    a = PriceList.objects.create(code="A", name="A", valid_from=dt.date(2026, 1, 1), **rates)
    b = PriceList.objects.create(code="B", name="B", valid_from=dt.date(2026, 3, 1), **rates)
    assert price_list_on(day) == b
    assert price_list_on(dt.date(2026, 2, 1)) == a
    assert price_list_on(dt.date(2025, 12, 31)) is None
    PriceList.objects.filter(pk=a.pk).update(is_default=True)
    assert price_list_on(day) == a
    PriceList.objects.filter(pk=a.pk).update(valid_to=dt.date(2026, 5, 31))
    assert price_list_on(day) == b


def test_a_waived_line_reads_as_free_not_as_a_second_discount(world) -> None:  # type: ignore[no-untyped-def]
    """9#12: a waived labour line showed 「¥0.00」 beside 「减免 ¥240.00」 and the footer
    「人工费 ¥0.00 … 减免 ¥240.00」 — read as a double discount. The line now says free of
    charge with its value, and the footer says the value is not in the total."""
    from django.template.loader import render_to_string

    quote = _quote(world, _chargeable_ticket(world))
    labour = quote.lines.get(kind="labour")
    waived = labour.amount
    labour.waived_amount, labour.amount = waived, Decimal("0.00")
    labour.save()
    quote.waived_total, quote.labour_total = waived, Decimal("0.00")
    quote.total -= waived
    quote.save()
    html = render_to_string("service/_quote_table.html", {"q": quote})
    row = next(r for r in html.split("<tr>") if labour.description in r)
    assert "免收" in row and f"价值 ¥{waived}，不收费" in row and "¥0.00" not in row
    assert "减免" not in html
    assert f"免收项目价值 ¥{waived}，已不计入以上费用和合计" in html
    assert f"合计 ¥{quote.total}" in html


def test_a_quote_takes_a_part_code_in_any_case(world) -> None:  # type: ignore[no-untyped-def]
    quote = warranty.quote_create(
        actor=world.agent,
        ticket=_chargeable_ticket(world),
        parts=[warranty.QuotePart("psu-5v", 2)],
        labour_hours="1",
        distance_km="0",
    )
    assert quote.lines.get(kind="part").code == "PSU-5V"
