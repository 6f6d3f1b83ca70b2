"""Builders for tests (and the demo loader): small, explicit, real rows in the real database.

Above the domains (it builds customers, dealers, equipment, users), so that `core` depends on
no domain app."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from aftersales.accounts.models import OrgKind, User
from aftersales.accounts.services import create_user
from aftersales.core.models import Region
from aftersales.customers.models import Customer, Site
from aftersales.dealers.models import Dealer
from aftersales.installed_base.models import (
    Equipment,
    ProductCategory,
    ProductModel,
    WarrantyPolicy,
)

_seq = itertools.count(1)


def n() -> int:
    return next(_seq)


def region(code: str = "", name: str = "") -> Region:
    code = code or f"R{n()}"
    return Region.objects.get_or_create(code=code, defaults={"name": name or f"片区{code}"})[0]


def dealer(reg: Region | None = None, **kw: Any) -> Dealer:
    i = n()
    return Dealer.objects.create(
        code=kw.pop("code", f"D{i:04d}"),
        name=kw.pop("name", f"经销商{i}"),
        region=reg or region(),
        **kw,
    )


def customer(reg: Region | None = None, dealer_obj: Dealer | None = None, **kw: Any) -> Customer:
    i = n()
    return Customer.objects.create(
        code=kw.pop("code", f"C{i:05d}"),
        name=kw.pop("name", f"客户{i}"),
        region=reg or region(),
        dealer=dealer_obj,
        **kw,
    )


def site(cust: Customer, **kw: Any) -> Site:
    i = n()
    return Site.objects.create(
        customer=cust,
        code=kw.pop("code", f"S{i:05d}"),
        name=kw.pop("name", f"{cust.name}项目{i}"),
        address=kw.pop("address", "上海市浦东新区张江路1号"),
        region=kw.pop("region", cust.region),
        **kw,
    )


def category(code: str = "led", name: str = "LED显示屏") -> ProductCategory:
    return ProductCategory.objects.get_or_create(code=code, defaults={"name": name})[0]


def policy(cat: ProductCategory, months: int = 24, **kw: Any) -> WarrantyPolicy:
    return WarrantyPolicy.objects.create(
        code=kw.pop("code", f"WP{n()}"),
        name=kw.pop("name", f"{cat.name}保修"),
        category=cat,
        months=months,
        **kw,
    )


def product_model(cat: ProductCategory | None = None, **kw: Any) -> ProductModel:
    i = n()
    return ProductModel.objects.create(
        category=cat or category(),
        code=kw.pop("code", f"M-{i}"),
        name=kw.pop("name", f"型号{i}"),
        **kw,
    )


def equipment(st: Site, model: ProductModel | None = None, **kw: Any) -> Equipment:
    return Equipment.objects.create(
        site=st, model=model or product_model(), serial_no=kw.pop("serial_no", f"SN{n():07d}"), **kw
    )


def user(role: str | None = None, *, org: Customer | Dealer | None = None, **kw: Any) -> User:
    i = n()
    fields: dict[str, Any] = {}
    if isinstance(org, Dealer):
        fields = {"org_kind": OrgKind.DEALER, "dealer": org}
    elif isinstance(org, Customer):
        fields = {"org_kind": OrgKind.CUSTOMER, "customer": org}
    fields.update(kw)
    return create_user(
        actor=None,
        username=fields.pop("username", f"u{i}"),
        password=fields.pop("password", "Passw0rd!x"),
        roles=[role] if role else [],
        display_name=fields.pop("display_name", f"用户{i}"),
        **fields,
    )


def money(value: str) -> Decimal:
    return Decimal(value)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def database_url() -> str:
    """``DATABASE_URL`` of the current (test) database, for a subprocess to use."""
    from django.db import connection

    cfg = connection.settings_dict
    host = str(cfg["HOST"] or "")
    if host and not host.startswith("/"):
        return f"postgresql://{cfg['USER']}:{cfg['PASSWORD']}@{host}:{cfg['PORT'] or 5432}/{cfg['NAME']}"
    return f"postgresql://{cfg['USER']}:{cfg['PASSWORD']}@/{cfg['NAME']}?host={host}"


def run_workers(count: int = 1, queues: str = "default", timeout: int = 120) -> list[str]:
    """Run ``count`` real worker processes at once against the current (test) database, each
    until the queue is empty; returns what each printed. Needs a test marked
    ``django_db(transaction=True)`` so that the jobs are committed and visible to the other
    processes."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DATABASE_URL": database_url()}
    root = Path(__file__).resolve().parent.parent.parent
    cmd = [
        sys.executable,
        "manage.py",
        "procrastinate",
        "worker",
        "--one-shot",
        "-q",
        queues,
        "-c",
        "2",
        "--no-listen-notify",
    ]
    procs = [
        subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(count)
    ]
    outputs = []
    for p in procs:
        out, _ = p.communicate(timeout=timeout)
        outputs.append(out.decode(errors="replace"))
        if p.returncode != 0:
            raise AssertionError(f"worker failed ({p.returncode}):\n{outputs[-1]}")
    return outputs
