"""The return rules seeded as an example: apparel (003 #19). Only adds what is missing.
(The departments that sign a return are the organisation's own ``accounts.Department`` rows,
chosen when the application is submitted.)"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aftersales.returns.rules import APPAREL


def ensure_defaults(apps: Any = None) -> None:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    category_model = apps.get_model("installed_base", "ProductCategory")
    rule_model = apps.get_model("returns", "ReturnRule")
    apparel, _ = category_model.objects.get_or_create(code="apparel", defaults={"name": "服装"})
    rule_model.objects.get_or_create(
        category=apparel,
        defaults={
            "name": APPAREL.name,
            "period_days": APPAREL.period_days,
            "receipt_required": APPAREL.receipt_required,
            "resaleable_required": APPAREL.resaleable_required,
            "non_returnable": [asdict(c) for c in APPAREL.non_returnable],
            "repair_instead": [asdict(c) for c in APPAREL.repair_instead],
            "price_note": "价格上调按原价计价，价格下调按现价计价",
            "source": "003 售后服务方案19",
        },
    )
