"""Spare-parts supply after discontinuation (停产后备件供应年限, SPEC §2 product model):
a pure rule, and the query the stock domain reuses to know which models' parts must still
be kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models.functions import Cast

from aftersales.core.said import Said
from aftersales.warranty.periods import add_months


@dataclass(frozen=True)
class PartsSupply:
    guaranteed: bool
    until: date | None  # None: still in production
    text: str


def parts_supply(discontinued_on: date | None, supply_years: int, today: date) -> PartsSupply:
    """Whether spare parts are still guaranteed on ``today``: always while the model is in
    production; after its discontinuation for ``supply_years`` years (the last covered day
    counted as warranty months are, 民法典 §201–202)."""
    if discontinued_on is None:
        return PartsSupply(True, None, "在产型号，备件正常供应")
    until = add_months(discontinued_on, 12 * supply_years)
    if today <= until:
        return PartsSupply(
            True,
            until,
            Said(
                "已于 %(discontinued_on)s 停产，备件保证供应至 %(until)s",
                discontinued_on=discontinued_on,
                until=until,
            ),
        )
    return PartsSupply(
        False,
        until,
        Said(
            "已于 %(discontinued_on)s 停产，备件保证供应期已于 %(until)s 届满",
            discontinued_on=discontinued_on,
            until=until,
        ),
    )


def _years(field: str) -> models.Func:
    return models.Func(
        models.F(field),
        function="make_interval",
        template="make_interval(years => %(expressions)s)",
        output_field=models.DurationField(),
    )


def with_parts_supply(
    qs: models.QuerySet[Any], today: date, prefix: str = ""
) -> models.QuerySet[Any]:
    """Rows annotated ``parts_supply_until`` (None: in production) and
    ``parts_supply_guaranteed`` on ``today`` — the same rule as ``parts_supply``, for product
    models (``prefix=""``) or rows that reach one (``prefix="model__"`` for equipment)."""
    discontinued = f"{prefix}discontinued_on"
    end = Cast(
        models.ExpressionWrapper(
            models.F(discontinued) + _years(f"{prefix}parts_supply_years"),
            output_field=models.DateTimeField(),
        ),
        models.DateField(),
    )
    return qs.annotate(parts_supply_until=end).annotate(
        parts_supply_guaranteed=models.Case(
            models.When(**{f"{discontinued}__isnull": True}, then=models.Value(True)),
            models.When(parts_supply_until__gte=today, then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
    )


def part_supply(of_models: list[PartsSupply]) -> PartsSupply | None:
    """A spare part's supply from those of the models it fits: guaranteed while any of them
    is (until the latest end; open while one is in production). None: linked to no model."""
    if not of_models:
        return None
    kept = [s for s in of_models if s.guaranteed]
    if any(s.until is None for s in kept):
        return PartsSupply(True, None, "适用型号在产，备件正常供应")
    ends = [s.until for s in (kept or of_models) if s.until is not None]
    until = max(ends)
    if kept:
        return PartsSupply(
            True, until, Said("适用型号已停产，备件保证供应至 %(until)s", until=until)
        )
    return PartsSupply(
        False, until, Said("适用型号均已停产，备件保证供应期已于 %(until)s 届满", until=until)
    )
