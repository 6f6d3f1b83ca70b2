"""The demo data as a plan (see ``types``), built without touching the database."""

from __future__ import annotations

import datetime as dt

from aftersales.demo.plan import installed, organisation
from aftersales.demo.plan.types import SIZES, DemoPlan, Size, parse_size

__all__ = ["SIZES", "DemoPlan", "Size", "make_plan", "parse_size"]


def make_plan(size: Size, seed: int, today: dt.date) -> DemoPlan:
    dealers = organisation.dealers(size, seed)
    staff = organisation.staff(size, seed)
    customers = installed.customers(size, seed, dealers)
    sites = installed.sites(size, seed, today, customers, staff)
    return DemoPlan(
        size=size,
        seed=seed,
        today=today,
        dealers=dealers,
        staff=staff,
        customers=customers,
        sites=sites,
        equipment=installed.equipment(size, seed, today, customers, sites),
        contracts=installed.contracts(size, seed, today, customers, sites),
        logins=organisation.logins(size, dealers, customers),
    )
